// Playwright's calls into Signoff's in-page script: an exception of the script is said at once, never waited out as "not found yet".
import { test } from "node:test";
import assert from "node:assert/strict";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

const found = discoverBrowsers();

/** A CSS-only switch: the native input hidden, the control drawn in its label (toggled through the label). */
const SWITCH =
  "<style>input{position:absolute;opacity:0;width:0;height:0} .knob{display:inline-block;width:30px;height:16px;background:#888}</style>" +
  '<label><input type="checkbox"><span class="knob"></span> Notify me</label>';

async function checkOn(html: string): Promise<unknown> {
  const driver = await launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], {
    chromiumPath: found.chromium?.path,
    timeouts: { actionTimeoutMs: 1500, navigationTimeoutMs: 15000 },
  });
  try {
    const session = await driver.newSession();
    await session.goto(`data:text/html,${encodeURIComponent(html)}`);
    return await session.setChecked({ by: "role", role: "checkbox", name: "Notify me" }, true).then(
      () => "checked",
      (err: Error) => err,
    );
  } finally {
    await driver.close();
  }
}

test("a check step whose in-page look throws fails at once with the script's error", { timeout: 60_000 }, async () => {
  // The control check passes on the page as drawn: what follows differs from it only by the broken built-in.
  assert.equal(await checkOn(SWITCH), "checked");
  const broken = `${SWITCH}<script>window.getComputedStyle = () => { throw new TypeError("the page broke getComputedStyle"); };</script>`;
  const err = await checkOn(broken);
  assert.ok(err instanceof Error, String(err));
  assert.equal(err.name, "InPageError", err.message);
  assert.match(
    err.message,
    /^Signoff's in-page toggleTarget failed in the page: TypeError: the page broke getComputedStyle$/,
  );
});
