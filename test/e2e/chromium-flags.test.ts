// The browsers both adapters start get one --disable-features switch carrying Playwright's list and Signoff's, and no idle omnibox WebUI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import * as chrome from "selenium-webdriver/chrome";
import * as http from "selenium-webdriver/http";
import { discoverBrowsers } from "../../src/browser/discovery";
import { startBrowser } from "../../src/browser/playwright";
import { chromeOptionsFor } from "../../src/browser/selenium";
import { startChromedriver } from "../../src/browser/chromedriver";
import { PLAYWRIGHT_DISABLED_FEATURES, SIGNOFF_DISABLED_FEATURES } from "../../src/browser/chromium-flags";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

const found = discoverBrowsers();
const linuxOnly = process.platform === "linux" ? false : "reads the browser's command line from /proc";

/** The argv of every Chromium browser process (not its helpers) started by this test process. */
function browserArgvs(): string[][] {
  const parent = new Map<number, number>();
  const argvOf = new Map<number, string[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      argvOf.set(Number(d), readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0"));
    } catch {
      // gone
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...argvOf]
    .filter(([pid, argv]) => ours(pid) && argv.some((a) => a.startsWith("--user-data-dir=")))
    .filter(([, argv]) => !argv.some((a) => a.startsWith("--type=")))
    .map(([, argv]) => argv);
}

function featureSwitches(argv: string[]): string[][] {
  return argv.filter((a) => a.startsWith("--disable-features=")).map((a) => a.slice(a.indexOf("=") + 1).split(","));
}

test(
  "Playwright's browser gets one --disable-features: Playwright's own list and Signoff's",
  { skip: linuxOnly },
  async () => {
    const browser = await startBrowser(BUILTIN_TARGETS["pw-desktop"], {
      chromiumPath: found.chromium?.path,
      timeouts: { actionTimeoutMs: 5000, navigationTimeoutMs: 15000 },
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto("data:text/html,<p>hello</p>");
      const mine = browserArgvs();
      assert.equal(mine.length, 1, "one browser process");
      const switches = featureSwitches(mine[0]);
      assert.equal(
        switches.length,
        1,
        `one --disable-features switch (Chromium keeps only the last): ${JSON.stringify(switches)}`,
      );
      for (const f of [...PLAYWRIGHT_DISABLED_FEATURES, ...SIGNOFF_DISABLED_FEATURES])
        assert.ok(switches[0].includes(f), f);
      assert.ok(switches[0].includes("RenderDocument"), "RenderDocument off (the reset's navigation)");
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = await cdp.send("Target.getTargets", { filter: [{}] } as never);
      assert.deepEqual(
        (targetInfos as Array<{ type: string; url: string }>).filter((t) => t.type === "browser_ui").map((t) => t.url),
        [],
      );
    } finally {
      await browser.close();
    }
  },
);

test("chromedriver's browser gets Signoff's --disable-features and no omnibox WebUI", { skip: linuxOnly }, async () => {
  const { options, userDataDir } = chromeOptionsFor(BUILTIN_TARGETS["se-desktop"], found.chromium?.path ?? "");
  const local = await startChromedriver(found.chromedriver?.path ?? "chromedriver");
  const driver = chrome.Driver.createSession(options, new http.Executor(new http.HttpClient(local.url)));
  try {
    await driver.get("data:text/html,<p>hello</p>");
    const mine = browserArgvs().filter((a) => userDataDir && a.includes(`--user-data-dir=${userDataDir}`));
    assert.equal(mine.length, 1, "one browser process with this session's profile");
    // chromedriver merges its own features into the one switch.
    const switches = featureSwitches(mine[0]);
    assert.equal(switches.length, 1, JSON.stringify(switches));
    for (const f of SIGNOFF_DISABLED_FEATURES) assert.ok(switches[0].includes(f), f);
    assert.ok(switches[0].includes("RenderDocument"), "RenderDocument off (the reset's navigation)");
    const { targetInfos } = (await driver.sendAndGetDevToolsCommand("Target.getTargets", {
      filter: [{}],
    })) as unknown as {
      targetInfos: Array<{ type: string; url: string }>;
    };
    assert.deepEqual(
      targetInfos.filter((t) => t.type === "browser_ui").map((t) => t.url),
      [],
    );
  } finally {
    await driver.quit().catch(() => undefined);
    await local.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  }
});
