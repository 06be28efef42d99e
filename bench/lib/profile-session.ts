// Where a scenario's browser time goes: Signoff's adapter (newSession, trace, goto, read, close) against the raw loop, interleaved in one process.
//
//   node -r ./src/register.js bench/lib/profile-session.ts <target> [rounds=6] [per-round=15] [adapter module]
//
// Both browsers stay up; rounds alternate raw and Signoff blocks so load changes hit both alike. Prints
// mean ms per phase and the ratio of Signoff's whole iteration to the raw one (median of the rounds' ratios).
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchDriver } from "../../src/browser/launch";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { startBenchServer } from "./bench-server";
import { discardTrace, startTrace, tracingWanted } from "../../src/report/evidence";
import { openRawLoop } from "./raw";

const PHASES = ["newSession", "trace start", "goto", "read", "trace stop", "close"] as const;

async function main() {
  const [targetName, roundsText = "6", perText = "15", adapter] = process.argv.slice(2);
  const target = BUILTIN_TARGETS[targetName];
  if (!target) throw new Error(`unknown target ${targetName}`);
  const found = discoverBrowsers();
  const chromium = found.chromium?.path ?? "/usr/bin/chromium";
  const chromedriver = found.chromedriver?.path ?? "/usr/bin/chromedriver";
  const server = await startBenchServer();
  const url = `${server.origin}/about`;
  const raw = await openRawLoop(targetName, url, chromium, chromedriver);
  const timeouts = { actionTimeoutMs: 5000, navigationTimeoutMs: 15000 };
  // An adapter module to compare against (e.g. an older copy of src/browser/playwright.ts), else Signoff's own.
  const driver = adapter
    ? await (target.driver === "playwright"
        ? (require(resolve(adapter)) as typeof import("../../src/browser/playwright")).launchPlaywrightDriver(target, {
            chromiumPath: chromium,
            timeouts,
          })
        : (require(resolve(adapter)) as typeof import("../../src/browser/selenium")).launchSeleniumDriver(target, {
            chromiumPath: chromium,
            chromedriverPath: chromedriver,
            timeouts,
          }))
    : await launchDriver(target, { chromiumPath: chromium, chromedriverPath: chromedriver, timeouts });
  const sums = new Map<string, number>(PHASES.map((p) => [p, 0]));
  const ratios: number[] = [];
  let rawTotal = 0;
  let sigTotal = 0;
  let count = 0;
  const rounds = Number(roundsText);
  const per = Number(perText);
  await raw.step(); // the first loads are start-up
  const warm = await driver.newSession();
  await warm.goto(url);
  await warm.close();
  for (let r = 0; r < rounds; r++) {
    let rawMs = 0;
    for (let i = 0; i < per; i++) {
      const t = performance.now();
      await raw.step();
      rawMs += performance.now() - t;
    }
    let sigMs = 0;
    for (let i = 0; i < per; i++) {
      const t0 = performance.now();
      let t = t0;
      const mark = (p: string) => {
        const now = performance.now();
        sums.set(p, sums.get(p)! + now - t);
        t = now;
      };
      const s = await driver.newSession();
      mark("newSession");
      if (tracingWanted()) await startTrace(s, "profile");
      mark("trace start");
      await s.goto(url);
      mark("goto");
      if (!(await s.bodyText()).includes("About")) throw new Error("no About");
      mark("read");
      await discardTrace(s);
      mark("trace stop");
      await s.close();
      mark("close");
      sigMs += performance.now() - t0;
    }
    ratios.push(sigMs / rawMs);
    rawTotal += rawMs;
    sigTotal += sigMs;
    count += per;
  }
  await driver.close();
  await raw.close();
  server.stop();
  ratios.sort((a, b) => a - b);
  const out = {
    target: targetName,
    scenarios: count,
    rawMs: Math.round((rawTotal / count) * 10) / 10,
    signoffMs: Math.round((sigTotal / count) * 10) / 10,
    phasesMs: Object.fromEntries([...sums].map(([k, v]) => [k, Math.round((v / count) * 10) / 10])),
    ratioMedian: Math.round(ratios[Math.floor(ratios.length / 2)] * 100) / 100,
    ratioRange: [Math.round(ratios[0] * 100) / 100, Math.round(ratios[ratios.length - 1] * 100) / 100],
  };
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
