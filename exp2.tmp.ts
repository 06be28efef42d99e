import { discoverBrowsers } from "./src/browser/discovery";
import { launchPlaywrightDriver } from "./src/browser/playwright";
import { launchSeleniumDriver } from "./src/browser/selenium";
import { BUILTIN_TARGETS } from "./src/config/defaults";
import { eventually } from "./steps/support/eventually";
const found = discoverBrowsers();
const timeouts = { actionTimeoutMs: 1500, navigationTimeoutMs: 15000 };
const url = (h: string) => `data:text/html,${encodeURIComponent(h)}`;
const body = "<main><h1>Hi</h1></main>";
const show = (p: Promise<unknown>) => { const t = Date.now(); return p.then((v) => `ok ${v} ${Date.now()-t}ms`, (e: Error) => `${e.name}: ${e.message.slice(0, 110)} ${Date.now()-t}ms`); };
async function run(name: string, launch: () => Promise<any>) {
  const driver = await launch();
  try {
    let s = await driver.newSession();
    const css = (selector: string) => ({ by: "css", selector } as const);
    // a) poisoning
    await s.goto(url(body + "<script>DocumentFragment.prototype.querySelector = function(){ return null; };</script>"));
    console.log(name, "a) hostile null-qs text=Hi:", await show(s.count(css("text=Hi"))));
    await s.goto(url(body));
    console.log(name, "a) clean page afterwards text=Hi:", await show(s.count(css("text=Hi"))));
    // b) throwing SyntaxError for everything
    await s.goto(url(body + "<script>DocumentFragment.prototype.querySelector = function(){ throw new DOMException('no', 'SyntaxError'); };</script>"));
    console.log(name, "b) hostile throwing, valid 'main h1':", await show(s.count(css("main h1"))));
    // c) DOMException replaced
    await s.goto(url(body + "<script>window.DOMException = function(){};</script>"));
    console.log(name, "c) DOMException replaced, 'main >> h1':", await show(s.count(css("main >> h1"))));
    // d) busy page
    await s.goto(url(body + "<script>setTimeout(() => { const e = Date.now() + 2500; while (Date.now() < e); }, 50);</script>"));
    await new Promise((r) => setTimeout(r, 150));
    console.log(name, "d) busy page, isVisible h1:has-text(\"Hi\"):", await show(s.isVisible(css('h1:has-text("Hi")'))));
    // e) negative assertion via eventually
    await s.goto(url(body));
    const el = css("[[");
    console.log(name, "e) not see [[:", await show(eventually(() => s.isVisible(el), (v) => !v, () => `expected not to see the element matching "[["`, 3000, { settle: async () => {} })));
  } finally { await driver.close(); }
}
(async () => {
  await run("pw", () => launchPlaywrightDriver(BUILTIN_TARGETS["pw-desktop"], { chromiumPath: found.chromium?.path, timeouts }));
  await run("se", () => launchSeleniumDriver(BUILTIN_TARGETS["se-desktop"], { chromiumPath: found.chromium?.path ?? "", chromedriverPath: found.chromedriver?.path ?? "", timeouts }));
})();
