// Playwright's page text read: within the action timeout on a busy page, and never "" for a document without a body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { errors } from "playwright-core";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

const found = discoverBrowsers();
const timeouts = { actionTimeoutMs: 1000, navigationTimeoutMs: 15000 };

test(
  "bodyText gives up after the action timeout on a page whose main thread is busy",
  { timeout: 60_000 },
  async () => {
    const driver = await launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], {
      chromiumPath: found.chromium?.path,
      timeouts,
    });
    try {
      const session = await driver.newSession();
      const busy =
        "<body>hello<script>setTimeout(() => { const end = Date.now() + 30000; while (Date.now() < end) {} }, 50)</script></body>";
      await session.goto(`data:text/html,${encodeURIComponent(busy)}`);
      await new Promise((r) => setTimeout(r, 300)); // the page's loop has begun
      await assert.rejects(session.bodyText(), errors.TimeoutError);
    } finally {
      await driver.close();
    }
  },
);

test(
  "bodyText on a document without a body waits for one instead of reading nothing",
  { timeout: 60_000 },
  async () => {
    const driver = await launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], {
      chromiumPath: found.chromium?.path,
      timeouts,
    });
    try {
      const session = await driver.newSession();
      // An SVG document has no body (an XML one gets Chromium's HTML tree view).
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text y="20">About</text></svg>';
      await session.goto(`data:image/svg+xml,${encodeURIComponent(svg)}`);
      await assert.rejects(session.bodyText(), errors.TimeoutError);
    } finally {
      await driver.close();
    }
  },
);
