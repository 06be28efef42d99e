// The raw driver baseline, run as its own process so its memory is measured like Signoff's:
// one browser (Playwright: one context + one page; Selenium: one WebDriver session), then a plain loop
// of page load + read, with the same Chromium flags and device emulation as the Signoff target.
//
//   node -r ./src/register.js bench/lib/raw.ts <target-name> <n> <url>   → one JSON line on stdout
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";
import { emulationFor } from "../../src/browser/devices";
import { discoverBrowsers } from "../../src/browser/discovery";
import { chromeEmulationFor } from "../../src/browser/mobile-emulation";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

export interface RawResult {
  target: string;
  n: number;
  /** Process start → browser ready (includes loading the driver library). */
  startupMs: number;
  /** Per iteration: page load + read. */
  iterationsMs: number[];
  totalMs: number;
}

async function playwrightLoop(
  targetName: string,
  n: number,
  url: string,
  chromium: string,
): Promise<Omit<RawResult, "startupMs">> {
  const { chromium: pw } = require("playwright-core") as typeof import("playwright-core");
  const e = emulationFor(BUILTIN_TARGETS[targetName]);
  const browser = await pw.launch({
    executablePath: chromium,
    headless: true,
    args: HEADLESS_CHROMIUM_ARGS.filter((a) => a !== "--headless"),
  });
  const context = await browser.newContext({
    viewport: e.viewport,
    deviceScaleFactor: e.deviceScaleFactor,
    userAgent: e.userAgent,
    isMobile: e.isMobile,
    hasTouch: e.hasTouch,
  });
  const page = await context.newPage();
  ready();
  const iterationsMs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await page.goto(url, { waitUntil: "load" });
    const text = await page.locator("body").innerText();
    if (!text.includes("About")) throw new Error(`page did not show "About": ${text}`);
    iterationsMs.push(performance.now() - s);
  }
  const totalMs = performance.now() - t0;
  await browser.close();
  return { target: targetName, n, iterationsMs, totalMs };
}

async function seleniumLoop(
  targetName: string,
  n: number,
  url: string,
  chromium: string,
  chromedriver: string,
): Promise<Omit<RawResult, "startupMs">> {
  const chrome = require("selenium-webdriver/chrome") as typeof import("selenium-webdriver/chrome");
  const e = emulationFor(BUILTIN_TARGETS[targetName]);
  const ce = chromeEmulationFor(e);
  const profile = mkdtempSync(join(tmpdir(), "signoff-bench-raw-"));
  const options = new chrome.Options();
  options.addArguments(
    ...HEADLESS_CHROMIUM_ARGS,
    "--hide-scrollbars",
    "--mute-audio",
    ...ce.args,
    `--user-data-dir=${profile}`,
  );
  options.setChromeBinaryPath(chromium);
  options.setMobileEmulation(ce.mobileEmulation as unknown as { deviceName: string });
  const service = new chrome.ServiceBuilder(chromedriver).setLoopback(true).setHostname("127.0.0.1").build();
  const driver = chrome.Driver.createSession(options, service);
  await driver.getSession();
  ready();
  const iterationsMs: number[] = [];
  const t0 = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await driver.get(url);
      const text = await driver.executeScript<string>("return document.body.innerText;");
      if (!text.includes("About")) throw new Error(`page did not show "About": ${text}`);
      iterationsMs.push(performance.now() - s);
    }
  } finally {
    await driver.quit();
    rmSync(profile, { recursive: true, force: true });
  }
  return { target: targetName, n, iterationsMs, totalMs: performance.now() - t0 };
}

let startupMs = 0;
function ready() {
  startupMs = performance.now(); // since this process started
}

async function main() {
  const [targetName, nText, url] = process.argv.slice(2);
  const target = BUILTIN_TARGETS[targetName];
  if (!target) throw new Error(`unknown target ${targetName}`);
  const found = discoverBrowsers();
  if (!found.chromium) throw new Error("no Chromium found");
  const n = Number(nText);
  const r =
    target.driver === "playwright"
      ? await playwrightLoop(targetName, n, url, found.chromium.path)
      : await seleniumLoop(
          targetName,
          n,
          url,
          found.chromium.path,
          found.chromedriver?.path ?? "/usr/bin/chromedriver",
        );
  process.stdout.write(JSON.stringify({ ...r, startupMs } satisfies RawResult) + "\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
