// onChildSpawned reports the first matching child process once it exists, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { onChildSpawned } from "../../src/browser/spawn-watch";

/** A short-lived node child carrying `marker` among its arguments; resolves once it has exited. */
function run(marker: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ["-e", "", marker], { stdio: "ignore" });
  return { child, exited: new Promise((resolve) => child.once("exit", () => resolve())) };
}

test("the callback runs once the matching child has spawned, only for it, and only once", async () => {
  const calls: Array<number | undefined> = [];
  let wanted: ChildProcess | undefined;
  const stop = onChildSpawned(
    (args) => args.includes("--wanted"),
    () => calls.push(wanted?.pid),
  );
  try {
    const other = run("--other");
    await other.exited;
    assert.deepEqual(calls, [], "a child without the marker is not reported");
    const first = run("--wanted");
    wanted = first.child;
    await first.exited;
    await run("--wanted").exited;
    assert.equal(calls.length, 1, "reported once, for the first match only");
    assert.equal(calls[0], first.child.pid, "reported when that child already had its pid");
  } finally {
    stop();
  }
});

test("stopped, it reports nothing; a child that fails to spawn is not reported", async () => {
  let calls = 0;
  const stopped = onChildSpawned(
    () => true,
    () => calls++,
  );
  stopped();
  await run("--any").exited;
  assert.equal(calls, 0);

  const stop = onChildSpawned(
    () => true,
    () => calls++,
  );
  try {
    const missing = spawn("/nonexistent/signoff-no-such-binary", ["--x"]);
    await new Promise((resolve) => missing.once("error", resolve));
    assert.equal(calls, 0, "no process, no report");
  } finally {
    stop();
  }
});
