// A browser started as a target's process starts is the one its World gets, only for the same target and options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import { closeUnusedPrelaunch, launchDriver, prelaunchDriver, type LaunchOptions } from "../../src/browser/launch";
import { prelaunchFor } from "../../src/runner/run";

const target: TargetSpec = { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" };
const timeouts = { stepMs: 30_000, actionMs: 5_000, navigationMs: 15_000 };
const found = discoverBrowsers();
const options: LaunchOptions = {
  chromiumPath: found.chromium?.path,
  chromedriverPath: found.chromedriver?.path,
  timeouts: { actionTimeoutMs: 5_000, navigationTimeoutMs: 15_000 },
};

/** How many browser launches this process started while `work` ran (its phase marks). */
async function launchesDuring(work: () => Promise<void>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-prelaunch-"));
  process.env.SIGNOFF_PHASES = join(dir, "phases.ndjson");
  try {
    await work();
    return readFileSync(process.env.SIGNOFF_PHASES, "utf8")
      .split("\n")
      .filter((l) => l.includes('"browser launch started"')).length;
  } finally {
    delete process.env.SIGNOFF_PHASES;
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a serial local target prelaunches what its World asks for; remote targets and workers do not", () => {
  const config = { timeouts, browserPath: "/opt/chrome", chromedriverPath: undefined };
  const spec = {
    target,
    browsers: { chromiumPath: "/opt/chrome", chromedriverPath: undefined },
    timeouts: options.timeouts,
  };
  assert.deepEqual(prelaunchFor(target, config, undefined), spec);
  assert.deepEqual(prelaunchFor(target, config, 1), spec);
  assert.equal(prelaunchFor(target, config, 2), undefined);
  assert.equal(prelaunchFor({ ...target, remote: "ws://127.0.0.1:9/" }, config, undefined), undefined);
});

test("the first launch for the same target and options takes the prelaunched browser over", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const launches = await launchesDuring(async () => {
    prelaunchDriver(target, options);
    const driver = await launchDriver(target, structuredClone(options));
    try {
      assert.equal(driver.isDead(), false);
    } finally {
      await driver.close();
    }
  });
  assert.equal(launches, 1);
});

test("other options launch a new browser; the prelaunched one is not handed out", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const launches = await launchesDuring(async () => {
    prelaunchDriver(target, options);
    const driver = await launchDriver(target, { ...options, timeouts: { ...options.timeouts, actionTimeoutMs: 1 } });
    await driver.close();
    await closeUnusedPrelaunch(); // nothing left to close: the mismatch closed it
  });
  assert.equal(launches, 2);
});

test("a prelaunch that fails fails the first launch with the same error, and closing it unused is quiet", async () => {
  const broken = { ...options, chromiumPath: "/nonexistent/chromium" };
  const direct = await launchDriver(target, broken).catch((e: Error) => e);
  assert.ok(direct instanceof Error);
  prelaunchDriver(target, broken);
  const taken = await launchDriver(target, broken).catch((e: Error) => e);
  assert.ok(taken instanceof Error);
  assert.equal(taken.constructor, direct.constructor);
  assert.equal(taken.message, direct.message);
  prelaunchDriver(target, broken);
  await closeUnusedPrelaunch();
});
