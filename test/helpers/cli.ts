// Test helpers: run the real `signoff` CLI as a child process and collect what it printed.
import { spawn } from "node:child_process";
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

export function runSignoff(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIGNOFF, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`signoff ${args.join(" ")} did not finish in ${opts.timeoutMs ?? 180_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 180_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tempDir(prefix = "signoff-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
