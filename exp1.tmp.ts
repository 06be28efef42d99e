import { discoverBrowsers } from "./src/browser/discovery";
import { launchPlaywrightDriver } from "./src/browser/playwright";
import { launchSeleniumDriver } from "./src/browser/selenium";
import { BUILTIN_TARGETS } from "./src/config/defaults";
const found = discoverBrowsers();
const timeouts = { actionTimeoutMs: 1500, navigationTimeoutMs: 15000 };
const PAGE = '<main><h1 title="a >> b" class="x">Hi</h1><ul><li class="x">a</li><li class="x">b</li></ul><iframe title="C:\\pay" srcdoc="<p>in</p>"></iframe></main>';
const sels = ["li:nth-child(2 of .x)", ":is(h1, h2)", "main:has(> h1)", "h1 /* >> */", '[title="a >> b"]', "& h1", "h1::before", ":host", "*|h1", "|h1", ":state(foo)", "h1:dir(ltr)", '[title="A >> B" i]', "h1:has-text(\"Hi\")", "text=Hi", "main >> h1", "[[", "//h1", '"Hi"', ":visible", "h1:nth-match(1)", "xpath=//h1", "id=foo", "main\n h1", "h1,", "main > h1:nth-of-type(1)"];
async function run(name: string, launch: () => Promise<any>) {
  const driver = await launch();
  try {
    const s = await driver.newSession();
    await s.goto(`data:text/html,${encodeURIComponent(PAGE)}`);
    for (const sel of sels) {
      const t = Date.now();
      const r = await s.count({ by: "css", selector: sel }).then((v: any) => `count=${v}`, (e: Error) => `${e.name}: ${e.message.slice(0, 90)}`);
      console.log(name, JSON.stringify(sel), "->", r, `${Date.now() - t}ms`);
    }
  } finally { await driver.close(); }
}
(async () => {
  await run("pw", () => launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], { chromiumPath: found.chromium?.path, timeouts }));
  await run("se", () => launchSeleniumDriver(BUILTIN_TARGETS["se-desktop"], { chromiumPath: found.chromium?.path ?? "", chromedriverPath: found.chromedriver?.path ?? "", timeouts }));
})();
