// Selenium's reset and page-status read, over DevTools against over WebDriver, interleaved in one browser: wall and CPU per call.
//
//   node -r ./src/register.js bench/lib/profile-reset.ts [target=se-desktop] [rounds=4] [per-round=15]
//
// Each call is preceded by a page load (something to leave). CPU = user + system of this process and
// every descendant (chromedriver, every Chromium process), read from /proc around each block of calls,
// so it includes the page loads: compare the two ways' CPU, not their absolute values.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
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
  tab: { targetId: string; evaluate(expression: string): Promise<unknown> };
  driver: { executeScript(script: string): Promise<unknown> };
  resetOverDevTools(tab: unknown): Promise<boolean>;
  resetOverWebDriver(keep?: string): Promise<void>;
}

async function main() {
  const [targetName = "se-desktop", roundsText = "4", perText = "15"] = process.argv.slice(2);
  const target = BUILTIN_TARGETS[targetName];
  const found = discoverBrowsers();
  const server = spawn(process.execPath, [join(__dirname, "server.js")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((ok) =>
    server.stdout!.on("data", (d) => ok(Number(/"port":(\d+)/.exec(String(d))![1]))),
  );
  const url = `http://127.0.0.1:${port}/about`;
  const driver = await launchSeleniumDriver(target, {
    chromiumPath: found.chromium?.path ?? "/usr/bin/chromium",
    chromedriverPath: found.chromedriver?.path ?? "/usr/bin/chromedriver",
    timeouts: { actionTimeoutMs: 5000, navigationTimeoutMs: 15000 },
  });
  const session = await driver.newSession(); // connects the tab
  const inner = driver as unknown as Internals;
  if (!inner.tab) throw new Error("no DevTools connection to the tab");
  const ways: Record<string, () => Promise<unknown>> = {
    "reset over WebDriver": () => inner.resetOverWebDriver(inner.tab.targetId),
    "reset over DevTools": async () => {
      if (!(await inner.resetOverDevTools(inner.tab))) throw new Error("the DevTools reset fell back");
    },
    "load only": async () => undefined,
    "status script over WebDriver": () => inner.driver.executeScript(`return ${STATUS};`),
    "status script over DevTools": () => inner.tab.evaluate(STATUS),
  };
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number>();
  const rounds = Number(roundsText);
  const per = Number(perText);
  for (let r = 0; r < rounds; r++) {
    for (const [name, call] of Object.entries(ways)) {
      const c0 = treeCpuMs();
      for (let i = 0; i < per; i++) {
        await session.goto(url);
        const t = performance.now();
        await call();
        (wall.get(name) ?? wall.set(name, []).get(name)!).push(performance.now() - t);
      }
      cpu.set(name, (cpu.get(name) ?? 0) + treeCpuMs() - c0);
    }
  }
  await session.close();
  await driver.close();
  server.kill();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const n = rounds * per;
  const loadOnly = cpu.get("load only")! / n;
  for (const [name, xs] of wall) {
    const perCall = cpu.get(name)! / n;
    process.stdout.write(
      `${name}: wall median ${median(xs).toFixed(1)} ms, mean ${(xs.reduce((a, b) => a + b, 0) / n).toFixed(1)} ms; ` +
        `tree CPU per load + call ${perCall.toFixed(1)} ms (call alone ≈ ${(perCall - loadOnly).toFixed(1)} ms)\n`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
