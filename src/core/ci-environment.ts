// The CI system this process runs in, detected once by Cucumber's @cucumber/ci-environment.
import detectCiEnvironment, { type CiEnvironment } from "@cucumber/ci-environment";

export type { CiEnvironment };

/**
 * The CI build running this process, or undefined outside CI. A GitHub pull-request event file that
 * cannot be read only loses the PR head revision (the merge commit is used), never the detection.
 */
export function ciEnvironment(env: NodeJS.ProcessEnv = process.env): CiEnvironment | undefined {
  // An empty variable is an unset one (the library would read BUILD_URL="" as a Jenkins build).
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  try {
    return detectCiEnvironment(set);
  } catch {
    return detectCiEnvironment({ ...set, GITHUB_EVENT_NAME: undefined });
  }
}

/** The repository's web address and the commit being built, when the CI system names both. */
export function ciRepository(ci: CiEnvironment | undefined): { web: string; revision: string } | undefined {
  if (!ci?.git?.remote || !ci.git.revision) return undefined;
  const web = ci.git.remote.replace(/\.git$/, "").replace(/\/+$/, "");
  return /^https?:\/\//.test(web) ? { web, revision: ci.git.revision } : undefined;
}
