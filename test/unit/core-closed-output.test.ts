// A process whose stdout's reader went away (`| head -1`) carries on: the writes are dropped, never an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * A node process that prints a line every few ms for a while (console.log and direct writes, as Cucumber's
 * formatters do), its stdout closed by the reader after the first line; it says on stderr that it got to the end.
 */
function printer(guarded: boolean): Promise<{ code: number | null; stderr: string }> {
  const script = `
    ${guarded ? `require(${JSON.stringify(join(ROOT, "src", "core", "closed-output.ts"))}).ignoreClosedOutput();` : ""}
    let i = 0;
    const t = setInterval(() => {
      console.log("line " + i);
      process.stdout.write("more\\n", () => undefined);
      if (++i === 40) { clearInterval(t); process.stderr.write("got to the end\\n"); }
    }, 5);
  `;
  const child = spawn(process.execPath, ["--require", join(ROOT, "src", "register.js"), "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.once("data", () => child.stdout.destroy()); // the reader has seen enough
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

test("ignoreClosedOutput: writes after the reader closed stdout are dropped and the process carries on", async () => {
  const [bare, guarded] = await Promise.all([printer(false), printer(true)]);
  // What the bug was: the EPIPE is an uncaught exception (in a Cucumber process, blamed on the running hook).
  assert.notEqual(bare.code, 0, bare.stderr);
  assert.match(bare.stderr, /EPIPE/);
  assert.deepEqual(guarded, { code: 0, stderr: "got to the end\n" });
});
