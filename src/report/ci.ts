// The CI system the report was made in, from the usual environment variables (none outside CI).

export interface Executor {
  name: string;
  type: string;
  url?: string;
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
  reportUrl?: string;
}

export function detectExecutor(env: NodeJS.ProcessEnv = process.env): Executor | undefined {
  if (env.GITHUB_ACTIONS === "true") {
    const server = env.GITHUB_SERVER_URL ?? "https://github.com";
    const repo = env.GITHUB_REPOSITORY;
    const runUrl = repo && env.GITHUB_RUN_ID ? `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    return {
      name: "GitHub Actions",
      type: "github",
      url: repo ? `${server}/${repo}` : undefined,
      buildOrder: num(env.GITHUB_RUN_NUMBER),
      buildName: [env.GITHUB_WORKFLOW, env.GITHUB_RUN_NUMBER && `#${env.GITHUB_RUN_NUMBER}`].filter(Boolean).join(" ") || undefined,
      buildUrl: runUrl && env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== "1" ? `${runUrl}/attempts/${env.GITHUB_RUN_ATTEMPT}` : runUrl,
    };
  }
  if (env.GITLAB_CI === "true") {
    return {
      name: "GitLab CI",
      type: "gitlab",
      url: env.CI_PROJECT_URL,
      buildOrder: num(env.CI_PIPELINE_IID ?? env.CI_JOB_ID),
      buildName: [env.CI_JOB_NAME, env.CI_PIPELINE_IID && `#${env.CI_PIPELINE_IID}`].filter(Boolean).join(" ") || undefined,
      buildUrl: env.CI_JOB_URL ?? env.CI_PIPELINE_URL,
    };
  }
  if (env.JENKINS_URL || env.JENKINS_HOME) {
    return {
      name: "Jenkins",
      type: "jenkins",
      url: env.JOB_URL ?? env.JENKINS_URL,
      buildOrder: num(env.BUILD_NUMBER),
      buildName: env.BUILD_DISPLAY_NAME ?? ([env.JOB_NAME, env.BUILD_NUMBER && `#${env.BUILD_NUMBER}`].filter(Boolean).join(" ") || undefined),
      buildUrl: env.BUILD_URL,
    };
  }
  return undefined;
}

/** A link to a feature file line in the repository browser of the CI system, when one is known. */
export function sourceLink(uri: string, line: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = uri.replace(/\\/g, "/").replace(/^\.\//, "");
  if (env.GITHUB_ACTIONS === "true" && env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/${path}#L${line}`;
  }
  if (env.GITLAB_CI === "true" && env.CI_PROJECT_URL && env.CI_COMMIT_SHA) {
    return `${env.CI_PROJECT_URL}/-/blob/${env.CI_COMMIT_SHA}/${path}#L${line}`;
  }
  return undefined;
}

function num(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isFinite(n) ? n : undefined;
}
