// A Selenium target's chromedriver starts before selenium-webdriver loads: taken over once, and never left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import { PROCESS_GROUPS_ENV } from "../../src/browser/process-groups";
import { launchDriver, prelaunchDriver, prelaunchUnderway, type LaunchOptions } from "../../src/browser/launch";

const target: TargetSpec = { name: "se-desktop", driver: "selenium", browser: "chromium", device: "Desktop Chrome" };
const found = discoverBrowsers();
const options: LaunchOptions = {
  chromiumPath: found.chromium?.path,
  chromedriverPath: found.chromedriver?.path,
  timeouts: { actionTimeoutMs: 5_000, navigationTimeoutMs: 15_000 },
};

/**
 * Runs `work` with chromedriver's process groups recorded in a fresh directory (chromedriver.ts): how many
 * chromedriver groups it started, and how many are still recorded (not stopped) when it is done.
 */
async function chromedriversDuring(work: () => Promise<void>): Promise<{ started: number; left: number }> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-groups-"));
  const started = new Set<string>();
  const watcher = watch(dir, (_event, name) => name && started.add(name));
  process.env[PROCESS_GROUPS_ENV] = dir;
  try {
    await work();
    for (let i = 0; i < 50 && started.size === 0; i++) await new Promise((r) => setTimeout(r, 20)); // the watch event
    return { started: started.size, left: readdirSync(dir).length };
  } finally {
    watcher.close();
    delete process.env[PROCESS_GROUPS_ENV];
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the first Selenium launch for the same target takes the prelaunched session over", async () => {
  assert.ok(found.chromedriver, "no chromedriver found");
  const phases = join(mkdtempSync(join(tmpdir(), "signoff-phases-")), "phases.ndjson");
  process.env.SIGNOFF_PHASES = phases;
  try {
    const groups = await chromedriversDuring(async () => {
      prelaunchDriver(target, options);
      const driver = await launchDriver(target, structuredClone(options));
      try {
        const session = await driver.newSession();
        assert.equal((await session.viewport()).viewportWidth, 1280);
      } finally {
        await driver.close();
      }
    });
    assert.deepEqual(groups, { started: 1, left: 0 });
    assert.equal(readFileSync(phases, "utf8").match(/"browser launch started"/g)?.length, 1);
  } finally {
    delete process.env.SIGNOFF_PHASES;
    rmSync(join(phases, ".."), { recursive: true, force: true });
  }
});

test("a Selenium launch that fails after chromedriver started stops it, whichever step fails", async () => {
  assert.ok(found.chromedriver, "no chromedriver found");
  const failures: Array<[string, TargetSpec, LaunchOptions, RegExp]> = [
    ["an unknown device", { ...target, device: "Nokia 3310" }, options, /unknown device "Nokia 3310"/],
    [
      "a Chromium that does not start",
      target,
      { ...options, chromiumPath: "/nonexistent/chromium" },
      /could not start a Selenium session for target "se-desktop"/,
    ],
  ];
  for (const [what, spec, opts, message] of failures) {
    const groups = await chromedriversDuring(async () => {
      await assert.rejects(launchDriver(spec, opts), message, what);
    });
    assert.deepEqual(groups, { started: 1, left: 0 }, what);
    const prelaunched = await chromedriversDuring(async () => {
      prelaunchDriver(spec, opts);
      await assert.rejects(launchDriver(spec, opts), message, what);
    });
    assert.deepEqual(prelaunched, { started: 1, left: 0 }, `${what}, prelaunched`);
  }
});

test("a Selenium prelaunch is underway once chromedriver has the session request, before the session is open", async () => {
  assert.ok(found.chromedriver, "no chromedriver found");
  const phases = join(mkdtempSync(join(tmpdir(), "signoff-phases-")), "phases.ndjson");
  process.env.SIGNOFF_PHASES = phases;
  const marks = () =>
    readFileSync(phases, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l).phase);
  try {
    prelaunchDriver(target, options);
    await prelaunchUnderway();
    // Chrome starts only once chromedriver has the request, and the session is open only after Chrome started.
    assert.deepEqual(marks(), ["browser launch started", "browser session requested"]);
    const driver = await launchDriver(target, options);
    await driver.close();
    assert.deepEqual(marks(), ["browser launch started", "browser session requested", "browser launched"]);
  } finally {
    delete process.env.SIGNOFF_PHASES;
    rmSync(join(phases, ".."), { recursive: true, force: true });
  }
});
