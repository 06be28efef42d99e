// Runs Cucumber for one target in its own process, with Signoff's formatters and world parameters.
import { spawn, type ChildProcess } from "node:child_process";
import { devNull } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readMessagesFile } from "../results/read-messages";
import type { WorldParameters } from "../config/types";

export const CUCUMBER_BIN = join(dirname(require.resolve("@cucumber/cucumber/package.json")), "bin", "cucumber.js");

export interface CucumberRun {
  /** Feature paths (or "file:line" for a shard's slice). */
  paths: string[];
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
    CUCUMBER_BIN,
    "--profile",
    "signoff",
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

export function spawnCucumber(run: CucumberRun, stdio: "inherit" | "pipe" = "inherit"): ChildProcess {
  return spawn(process.execPath, cucumberArgs(run), {
    cwd: run.cwd,
    // Its own process group: the runner forwards signals itself and can end the whole tree
    // (workers, browsers, chromedriver) with one kill if the graceful stop takes too long.
    detached: true,
    stdio: ["ignore", stdio, stdio],
    env: { ...process.env, SIGNOFF_STEP_TIMEOUT_MS: String(run.stepTimeoutMs), FORCE_COLOR: process.stdout.isTTY ? "1" : "0" },
  });
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * A dry run (no browser) to find undefined or ambiguous steps before any target starts,
 * so their snippets are listed once, not once per target. (A dry run exits 0 even then,
 * so the verdict comes from its messages.)
 */
export async function preflight(paths: string[], tags: string | undefined, cwd?: string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-preflight-"));
  const messages = join(dir, "dry-run.ndjson");
  const args = [CUCUMBER_BIN, "--profile", "signoff", ...paths, "--dry-run", "--format", "summary", "--format", `message:${messages}`];
  if (tags) args.push("--tags", tags);
  try {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const { code } = await waitForExit(child);
    if (code !== 0) return { ok: false, output };
    const { scenarios } = await readMessagesFile(messages, { target: "dry-run" });
    return { ok: !scenarios.some((s) => s.status === "undefined" || s.status === "ambiguous"), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signals every process in the child's group (the child, its workers, browsers, drivers). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
