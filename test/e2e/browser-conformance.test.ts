// Runs the one BrowserSession conformance suite (test/conformance/suite.ts) against both adapters,
// on a desktop and a phone device, then checks that both drivers observed the very same things.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { TargetSpec } from "../../src/config/types";
import { emulationFor } from "../../src/browser/devices";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import type { SessionTimeouts } from "../../src/browser/session";
import { ProcessLedger } from "../conformance/processes";
import { conformanceSuite } from "../conformance/suite";

const timeouts: SessionTimeouts = { actionTimeoutMs: 2000, navigationTimeoutMs: 15_000 };
const found = discoverBrowsers();
const chromiumPath = found.chromium?.path ?? "/usr/bin/chromium";
const chromedriverPath = found.chromedriver?.path ?? "/usr/bin/chromedriver";

const DEVICES = ["Desktop Chrome", "Pixel 7"];
const DRIVERS = ["playwright", "selenium"] as const;
/** driver → device → what the suite observed */
const observed = new Map<string, Map<string, unknown>>();

const ledger = new ProcessLedger();

for (const device of DEVICES) {
  for (const driver of DRIVERS) {
    const target: TargetSpec = { name: `${driver}-${device}`, driver, browser: "chromium", device };
    const observations = new Map<string, unknown>();
    observed.set(`${driver}|${device}`, observations);
    conformanceSuite({
      label: `${driver} × ${device}`,
      emulation: emulationFor(target),
      timeouts,
      observations,
      processes: ledger,
      launch: () =>
        driver === "playwright"
          ? launchPlaywrightDriver(target, { chromiumPath, timeouts })
          : launchSeleniumDriver(target, { chromiumPath, chromedriverPath, timeouts }),
    });
  }
}

test("Playwright and Selenium observe the same page the same way, per device", () => {
  for (const device of DEVICES) {
    const pw = observed.get(`playwright|${device}`)!;
    const se = observed.get(`selenium|${device}`)!;
    assert.ok(pw.size > 0 && se.size > 0, `both drivers ran on ${device}`);
    for (const [key, value] of pw) {
      assert.deepEqual(se.get(key), value, `${device}: selenium's ${key} differs from playwright's`);
    }
  }
});

after(async () => {
  // No orphans: every browser and chromedriver process the suites started has ended.
  assert.ok(ledger.seen.size > 0, "the ledger saw the browsers");
  const deadline = Date.now() + 5000;
  while (ledger.stillRunning().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(ledger.stillRunning(), [], "browser processes left running after the tests");
});
