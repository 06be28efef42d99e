// A node process standing in for a Cucumber worker: it starts a browser or driver with the runner's group registry set.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROCESS_GROUPS_ENV } from "../../src/browser/process-groups";

const SRC = join(__dirname, "..", "..", "src");

/**
 * Runs `start` (an expression over `m`, the module at src/`module`, that returns a promise) in a new node process
 * whose registry is a fresh dir; resolves once that promise has settled well, with the process still running.
 */
export async function groupWorker(module: string, start: string): Promise<{ worker: ChildProcess; registry: string }> {
  const registry = mkdtempSync(join(tmpdir(), "signoff-groups-test-"));
  const script = `require(${JSON.stringify(join(SRC, "register.js"))});
    const m = require(${JSON.stringify(join(SRC, module))});
    Promise.resolve(${start}).then(() => process.stdout.write("ready\\n"));
    setInterval(() => {}, 1000);`;
  const worker = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, [PROCESS_GROUPS_ENV]: registry },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
    worker.once("exit", (code) => reject(new Error(`worker exited (${code})`)));
  });
  return { worker, registry };
}
