// Runs Cucumber for one target in its own process, with Signoff's formatters and world parameters.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import { join } from "node:path";
import type { WorldParameters } from "../config/types";
import { COMPILED, SIGNOFF_ROOT } from "../core/package";
import type { SupportCode } from "./support-files";
import { killRecordedGroups, PROCESS_GROUPS_ENV } from "../browser/chromedriver";

/** The process entry (cucumber-main), compiled or, in a checkout, the source through ts-node. */
export const CUCUMBER_ENTRY = COMPILED
  ? [join(__dirname, "cucumber-main.js")]
  : ["--require", join(SIGNOFF_ROOT, "src", "register.js"), join(__dirname, "cucumber-main.ts")];

/** Cucumber options for the support code: loaders, then Signoff's files, then the project's. */
export function supportArgs(support: SupportCode): string[] {
  return [
    ...support.requireModules.flatMap((m) => ["--require-module", m]),
    ...support.requirePaths.flatMap((f) => ["--require", f]),
    ...support.importPaths.flatMap((f) => ["--import", f]),
  ];
}

export interface CucumberRun {
  /** Feature paths (or "file:line" for a shard's slice). */
  paths: string[];
  support: SupportCode;
  world: WorldParameters;
  tags: string;
  messagesFile: string;
  allureResultsDir: string;
  parallel?: number;
  retry?: number;
  stepTimeoutMs: number;
  /** Extra formatters, e.g. "progress" for the terminal. */
  formats?: string[];
  dryRun?: boolean;
  cwd?: string;
}

export function cucumberArgs(run: CucumberRun): string[] {
  const args = [
    ...CUCUMBER_ENTRY,
    ...supportArgs(run.support),
    ...run.paths,
    "--world-parameters",
    JSON.stringify(run.world),
    "--tags",
    run.tags,
    "--format",
    `message:${run.messagesFile}`,
    // The Allure formatter writes into resultsDir; it gets its own (unused) stream because Cucumber
    // keeps only the LAST formatter without a path on stdout, which silently dropped this one.
    "--format",
    `"allure-cucumberjs/reporter":"${devNull}"`,
    "--format-options",
    JSON.stringify({ resultsDir: run.allureResultsDir }),
  ];
  for (const f of run.formats ?? ["progress"]) args.push("--format", f);
  if (run.parallel && run.parallel > 1) args.push("--parallel", String(run.parallel));
  if (run.retry && run.retry > 0) args.push("--retry", String(run.retry));
  if (run.dryRun) args.push("--dry-run");
  return args;
}

/** Per Cucumber process: where its workers record the process groups they start (chromedriver's). */
const groupRegistries = new WeakMap<ChildProcess, string>();

export function spawnCucumber(run: CucumberRun, stdio: "inherit" | "pipe" = "inherit"): ChildProcess {
  const registry = mkdtempSync(join(tmpdir(), "signoff-groups-"));
  const child = spawn(process.execPath, cucumberArgs(run), {
    cwd: run.cwd,
    // Its own process group: the runner forwards signals itself and can end the whole tree
    // (workers, browsers, chromedriver) with one kill if the graceful stop takes too long.
    detached: true,
    stdio: ["ignore", stdio, stdio],
    env: {
      ...process.env,
      SIGNOFF_STEP_TIMEOUT_MS: String(run.stepTimeoutMs),
      FORCE_COLOR: process.stdout.isTTY ? "1" : "0",
      [PROCESS_GROUPS_ENV]: registry,
    },
  });
  groupRegistries.set(child, registry);
  return child;
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** Signals every process in the child's group (the child, its workers, browsers, drivers). */
/**
 * Signals the Cucumber process's group. SIGKILL also ends the groups its workers started and recorded
 * (chromedriver leads its own group so a worker can stop it; a killed worker cannot).
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
  const registry = groupRegistries.get(child);
  if (signal === "SIGKILL" && registry) {
    killRecordedGroups(registry);
    rmSync(registry, { recursive: true, force: true });
  }
}
