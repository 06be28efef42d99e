// Playwright's Chromium leads its own process group: a worker records it, so the runner can end it after a SIGKILL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { discoverBrowsers } from "../../src/browser/discovery";
import { killRecordedGroups } from "../../src/browser/process-groups";
import { groupWorker } from "../helpers/group-worker";

const chromium = discoverBrowsers().chromium?.path;

function groupOf(pid: number): string | undefined {
  try {
    return execFileSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
}

/** A node process that launches Chromium through the adapter with the runner's registry set, as a worker does. */
function workerWithChromium(executable: string, thenClose: boolean) {
  const options = JSON.stringify({ chromiumPath: executable, timeouts: {} });
  const launched = `m.startBrowser({ name: "t", driver: "playwright" }, ${options})`;
  return groupWorker("browser/playwright.ts", thenClose ? `${launched}.then((b) => b.close())` : launched);
}

test("a worker killed with SIGKILL leaves its Chromium recorded: killRecordedGroups ends it", async () => {
  assert.ok(chromium, "no Chromium found (set chromiumPath or install one)");
  const { worker, registry } = await workerWithChromium(chromium, false);
  const exited = new Promise((r) => worker.once("exit", r));
  let recorded: number[];
  try {
    recorded = readdirSync(registry).map(Number);
    assert.equal(recorded.length, 1, "the worker recorded the Chromium group it started");
    assert.equal(groupOf(recorded[0]), String(recorded[0]), "Chromium runs, leading its own group");
    assert.notEqual(groupOf(recorded[0]), groupOf(worker.pid!), "not in the worker's group");
  } finally {
    worker.kill("SIGKILL"); // a worker that cannot clean up after itself (its Chromium ends once its pipe closes)
    await exited;
  }
  killRecordedGroups(registry);
  await until(() => groupOf(recorded[0]) === undefined);
  assert.equal(groupOf(recorded[0]), undefined, "killRecordedGroups ended it");
});

test("a browser closed by its worker leaves no record behind (its pid may be reused)", async () => {
  assert.ok(chromium, "no Chromium found (set chromiumPath or install one)");
  const { worker, registry } = await workerWithChromium(chromium, true);
  try {
    await until(() => readdirSync(registry).length === 0);
    assert.deepEqual(readdirSync(registry), []);
  } finally {
    worker.kill("SIGKILL");
  }
});
