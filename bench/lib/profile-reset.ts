// Selenium's reset and page-status read, over DevTools against over WebDriver, interleaved in one browser: wall and CPU per call.
//
//   node -r ./src/register.js bench/lib/profile-reset.ts [target=se-desktop] [rounds=4] [per-round=15]
//
// Each call is preceded by a page load (something to leave). CPU = user + system of this process and
// every descendant (chromedriver, every Chromium process), read from /proc around each block of calls,
// so it includes the page loads: compare the ways' CPU, not their absolute values. The "new browser
// context" way is the Playwright-style alternative to the reset (a CDP browser context per scenario, its
// tab prepared one scenario ahead, WebDriver switched to it, the old context disposed); its page loads are
// the first ones in a new context, so their wall time is printed separately.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { startBenchServer } from "./bench-server";
import { descendants } from "./proctree";

/** What the adapter's page-status read asks (SeleniumSession.pageStatus). */
const STATUS = `({ href: location.href, status: performance.getEntriesByType("navigation")[0].responseStatus })`;
const TICK_MS = 10; // USER_HZ = 100 on Linux

function treeCpuMs(): number {
  let ticks = 0;
  for (const pid of descendants(process.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      // gone
    }
  }
  return ticks * TICK_MS;
}

/** The adapter's internals this harness times (private in the class). */
interface Internals {
  tab: {
    targetId: string;
    evaluate(expression: string): Promise<unknown>;
    send<T>(method: string, params: object, blockedByDialog: boolean, sessionId?: string): Promise<T>;
  };
  driver: {
    executeScript(script: string): Promise<unknown>;
    switchTo(): { window(handle: string): Promise<void> };
  };
  resetOverDevTools(tab: unknown): Promise<boolean>;
  resetOverWebDriver(keep?: string): Promise<void>;
}

async function main() {
  const [targetName = "se-desktop", roundsText = "4", perText = "15"] = process.argv.slice(2);
  const target = BUILTIN_TARGETS[targetName];
  const found = discoverBrowsers();
  const server = await startBenchServer();
  const url = `${server.origin}/about`;
  const driver = await launchSeleniumDriver(target, {
    chromiumPath: found.chromium?.path ?? "/usr/bin/chromium",
    chromedriverPath: found.chromedriver?.path ?? "/usr/bin/chromedriver",
    timeouts: { actionTimeoutMs: 5000, navigationTimeoutMs: 15000 },
  });
  const session = await driver.newSession(); // connects the tab
  const inner = driver as unknown as Internals;
  if (!inner.tab) throw new Error("no DevTools connection to the tab");
  const contexts = browserContexts(inner);
  const ways: Record<string, () => Promise<unknown>> = {
    "reset over WebDriver": () => inner.resetOverWebDriver(inner.tab.targetId),
    "reset over DevTools": async () => {
      if (!(await inner.resetOverDevTools(inner.tab))) throw new Error("the DevTools reset fell back");
    },
    "new browser context": () => contexts.swap(),
    "load only": async () => undefined,
    "status script over WebDriver": () => inner.driver.executeScript(`return ${STATUS};`),
    "status script over DevTools": () => inner.tab.evaluate(STATUS),
  };
  const wall = new Map<string, number[]>();
  const loads = new Map<string, number[]>();
  const cpu = new Map<string, number>();
  const rounds = Number(roundsText);
  const per = Number(perText);
  for (let r = 0; r < rounds; r++) {
    for (const [name, call] of Object.entries(ways)) {
      // The DevTools reset closes every other page: the next context's tab is prepared after it. (In that way
      // the adapter's status read still evaluates in the first tab, ≈ 2 ms like in the others.)
      if (name === "new browser context") await contexts.prepare();
      const c0 = treeCpuMs();
      for (let i = 0; i < per; i++) {
        const l = performance.now();
        await session.goto(url);
        (loads.get(name) ?? loads.set(name, []).get(name)!).push(performance.now() - l);
        const t = performance.now();
        await call();
        (wall.get(name) ?? wall.set(name, []).get(name)!).push(performance.now() - t);
      }
      cpu.set(name, (cpu.get(name) ?? 0) + treeCpuMs() - c0);
      if (name === "new browser context") await contexts.backToFirstTab();
    }
  }
  await session.close();
  await driver.close();
  server.stop();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const n = rounds * per;
  const loadOnly = cpu.get("load only")! / n;
  for (const [name, xs] of wall) {
    const perCall = cpu.get(name)! / n;
    process.stdout.write(
      `${name}: wall median ${median(xs).toFixed(1)} ms, mean ${(xs.reduce((a, b) => a + b, 0) / n).toFixed(1)} ms; ` +
        `tree CPU per load + call ${perCall.toFixed(1)} ms (call alone ≈ ${(perCall - loadOnly).toFixed(1)} ms); ` +
        `the load before it: wall median ${median(loads.get(name)!).toFixed(1)} ms\n`,
    );
  }
}

/**
 * A new CDP browser context per scenario over the tab's own DevTools connection: the next context and its
 * about:blank tab are made (and attached, Page.enable'd, as the adapter's tab is) one scenario ahead.
 */
function browserContexts(inner: Internals) {
  const browser = <T>(method: string, params: object = {}) => inner.tab.send<T>(method, params, false);
  type Made = { browserContextId?: string; targetId: string };
  let current: Made = { targetId: inner.tab.targetId };
  let next: Made | undefined;
  const dispose = async (m: Made | undefined) => {
    if (m?.browserContextId) await browser("Target.disposeBrowserContext", { browserContextId: m.browserContextId });
  };
  const prepare = async () => {
    const { browserContextId } = await browser<{ browserContextId: string }>("Target.createBrowserContext");
    const { targetId } = await browser<{ targetId: string }>("Target.createTarget", {
      url: "about:blank",
      browserContextId,
    });
    const { sessionId } = await browser<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
    await inner.tab.send("Page.enable", {}, false, sessionId);
    next = { browserContextId, targetId };
  };
  return {
    prepare,
    /** WebDriver to the prepared tab, the old context disposed, the next one prepared: all on the scenario's path. */
    async swap() {
      const old = current;
      current = next!;
      await inner.driver.switchTo().window(current.targetId);
      await dispose(old);
      await prepare();
    },
    async backToFirstTab() {
      await inner.driver.switchTo().window(inner.tab.targetId);
      await dispose(current);
      await dispose(next);
      current = { targetId: inner.tab.targetId };
      next = undefined;
    },
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
