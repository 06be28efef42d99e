// Maps the detected CI build (core/ci-environment) to Allure's executor and to source links.
import { ciEnvironment, ciRepository, type CiEnvironment } from "../core/ci-environment";

export interface Executor {
  name: string;
  type: string;
  url?: string;
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
  reportUrl?: string;
}

/** Allure's executor icons are keyed by these type names; other CI systems get a slug of their name. */
const ALLURE_TYPES: Record<string, string> = {
  "GitHub Actions": "github",
  GitLab: "gitlab",
  Jenkins: "jenkins",
  "Azure Pipelines": "azure",
  CircleCI: "circleci",
  Bamboo: "bamboo",
};

export function detectExecutor(env: NodeJS.ProcessEnv = process.env): Executor | undefined {
  const ci = ciEnvironment(env);
  if (!ci) return undefined;
  return {
    name: ci.name,
    type: ALLURE_TYPES[ci.name] ?? ci.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    url: ciRepository(ci)?.web,
    buildOrder: num(ci.buildNumber),
    buildName: ci.buildNumber ? `#${ci.buildNumber}` : undefined,
    buildUrl: ci.url,
  };
}

/** A link to a feature file line in the repository browser of the CI system, when one is known. */
export function sourceLink(uri: string, line: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ci: CiEnvironment | undefined = ciEnvironment(env);
  const repo = ciRepository(ci);
  if (!ci || !repo) return undefined;
  const path = uri.replace(/\\/g, "/").replace(/^\.\//, "");
  if (ci.name === "GitHub Actions") return `${repo.web}/blob/${repo.revision}/${path}#L${line}`;
  if (ci.name === "GitLab") return `${repo.web}/-/blob/${repo.revision}/${path}#L${line}`;
  return undefined;
}

function num(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isFinite(n) ? n : undefined;
}
