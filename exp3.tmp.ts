import { discoverBrowsers } from "./src/browser/discovery";
import { launchPlaywrightDriver } from "./src/browser/playwright";
import { launchSeleniumDriver } from "./src/browser/selenium";
import { BUILTIN_TARGETS } from "./src/config/defaults";
const found = discoverBrowsers();
const timeouts = { actionTimeoutMs: 1500, navigationTimeoutMs: 15000 };
const url = (h: string) => `data:text/html,${encodeURIComponent(h)}`;
const body = '<main><table><tr><th>Price</th></tr><tr><td>1</td></tr></table></main><iframe title="C:\\pay" srcdoc="<p>in</p>"></iframe>';
const show = (p: Promise<unknown>) => { const t = Date.now(); return p.then((v) => `ok ${JSON.stringify(v)} ${Date.now()-t}ms`, (e: Error) => `${e.name}: ${e.message.slice(0, 120)} ${Date.now()-t}ms`); };
async function run(name: string, launch: () => Promise<any>) {
  const driver = await launch();
  try {
    const s = await driver.newSession();
    await s.goto(url(body));
    const css = (selector: string) => ({ by: "css", selector } as const);
    console.log(name, "columnHeaders(text=Price):", await show(s.columnHeaders(css("main >> table"))));
    console.log(name, "explain(main >> table):", await show(s.explain(css("main >> table"))));
    console.log(name, "frame titled C:\\pay:", await show(s.count(css('iframe[title="C:\\\\pay"], frame[title="C:\\\\pay"]'))));
    await s.enterFrame(css('iframe[title="C:\\\\pay"], frame[title="C:\\\\pay"]'));
    console.log(name, "in frame text=in:", await show(s.count(css("text=in"))));
    console.log(name, "in frame p:", await show(s.count(css("p"))));
  } finally { await driver.close(); }
}
(async () => {
  await run("pw", () => launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], { chromiumPath: found.chromium?.path, timeouts }));
  await run("se", () => launchSeleniumDriver(BUILTIN_TARGETS["se-desktop"], { chromiumPath: found.chromium?.path ?? "", chromedriverPath: found.chromedriver?.path ?? "", timeouts }));
})();
