// Playwright's Chromium leads its own process group: a worker records it, so the runner can end it after a SIGKILL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverBrowsers } from "../../src/browser/discovery";
import { killRecordedGroups, PROCESS_GROUPS_ENV } from "../../src/browser/process-groups";

const chromium = discoverBrowsers().chromium?.path;
const ROOT = join(__dirname, "..", "..");

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
async function workerWithChromium(executable: string, thenClose: boolean) {
  const registry = mkdtempSync(join(tmpdir(), "signoff-groups-test-"));
  const script = `require(${JSON.stringify(join(ROOT, "src", "register.js"))});
    require(${JSON.stringify(join(ROOT, "src", "browser", "playwright.ts"))})
      .startBrowser({ name: "t", driver: "playwright" }, { chromiumPath: ${JSON.stringify(executable)}, timeouts: {} })
      .then(async (b) => { if (${thenClose}) await b.close(); process.stdout.write("ready\\n"); });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, [PROCESS_GROUPS_ENV]: registry },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`worker exited (${code})`)));
  });
  return { worker: child, registry };
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
