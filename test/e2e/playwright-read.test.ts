// Playwright's reads: the page text within the action timeout on a busy page, never "" for a document without a body;
// what an element shows is what Playwright's own locator finds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { errors } from "playwright-core";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import type { BrowserSession } from "../../src/browser/session";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

const found = discoverBrowsers();

/** A pw-desktop session with a 1 s action timeout on the page at `url`. */
async function onPage(url: string, check: (session: BrowserSession) => Promise<void>): Promise<void> {
  const driver = await launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], {
    chromiumPath: found.chromium?.path,
    timeouts: { actionTimeoutMs: 1000, navigationTimeoutMs: 15000 },
  });
  try {
    const session = await driver.newSession();
    await session.goto(url);
    await check(session);
  } finally {
    await driver.close();
  }
}

test("bodyText gives up after the action timeout on a page whose main thread is busy", { timeout: 60_000 }, () => {
  const busy =
    "<body>hello<script>setTimeout(() => { const end = Date.now() + 30000; while (Date.now() < end) {} }, 50)</script></body>";
  return onPage(`data:text/html,${encodeURIComponent(busy)}`, async (session) => {
    await new Promise((r) => setTimeout(r, 300)); // the page's loop has begun
    await assert.rejects(session.bodyText(), errors.TimeoutError);
  });
});

test("bodyText on a document without a body waits for one instead of reading nothing", { timeout: 60_000 }, () => {
  // An SVG document has no body (an XML one gets Chromium's HTML tree view).
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text y="20">About</text></svg>';
  return onPage(`data:image/svg+xml,${encodeURIComponent(svg)}`, (session) =>
    assert.rejects(session.bodyText(), errors.TimeoutError),
  );
});

test("shownText reads the element Playwright's locator finds, through an open shadow root", { timeout: 60_000 }, () => {
  // Playwright's CSS pierces open shadow roots (the in-page matcher's does so too: in-page/css.ts). A hidden
  // light-DOM `.price` must not make the shown one read as hidden (a negative check would pass on "Secret 100").
  const page =
    '<x-card><span class="price" hidden>old</span></x-card><script>customElements.define("x-card", class extends HTMLElement' +
    ' { constructor() { super(); this.attachShadow({ mode: "open" }).innerHTML = \'<p class="price">Secret 100</p><slot></slot>\'; } });</script>';
  return onPage(`data:text/html,${encodeURIComponent(page)}`, async (session) => {
    assert.deepEqual(await session.shownText({ by: "css", selector: "x-card .price" }), { shows: "Secret 100" });
    assert.deepEqual(await session.shownText({ by: "css", selector: ".nothing-here" }), {
      absent: await session.explain({ by: "css", selector: ".nothing-here" }),
    });
  });
});
