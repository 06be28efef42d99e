// Calls into Signoff's in-page script on both drivers: an exception of the script is InPageError at once, never waited out as "not found yet".
import { test } from "node:test";
import assert from "node:assert/strict";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import type { BrowserDriver } from "../../src/browser/session";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

const found = discoverBrowsers();
const timeouts = { actionTimeoutMs: 1500, navigationTimeoutMs: 15000 };
const launch: Record<string, () => Promise<BrowserDriver>> = {
  "pw-desktop": () =>
    launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], { chromiumPath: found.chromium?.path, timeouts }),
  "se-desktop": () =>
    launchSeleniumDriver(BUILTIN_TARGETS["se-desktop"], {
      chromiumPath: found.chromium?.path ?? "",
      chromedriverPath: found.chromedriver?.path ?? "",
      timeouts,
    }),
};

/** A CSS-only switch: the native input hidden, the control drawn in its label (toggled through the label). */
const SWITCH =
  "<style>input{position:absolute;opacity:0;width:0;height:0} .knob{display:inline-block;width:30px;height:16px;background:#888}</style>" +
  '<label><input type="checkbox"><span class="knob"></span> Notify me</label>';

/** "checked", or what the check step threw, on the page `html`. */
async function checkOn(driver: BrowserDriver, html: string): Promise<unknown> {
  const session = await driver.newSession();
  await session.goto(`data:text/html,${encodeURIComponent(html)}`);
  return session.setChecked({ by: "role", role: "checkbox", name: "Notify me" }, true).then(
    () => "checked",
    (err: Error) => err,
  );
}

for (const target of Object.keys(launch)) {
  test(
    `${target}: a check step whose in-page look throws fails at once with the script's error`,
    { timeout: 60_000 },
    async () => {
      const driver = await launch[target]();
      try {
        // The control: the page as drawn is checked; the next differs from it only by the broken built-in.
        assert.equal(await checkOn(driver, SWITCH), "checked");
        const broken = `${SWITCH}<script>window.getComputedStyle = () => { throw new TypeError("the page broke getComputedStyle"); };</script>`;
        const err = await checkOn(driver, broken);
        assert.ok(err instanceof Error, String(err));
        assert.equal(err.name, "InPageError", err.message);
        assert.match(
          err.message,
          /^Signoff's in-page (toggleTarget|locate) failed in the page: TypeError: the page broke getComputedStyle$/,
        );
      } finally {
        await driver.close();
      }
    },
  );
}
