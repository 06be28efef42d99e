// Test helpers: run the real `signoff` CLI as a child process and collect what it printed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
export const SIGNOFF = join(ROOT, "bin", "signoff.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Environment entries that take NAMES out of the child's environment (a developer's own SIGNOFF_RUN_KEY or
 * SIGNOFF_KEY): set to "" they would still be set, and an empty key variable is an error (what CI gives for a
 * secret that is not defined).
 */
export function unsetEnv(...names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(names.map((name) => [name, undefined]));
}

/** The child's environment: the parent's, with `env` over it; a variable `env` maps to undefined is left out. */
function childEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
}

export function runSignoff(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startSignoff(args, opts).done;
}

/** Starts the CLI and hands back the process, for tests that signal it mid-run. */
export function startSignoff(args: string[], opts: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [SIGNOFF, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: childEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`signoff ${args.join(" ")} did not finish in ${opts.timeoutMs ?? 180_000} ms\n${stdout}\n${stderr}`),
      );
    }, opts.timeoutMs ?? 180_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

export function tempDir(prefix = "signoff-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
