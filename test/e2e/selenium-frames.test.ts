// Selenium's FrameChain: a frame's point carried up through a page of another origin with WebDriver, and back down; a frame the page replaced is FrameGoneError.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Builder, By, until, type WebDriver } from "selenium-webdriver";
import * as chrome from "selenium-webdriver/chrome";
import { discoverBrowsers } from "../../src/browser/discovery";
import { startChromedriver, type LocalChromedriver } from "../../src/browser/chromedriver";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";
import { FrameChain } from "../../src/browser/selenium-frames";
import { FrameGoneError } from "../../src/browser/session";
import { startPageServer, type PageServer } from "../conformance/server";

let server: PageServer;
let local: LocalChromedriver;
let d: WebDriver;

before(async () => {
  const found = discoverBrowsers();
  assert.ok(found.chromium && found.chromedriver, "no Chromium or chromedriver found");
  server = await startPageServer();
  local = await startChromedriver(found.chromedriver.path);
  const options = new chrome.Options();
  options.setChromeBinaryPath(found.chromium.path);
  options.addArguments(...HEADLESS_CHROMIUM_ARGS);
  d = await new Builder().usingServer(local.url).forBrowser("chrome").setChromeOptions(options).build();
});
after(async () => {
  await d?.quit().catch(() => undefined);
  await local?.stop();
  server?.close();
});

/** Opens the wide frame page and switches WebDriver into the frame of another origin with `testId`, as a step does. */
async function enter(testId: string): Promise<FrameChain> {
  await d.get(`${server.origin}/wide-frame.html`);
  const frame = await d.findElement(By.css(`[data-testid="${testId}"]`));
  await d.executeScript("arguments[0].scrollIntoView({block: 'center'})", frame);
  await d.switchTo().frame(frame);
  await d.wait(until.elementLocated(By.css("button")), 10_000);
  const chain = new FrameChain();
  chain.entered(frame);
  return chain;
}

const frameTitle = () => d.executeScript<string>("return document.title");

test("a point of a frame of another origin is carried up to the page, and WebDriver is back in the frame", async () => {
  const chain = await enter("foreign");
  const up = await chain.carryUp(d, { x: 10, y: 5 });
  assert.equal(await frameTitle(), "Foreign frame", "back in the frame");
  await d.switchTo().defaultContent();
  const [left, top] = await d.executeScript<number[]>(
    "const r = document.querySelector('[data-testid=foreign]').getBoundingClientRect(); return [r.left + 2, r.top + 2];",
  );
  // The frame's default 2px border is inside its box: the point lands 2px further in. (`partial` is a phone's: a
  // desktop window's scrollbar narrows its visual viewport too.)
  assert.deepEqual({ screen: up?.screen, blocker: up?.blocker }, { screen: { x: left + 10, y: top + 5 }, blocker: "" });
});

test("a page that covers a frame of another origin is named as what gets the tap", async () => {
  const chain = await enter("foreign-covered");
  const up = await chain.carryUp(d, { x: 10, y: 5 });
  assert.equal(up?.blocker, '<div class="cookie-banner"> covers its frame and would get the click');
  assert.equal(await frameTitle(), "Foreign frame");
});

test("a frame the page replaced is FrameGoneError, and WebDriver is not left acting in the page as if in the frame", async () => {
  const chain = await enter("foreign");
  await d.switchTo().defaultContent();
  await d.executeScript("const f = document.querySelector('[data-testid=foreign]'); f.replaceWith(f.cloneNode());");
  await assert.rejects(chain.carryUp(d, { x: 10, y: 5 }), FrameGoneError);
});
