// Selenium's FrameChain: a frame's point carried up through a page of another origin with WebDriver, and back down; a frame the page replaced is FrameGoneError.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Builder, By, error, until } from "selenium-webdriver";
import * as chrome from "selenium-webdriver/chrome";
import { UserPromptHandler } from "selenium-webdriver/lib/capabilities";
import { discoverBrowsers } from "../../src/browser/discovery";
import { startChromedriver, type LocalChromedriver } from "../../src/browser/chromedriver";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";
import { FrameChain, type FindFrame } from "../../src/browser/selenium-frames";
import { leftThePage } from "../../src/browser/selenium";
import { FrameGoneError, LocatorTimeoutError } from "../../src/browser/session";
import { startPageServer, type PageServer } from "../conformance/server";

let server: PageServer;
let local: LocalChromedriver;
let d: chrome.Driver;

before(async () => {
  const found = discoverBrowsers();
  assert.ok(found.chromium && found.chromedriver, "no Chromium or chromedriver found");
  server = await startPageServer();
  local = await startChromedriver(found.chromedriver.path);
  const options = new chrome.Options();
  options.setChromeBinaryPath(found.chromium.path);
  options.addArguments(...HEADLESS_CHROMIUM_ARGS);
  options.setAlertBehavior(UserPromptHandler.IGNORE); // as Signoff's sessions: dialogs wait for the steps
  d = (await new Builder()
    .usingServer(local.url)
    .forBrowser("chrome")
    .setChromeOptions(options)
    .build()) as chrome.Driver;
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
  chain.entered({ by: "testId", id: testId }, frame);
  return chain;
}

/** Finds a frame again by its test id, as a step's phrase would; none there is the step's timeout. */
const findFrame: FindFrame = async (l) => {
  const found = await d.findElements(By.css(`[data-testid="${(l as { id: string }).id}"]`));
  if (found.length === 0) throw new LocatorTimeoutError(l, 0, "to be visible");
  return found[0];
};

const frameTitle = () => d.executeScript<string>("return document.title");

test("a point of a frame of another origin is carried up to the page, and WebDriver is back in the frame", async () => {
  const chain = await enter("foreign");
  const up = await chain.carryUp(d, { x: 10, y: 5 }, findFrame);
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
  const up = await chain.carryUp(d, { x: 10, y: 5 }, findFrame);
  assert.equal(up?.blocker, '<div class="cookie-banner"> covers its frame and would get the click');
  assert.equal(await frameTitle(), "Foreign frame");
});

/** Runs `expression` in the top-level page over DevTools, wherever WebDriver is (as the page's own script would). */
const inTopPage = (expression: string) => d.sendDevToolsCommand("Runtime.evaluate", { expression });

test("a frame the page draws anew is entered again by its phrase: chromedriver would go on in the page", async () => {
  const chain = await enter("foreign");
  await inTopPage("const f = document.querySelector('[data-testid=foreign]'); f.replaceWith(f.cloneNode());");
  // What chromedriver does by itself: the next command runs in the top-level page, silently.
  assert.equal(await frameTitle(), "Wide frame");
  await chain.inFrames(d, findFrame);
  await d.wait(until.elementLocated(By.css("button")), 10_000);
  assert.equal(await frameTitle(), "Foreign frame", "in the new frame");
});

test("a frame the page removed is FrameGoneError, before the steps could go on in the page", async () => {
  const chain = await enter("foreign");
  await inTopPage("document.querySelector('[data-testid=foreign]').remove()");
  await assert.rejects(chain.inFrames(d, findFrame), FrameGoneError);
  await assert.rejects(chain.carryUp(d, { x: 10, y: 5 }, findFrame), FrameGoneError);
});

test("a dialog that stops a climb halfway leaves WebDriver out of the frame: the next command enters it again", async () => {
  const chain = await enter("foreign");
  // The page's dialog opens while the climb waits in the page (its next animation frame), after WebDriver left the frame.
  await inTopPage("window.requestAnimationFrame = () => alert('Session expires soon')");
  await assert.rejects(
    chain.carryUp(d, { x: 10, y: 5 }, findFrame),
    (err: Error) => err.name === "UnexpectedAlertOpenError",
  );
  await (await d.switchTo().alert()).accept();
  assert.equal(await frameTitle(), "Wide frame", "the climb did not get back down");
  await chain.inFrames(d, findFrame);
  assert.equal(await frameTitle(), "Foreign frame");
});

test("an element whose frame the page replaced as WebDriver acted in it has left the page; one still there has not", async () => {
  // chromedriver's click in a frame the page replaced meanwhile answers an untyped "target frame detached", and the
  // element's check from the top-level document it fell back to answers "no such element", not a stale element: the
  // step reported chromedriver's raw error.
  const detached = new error.WebDriverError("unknown error: target frame detached");
  await d.switchTo().defaultContent();
  await d.get(`${server.origin}/closing-frames.html`);
  await d.switchTo().frame(await d.findElement(By.css('iframe[title="Foreign payment"]')));
  const pay = await d.wait(until.elementLocated(By.css("button")), 10_000);
  assert.equal(await leftThePage(d, detached, pay), false, "the frame is still there");
  assert.equal(await leftThePage(d, new error.ElementNotInteractableError("covered"), pay), false, "a typed error");
  await d.executeScript("parent.postMessage('paid', '*')");
  await d.wait(async () => (await d.executeScript<boolean>("return window === window.top")) === true, 10_000);
  assert.equal(await leftThePage(d, detached, pay), true);
});
