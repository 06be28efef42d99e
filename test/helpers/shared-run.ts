// One real `signoff run` that several e2e files read: made once, cached under .signoff/tmp keyed by everything that can change it.
//
// The key is a digest of the arguments, the environment that can change a run (given, or Signoff's variables,
// PATH and NODE_OPTIONS inherited), Node's version, the commit and the content of every file in the checkout
// (tracked or not, .gitignore aside; dist/ too when SIGNOFF_DIST runs it) except the test code itself — so src/, steps/,
// the fixtures, the example app, the config and the lock file all count, and a cached run can never
// stand in for a run of other code. A cache older than MAX_AGE_MS is made again (a policy's maxAge
// judges the run's start time). Each caller gets its own copy of the results dir to edit.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { ROOT, runSignoff, tempDir, type CliResult, type CliOptions } from "./cli";

const CACHE = join(ROOT, ".signoff", "tmp", "shared-runs");
const MAX_AGE_MS = 60 * 60 * 1000;
/** Test code: it reads a run but cannot change what the run does (helpers/ can: it starts the CLI). */
const NOT_AN_INPUT = /^test\/(e2e|unit|conformance)\//;

/** The variables that can change what a run does: the ones given, and Signoff's, PATH and NODE_OPTIONS inherited. */
function effectiveEnv(env: NodeJS.ProcessEnv): [string, string | undefined][] {
  const all = { ...process.env, ...env };
  return Object.keys(all)
    .filter((k) => k in env || k.startsWith("SIGNOFF_") || k === "PATH" || k === "NODE_OPTIONS")
    .sort()
    .map((k) => [k, all[k]]);
}

/** Every file below dir, relative to ROOT (dist/ is git-ignored, yet with SIGNOFF_DIST it is what runs). */
function filesBelow(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length + 1));
}

/** A digest of every file that can change what `signoff run` does, plus the call itself. */
export function runKey(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const listed = spawnSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const vars = effectiveEnv(env);
  const files = [
    ...listed.stdout.split("\0").filter((f) => f && !NOT_AN_INPUT.test(f)),
    ...(vars.some(([k, v]) => k === "SIGNOFF_DIST" && v) ? filesBelow("dist") : []),
  ].sort();
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(); // run.json records it
  const hash = createHash("sha256").update(JSON.stringify({ args, vars, node: process.version, head }));
  for (const f of files) {
    const p = join(ROOT, f);
    if (!existsSync(p) || !statSync(p).isFile()) continue; // deleted in the work tree, or a submodule
    hash.update(`\0${f}\0`).update(readFileSync(p));
  }
  return hash.digest("hex");
}

export interface SharedRun {
  /** A fresh copy of the run's results dir, the caller's to edit. */
  reports: string;
  /** What the run printed and its exit code. */
  result: CliResult;
}

/** Runs `signoff run ARGS --reports DIR` once per key; every call returns its own copy of DIR. */
export async function sharedRun(args: string[], opts: CliOptions = {}): Promise<SharedRun> {
  const dir = join(CACHE, runKey(args, opts.env));
  const fresh = existsSync(join(dir, "result.json")) && Date.now() - statSync(dir).mtimeMs < MAX_AGE_MS;
  if (!fresh) await makeRun(dir, args, opts);
  const reports = join(tempDir("signoff-shared-run-"), "reports");
  cpSync(join(dir, "reports"), reports, { recursive: true });
  return { reports, result: JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) };
}

async function makeRun(dir: string, args: string[], opts: CliOptions): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  // Entries older than MAX_AGE_MS are never read again (runs of older code age out too): they go.
  for (const old of readdirSync(CACHE)) {
    const p = join(CACHE, old);
    if (Date.now() - statSync(p).mtimeMs >= MAX_AGE_MS) rmSync(p, { recursive: true, force: true });
  }
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  const result = await runSignoff([...args, "--reports", join(building, "reports")], opts);
  writeFileSync(join(building, "result.json"), JSON.stringify(result));
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(building, dir);
  } catch (err) {
    // Another process finished the same run first: theirs is as good as ours.
    if (!existsSync(join(dir, "result.json"))) throw err;
    rmSync(building, { recursive: true, force: true });
  }
}

/** No CI system in the environment: what the run records must not depend on where the tests run. */
export const NO_CI: NodeJS.ProcessEnv = {
  GITHUB_ACTIONS: "",
  GITHUB_SERVER_URL: "",
  GITHUB_RUN_ID: "",
  GITLAB_CI: "",
  CI_JOB_URL: "",
  JENKINS_URL: "",
  BUILD_URL: "",
  GITHUB_STEP_SUMMARY: "",
};

/**
 * The example suite's main feature plus a fixture that fails on purpose (2 pass, 2 fail) on pw-desktop:
 * what report.test.ts renders and gate-tamper.test.ts edits.
 */
export const failingFixtureRun = (): Promise<SharedRun> =>
  sharedRun(
    [
      "run",
      "features/visitor-counter.feature",
      "test/fixtures/report/failing.feature",
      "--config",
      "test/fixtures/report/signoff.config.yaml",
      "--targets",
      "pw-desktop",
    ],
    { env: NO_CI, timeoutMs: 300_000 },
  );
