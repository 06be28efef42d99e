// Runs the one BrowserSession conformance suite (test/conformance/suite.ts) against both adapters,
// on a desktop and a phone device, then checks that both drivers observed the very same things.
// Every case runs on both drivers on the desktop; on the phone and with `isolation: context` only the
// cases whose outcome can depend on the device or the isolation mode run (the `Aspect` of each case).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { after, test } from "node:test";
import type { TargetSpec } from "../../src/config/types";
import { emulationFor } from "../../src/browser/devices";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import { CookiesUnavailableError, DownloadsUnavailableError, type SessionTimeouts } from "../../src/browser/session";
import { categoryOfErrorType } from "../../src/core/failure-category";
import { ProcessLedger } from "../conformance/processes";
import { startPageServer } from "../conformance/server";
import { conformanceSuite } from "../conformance/suite";

const timeouts: SessionTimeouts = { actionTimeoutMs: 2000, navigationTimeoutMs: 15_000 };
const found = discoverBrowsers();
const chromiumPath = found.chromium?.path ?? "/usr/bin/chromium";
const chromedriverPath = found.chromedriver?.path ?? "/usr/bin/chromedriver";

const DEVICES = ["Desktop Chrome", "Pixel 7"];
/** The first device runs every case; the others only the device-dependent ones (see Aspect in the suite). */
const FULL_DEVICE = DEVICES[0];
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
      only: device === FULL_DEVICE ? undefined : "device",
      launch: () =>
        driver === "playwright"
          ? launchPlaywrightDriver(target, { chromiumPath, timeouts })
          : launchSeleniumDriver(target, { chromiumPath, chromedriverPath, timeouts }),
    });
  }
}

// The strict alternative (`isolation: context`, a new browser context per scenario) passes the same cases
// wherever the way a session gets its clean page can change the outcome.
{
  const target: TargetSpec = {
    name: "playwright-context",
    driver: "playwright",
    browser: "chromium",
    device: "Desktop Chrome",
    isolation: "context",
  };
  conformanceSuite({
    label: "playwright × Desktop Chrome, isolation: context",
    emulation: emulationFor(target),
    timeouts,
    observations: new Map(),
    processes: ledger,
    only: "isolation",
    launch: () => launchPlaywrightDriver(target, { chromiumPath, timeouts }),
  });
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

/** A chromedriver we start ourselves, standing in for a Grid: the adapter must only talk HTTP to it. */
async function remoteChromedriver(): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const server = spawn(chromedriverPath, [`--port=${port}`, "--allowed-ips=127.0.0.1", "--log-level=OFF"], {
    stdio: "ignore",
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/status`);
  } catch (err) {
    server.kill();
    throw err;
  }
  return { port, stop: () => server.kill() };
}

test("a Selenium target with `remote` drives the browser through that WebDriver URL", async () => {
  const { port, stop } = await remoteChromedriver();
  const page = await startPageServer();
  try {
    const target: TargetSpec = {
      name: "se-remote",
      driver: "selenium",
      browser: "chromium",
      device: "Pixel 7",
      remote: `http://127.0.0.1:${port}`,
    };
    const driver = await launchSeleniumDriver(target, { chromiumPath: "", chromedriverPath: "", timeouts });
    try {
      const s = await driver.newSession();
      await s.goto(page.pageUrl);
      const m = await s.viewport();
      const e = emulationFor(target);
      assert.deepEqual(
        [m.viewportWidth, m.devicePixelRatio, m.userAgent, m.touch],
        [e.viewport.width, e.deviceScaleFactor, e.userAgent, true],
      );
      await s.click({ by: "role", role: "button", name: "Store state" });
      await s.close();
      const s2 = await driver.newSession();
      await s2.goto(page.pageUrl);
      await s2.click({ by: "role", role: "button", name: "Show state" });
      assert.equal(
        await s2.textOf({ by: "css", selector: "#state" }),
        "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2",
      );
      // The request tracker reaches the tab through the remote end alone (no DevTools connection of its own).
      await s2.goto(page.spaUrl);
      assert.deepEqual(await s2.settle(10_000), { quiet: true, open: [] });
      assert.match(await s2.bodyText(), /Error: the items could not be loaded/);
      // Cookies by URL through the remote end's DevTools passthrough: set before the page, sent with its load, and
      // the HttpOnly one the page's answer set read back.
      await s2.setCookie({ name: "consent", value: "accepted", url: `${page.origin}/` });
      await s2.goto(page.cookiesUrl);
      assert.equal(await s2.textOf({ by: "testId", id: "sent" }), "Sent: consent=accepted");
      assert.deepEqual(
        (await s2.cookies(`${page.origin}/`)).map((c) => `${c.name} ${c.httpOnly ? "HttpOnly" : ""}`).sort(),
        ["consent ", "sid HttpOnly"],
      );
      // Its browser saves downloads on its own machine and reports none back: an environment problem, said at once.
      await assert.rejects(s2.downloads(), (err: unknown) => {
        assert.ok(err instanceof DownloadsUnavailableError, `expected DownloadsUnavailableError, got ${String(err)}`);
        assert.equal(categoryOfErrorType(err.constructor.name), "environment problem");
        assert.equal(
          err.message,
          "downloads cannot be checked here: this Selenium remote end saves downloads on its own machine and reports none back; check downloads on a local target (Playwright, or Selenium with a local chromedriver)",
        );
        return true;
      });
      await s2.close();
    } finally {
      ledger.sample();
      await driver.close();
    }
  } finally {
    stop();
    await page.close();
  }
});

test("a Selenium remote end with no DevTools passthrough: cookie calls fail as an environment problem, storage works", async () => {
  // A Grid that refuses chromedriver's DevTools commands: a proxy in front of chromedriver answers them "unknown command".
  const { port, stop } = await remoteChromedriver();
  const proxy = createHttpServer((req, res) => {
    if (/\/chromium\/send_command/.test(req.url ?? "")) {
      req.resume();
      const refusal = { value: { error: "unknown command", message: "no DevTools here", stacktrace: "" } };
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(refusal));
      return;
    }
    const upstream = httpRequest(
      { host: "127.0.0.1", port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
  const page = await startPageServer();
  try {
    const target: TargetSpec = {
      name: "se-no-devtools",
      driver: "selenium",
      browser: "chromium",
      device: "Desktop Chrome",
      remote: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    };
    const driver = await launchSeleniumDriver(target, { chromiumPath: "", chromedriverPath: "", timeouts });
    try {
      const s = await driver.newSession();
      await s.goto(page.cookiesUrl);
      const site = `${page.origin}/`;
      for (const attempt of [() => s.cookies(site), () => s.setCookie({ name: "consent", value: "yes", url: site })]) {
        await assert.rejects(attempt(), (err: unknown) => {
          assert.ok(err instanceof CookiesUnavailableError, `expected CookiesUnavailableError, got ${String(err)}`);
          assert.equal(categoryOfErrorType(err.constructor.name), "environment problem");
          assert.equal(
            err.message,
            "cookies cannot be read or set by URL here: this Selenium remote end passes no DevTools command (Network.getCookies, Network.setCookie) through",
          );
          return true;
        });
      }
      await s.setStorageItem("local", "onboarding", "done");
      assert.deepEqual((await s.storage("local")).items, [{ key: "onboarding", value: "done" }]);
      await s.close();
      // The reset without DevTools leaves the next session no cookie (the page's own sid) and no storage either.
      const s2 = await driver.newSession();
      await s2.goto(page.cookiesUrl);
      assert.equal(await s2.textOf({ by: "testId", id: "sent" }), "Sent: (none)");
      assert.deepEqual((await s2.storage("local")).items, []);
      await s2.close();
    } finally {
      ledger.sample();
      await driver.close();
    }
  } finally {
    stop();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await page.close();
  }
});

test("an unreachable remote WebDriver URL fails with a message naming it", async () => {
  const port = await freePort();
  const target: TargetSpec = {
    name: "se-nowhere",
    driver: "selenium",
    browser: "chromium",
    device: "Desktop Chrome",
    remote: `http://127.0.0.1:${port}/wd/hub`,
  };
  await assert.rejects(
    launchSeleniumDriver(target, { chromiumPath, chromedriverPath, timeouts }),
    new RegExp(
      `could not start a Selenium session for target "se-nowhere" at http://127\\.0\\.0\\.1:${port}/wd/hub: .*ECONNREFUSED`,
    ),
  );
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
