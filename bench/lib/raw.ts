// The raw driver baseline: Signoff's own browser launch and device emulation, then a plain loop of page load + read.
//
//   node -r ./src/register.js bench/lib/raw.ts <target-name> <n> <url>   → one JSON line on stdout
//
// Run as its own process so its memory is measured like Signoff's; bench/lib/profile-session.ts
// imports openRawLoop to interleave it with the adapter in one process. The browser is started by
// the adapters' own launch code (startBrowser + newEmulatedContext, chromeOptionsFor +
// startChromedriver), so the raw loop and Signoff run the same Chromium with the same flags.
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { discoverBrowsers } from "../../src/browser/discovery";
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

/** One iteration of the raw loop (load the page, read its text), and how to end it. */
export interface RawLoop {
  step: () => Promise<void>;
  close: () => Promise<void>;
}

const TIMEOUTS = { actionTimeoutMs: 5000, navigationTimeoutMs: 15000 };

/** Playwright: one browser, one context, one page. Selenium: one WebDriver session. Nothing between loads. */
export async function openRawLoop(
  targetName: string,
  url: string,
  chromium: string,
  chromedriver: string,
): Promise<RawLoop> {
  const target = BUILTIN_TARGETS[targetName];
  if (!target) throw new Error(`unknown target ${targetName}`);
  if (target.driver === "playwright") {
    // require(): Playwright-only runs never load selenium-webdriver, and the reverse.
    const pw = require("../../src/browser/playwright") as typeof import("../../src/browser/playwright");
    const browser = await pw.startBrowser(target, { chromiumPath: chromium, timeouts: TIMEOUTS });
    const page = await (await pw.newEmulatedContext(browser, target)).newPage();
    return {
      step: async () => {
        await page.goto(url, { waitUntil: "load" });
        const text = await page.locator("body").innerText();
        if (!text.includes("About")) throw new Error(`page did not show "About": ${text}`);
      },
      close: () => browser.close(),
    };
  }
  const se = require("../../src/browser/selenium") as typeof import("../../src/browser/selenium");
  const { startChromedriver } =
    require("../../src/browser/chromedriver") as typeof import("../../src/browser/chromedriver");
  const chrome = require("selenium-webdriver/chrome") as typeof import("selenium-webdriver/chrome");
  const http = require("selenium-webdriver/http") as typeof import("selenium-webdriver/http");
  const { options, userDataDir } = se.chromeOptionsFor(target, chromium);
  const local = await startChromedriver(chromedriver);
  const driver = chrome.Driver.createSession(options, new http.Executor(new http.HttpClient(local.url)));
  await driver.getSession();
  return {
    step: async () => {
      await driver.get(url);
      const text = await driver.executeScript<string>("return document.body.innerText;");
      if (!text.includes("About")) throw new Error(`page did not show "About": ${text}`);
    },
    close: async () => {
      await driver.quit().catch(() => undefined);
      await local.stop();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const [targetName, nText, url] = process.argv.slice(2);
  const found = discoverBrowsers();
  if (!found.chromium) throw new Error("no Chromium found");
  const n = Number(nText);
  const loop = await openRawLoop(
    targetName,
    url,
    found.chromium.path,
    found.chromedriver?.path ?? "/usr/bin/chromedriver",
  );
  const startupMs = performance.now(); // since this process started
  const iterationsMs: number[] = [];
  const t0 = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await loop.step();
      iterationsMs.push(performance.now() - s);
    }
  } finally {
    await loop.close();
  }
  const totalMs = performance.now() - t0;
  process.stdout.write(
    JSON.stringify({ target: targetName, n, iterationsMs, totalMs, startupMs } satisfies RawResult) + "\n",
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
