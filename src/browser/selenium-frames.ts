// Which frames Selenium steps act in: WebDriver kept in them, and a point carried up through them where a parent is of another origin.
import { error, type WebDriver, type WebElement } from "selenium-webdriver";
import { callInPage } from "./selenium-locators";
import type { FrameStep, PointerInput } from "./in-page/across-frames";
import { FrameGoneError, LocatorTimeoutError, type Locator } from "./session";

/** Where a point of the frame lands on the screen, and what of the pages around the frame stops a tap there. */
export interface AcrossFrames {
  /** The screen shows part of the top-level page's layout viewport (a phone showing a page wider than itself). */
  partial: boolean;
  /** The point in the screen's coordinates, null when none was carried. */
  screen: { x: number; y: number } | null;
  /** Why a tap there reaches the page around the frame instead ("" when it does not). */
  blocker: string;
}

/**
 * Waits until the page has drawn two frames (at most 250 ms: a page the browser does not draw). A scroll the frame
 * asked for (the element scrolled into view inside it) reaches a parent of another origin by way of the browser, not at
 * once: measured before it lands, the frame's place is the old one and the input would go there; and the browser routes
 * input into such a frame by what the page last drew.
 */
const TWO_FRAMES = `const done = arguments[arguments.length - 1];
const timer = setTimeout(done, 250);
requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); done(); }));`;

/** Finds a frame's element by the phrase a step switched into it with, in the document WebDriver is in (waiting). */
export type FindFrame = (l: Locator) => Promise<WebElement>;

/**
 * The frames steps switched into from the top-level document, outermost first: each one's phrase and element.
 * WebDriver can go to a frame's parent but not back down without the frame's element, and a frame whose parent is of
 * another origin cannot name that element from inside: so they are kept as the steps switch (enterFrame), and
 * forgotten when the steps leave the frames (a navigation, a window switch, leaving them, the reset).
 *
 * chromedriver also leaves a frame by itself: a command in a frame the page removed (an app drawing its iframe anew)
 * runs in the top-level document, silently, where a same-named element of the page would be acted on. So before each
 * command (inFrames) WebDriver is checked to be in a frame still, and else enters the frames again, each found again by
 * its phrase as Playwright's frame locator is, or fails with FrameGoneError.
 */
export class FrameChain {
  private frames: Array<{ locator: Locator; element: WebElement }> = [];
  /** A climb (carryUp) left WebDriver out of the innermost frame: it did not get back down (a dialog opened). */
  private displaced = false;

  entered(locator: Locator, element: WebElement): void {
    this.frames.push({ locator, element });
  }

  /** WebDriver is back in a top-level document. */
  left(): void {
    this.frames = [];
    this.displaced = false;
  }

  /** WebDriver in the frames the steps switched into, before a command (class comment). */
  async inFrames(d: WebDriver, find: FindFrame): Promise<void> {
    if (this.frames.length === 0) return;
    if (!this.displaced && !(await d.executeScript<boolean>("return window === window.top"))) return;
    await this.reenter(d, find);
  }

  /**
   * The frame's client point `at` carried up to the top-level page one frame at a time (in-page intoParent, run in
   * each parent once it has drawn the scroll that brought the element into view), then WebDriver switched back down
   * into the frame. Undefined when steps switched into no frame.
   */
  async carryUp(
    d: WebDriver,
    at: { x: number; y: number } | null,
    find: FindFrame,
    input: PointerInput = "the click",
  ): Promise<AcrossFrames | undefined> {
    const chain = this.frames;
    if (chain.length === 0) return undefined;
    let step: FrameStep | undefined;
    let blocker = "";
    this.displaced = true;
    try {
      for (let i = chain.length - 1; i >= 0; i--) {
        await d.switchTo().parentFrame();
        await d.executeAsyncScript(TWO_FRAMES);
        step = await callInPage<FrameStep>(d, "intoParent", chain[i].element, step ? step.at : at, input);
        blocker ||= step.blocker;
      }
    } finally {
      await this.reenter(d, find);
    }
    return step?.top ? { partial: step.partial, screen: step.screen, blocker } : undefined;
  }

  /** WebDriver down from the top-level document into the frames, a frame the page replaced found again by its phrase. */
  private async reenter(d: WebDriver, find: FindFrame): Promise<void> {
    await d.switchTo().defaultContent();
    for (const frame of this.frames) {
      try {
        await d.switchTo().frame(frame.element);
      } catch (err) {
        if (!(err instanceof error.StaleElementReferenceError || err instanceof error.NoSuchFrameError)) throw err;
        frame.element = await find(frame.locator).catch((e) => {
          throw e instanceof LocatorTimeoutError ? new FrameGoneError(frame.locator) : e;
        });
        await d.switchTo().frame(frame.element);
      }
    }
    this.displaced = false;
  }
}
