// Calls into the page on both drivers: an exception of Signoff's in-page script is InPageError at once, a CSS phrase the browser cannot read UnreadableSelectorError.
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

/** A page with a heading and a checkbox in a main landmark. */
const PAGE = '<main><h1>Hi</h1><label><input type="checkbox"> Notify me</label></main>';

/** What the call threw, or "no error" and what it answered. */
const thrownBy = (p: Promise<unknown>) =>
  p.then(
    (v) => `no error: ${String(v)}`,
    (err: Error) => err,
  );

for (const target of Object.keys(launch)) {
  test(
    `${target}: a CSS phrase the browser cannot read is refused in Signoff's words on every kind of step`,
    { timeout: 60_000 },
    async () => {
      const driver = await launch[target]();
      try {
        const session = await driver.newSession();
        await session.goto(`data:text/html,${encodeURIComponent(PAGE)}`);
        // The control: CSS the browser reads is found as before, in a container too.
        assert.equal(await session.count({ by: "css", selector: "main h1" }), 1);
        const inMain = { by: "css", selector: "main" } as const;
        await session.setChecked({ by: "role", role: "checkbox", name: "Notify me", within: inMain }, true);
        // A typo, and Playwright's own syntax, which Playwright alone would read.
        for (const selector of ["[[", 'h1:has-text("Hi")', "text=Hi", "main >> h1"]) {
          const css = { by: "css", selector } as const;
          const checkbox = { by: "role", role: "checkbox", name: "Notify me", within: css } as const;
          const calls: Array<[string, () => Promise<unknown>]> = [
            ["count", () => session.count(css)],
            // A negative assertion would pass on "not visible".
            ["isVisible", () => session.isVisible(css)],
            ["click", () => session.click(css)],
            ["textOf", () => session.textOf(css)],
            ["stateOf checked", () => session.stateOf(css, "checked")],
            ["setChecked in a container", () => session.setChecked(checkbox, false)],
          ];
          for (const [call, act] of calls) {
            const err = await thrownBy(act());
            assert.ok(err instanceof Error, `${call} ${selector}: ${String(err)}`);
            assert.equal(err.name, "UnreadableSelectorError", `${call} ${selector}: ${err.message}`);
            assert.ok(
              err.message.startsWith(`"${selector}" is not a CSS selector the browser can read`),
              `${call}: ${err.message}`,
            );
          }
        }
        // Refused, it changed nothing: the box is still checked.
        assert.equal(await session.stateOf({ by: "role", role: "checkbox", name: "Notify me" }, "checked"), true);
      } finally {
        await driver.close();
      }
    },
  );
}

for (const target of Object.keys(launch)) {
  test(
    `${target}: a page that replaced querySelector neither gets Playwright's syntax read as CSS for the run nor valid CSS refused`,
    { timeout: 60_000 },
    async () => {
      const driver = await launch[target]();
      try {
        const session = await driver.newSession();
        const notCss = { by: "css", selector: "text=Hi" } as const;
        // Answers "found nothing" for any selector: a question asked in this page would read everything.
        const swallows = "DocumentFragment.prototype.querySelector = function () { return null; };";
        await session.goto(`data:text/html,${encodeURIComponent(`${PAGE}<script>${swallows}</script>`)}`);
        const inSwallowing = await thrownBy(session.count(notCss));
        assert.ok(inSwallowing instanceof Error, `counted on the page that swallows: ${String(inSwallowing)}`);
        // Throws the parser's own error for any selector: a question asked in this page would refuse everything.
        const refuses = `DocumentFragment.prototype.querySelector = function () { throw new DOMException("no", "SyntaxError"); };`;
        await session.goto(`data:text/html,${encodeURIComponent(`${PAGE}<script>${refuses}</script>`)}`);
        assert.equal(await session.count({ by: "css", selector: "main h1" }), 1);
        // And on a page that replaced nothing, the syntax is still refused in Signoff's words: nothing was kept.
        await session.goto(`data:text/html,${encodeURIComponent(PAGE)}`);
        const err = await thrownBy(session.count(notCss));
        assert.ok(err instanceof Error, String(err));
        assert.equal(err.name, "UnreadableSelectorError", err.message);
      } finally {
        await driver.close();
      }
    },
  );
}
