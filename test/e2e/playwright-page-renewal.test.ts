// A long Playwright run swaps its reset page for a new one every NEW_PAGE_EVERY scenarios (memory); the scenario
// after the swap starts from the same clean slate as every other (src/browser/playwright.ts).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver, NEW_PAGE_EVERY } from "../../src/browser/playwright";
import type { BrowserDriver, BrowserSession, SessionTimeouts } from "../../src/browser/session";
import { startPageServer, type PageServer } from "../conformance/server";

const timeouts: SessionTimeouts = { actionTimeoutMs: 5000, navigationTimeoutMs: 15_000 };
const target: TargetSpec = { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" };
let driver: BrowserDriver | undefined;
let server: PageServer | undefined;
after(async () => {
  await driver?.close();
  await server?.close();
});

async function eventually(read: () => Promise<string>, expected: string): Promise<void> {
  let last = "";
  for (let i = 0; i < 50; i++) {
    last = await read().catch((e: Error) => e.message);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(last, expected);
}

test("the scenario after the page swap sees nothing of the one before, and the page works", async () => {
  server = await startPageServer();
  driver = await launchPlaywrightDriver(target, { chromiumPath: discoverBrowsers().chromium?.path, timeouts });
  const stored =
    "State: cookie=[visited=yes] local=[yes] session=[yes] name=[visited] indexedDB=[visits] caches=[visits]";
  const clean = "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2";
  const state = (s: BrowserSession) => () => s.textOf({ by: "css", selector: "#state" });
  // Scenarios 1 … NEW_PAGE_EVERY; the last one leaves state behind, then its reset swaps the page.
  for (let i = 1; i <= NEW_PAGE_EVERY; i++) {
    const s = await driver.newSession();
    if (i === NEW_PAGE_EVERY) {
      await s.goto(server.pageUrl);
      await s.click({ by: "role", role: "button", name: "Store state" });
      await eventually(state(s), `${stored} history=2`);
      await s.goto(`${server.pageUrl}?again`);
    }
    await s.close();
  }
  const next = await driver.newSession();
  try {
    assert.equal(await next.url(), "about:blank");
    await next.goto(server.pageUrl);
    await next.click({ by: "role", role: "button", name: "Show state" });
    await eventually(state(next), clean);
    await next.back();
    assert.equal(await next.url(), "about:blank", "no history from the previous page");
  } finally {
    await next.close();
  }
});
