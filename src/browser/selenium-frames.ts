// Which frames Selenium steps act in, and a point carried up through them where a parent is of another origin.
import { error, type WebDriver, type WebElement } from "selenium-webdriver";
import { FrameGoneError } from "./session";
import { callInPage } from "./selenium-locators";
import type { FrameStep } from "./in-page/across-frames";

/**
 * Waits until the page has drawn two frames (at most 250 ms: a page the browser does not draw). A scroll the frame
 * asked for (the element scrolled into view inside it) reaches a parent of another origin by way of the browser, not at
 * once: measured before it lands, the frame's place is the old one and the input would go there; and the browser routes
 * input into such a frame by what the page last drew.
 */
const TWO_FRAMES = `const done = arguments[arguments.length - 1];
const timer = setTimeout(done, 250);
requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); done(); }));`;

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
 * The iframe elements WebDriver switched into from the top-level document, outermost first. WebDriver can go to a
 * frame's parent but not back down without the frame's element, and a frame whose parent is of another origin cannot
 * name that element from inside: so the elements are kept as the steps switch (enterFrame), and forgotten whenever
 * WebDriver is back at the top (a navigation, a window switch, leaving the frames, the reset).
 */
export class FrameChain {
  private frames: WebElement[] = [];

  entered(frame: WebElement): void {
    this.frames.push(frame);
  }

  /** WebDriver is back in a top-level document. */
  left(): void {
    this.frames = [];
  }

  /**
   * The frame's client point `at` carried up to the top-level page one frame at a time (in-page intoParent, run in
   * each parent), then WebDriver switched back down into the frame. Undefined when the frames are not known (steps
   * never switched into one, or the elements kept do not lead to the top).
   */
  async carryUp(d: WebDriver, at: { x: number; y: number } | null): Promise<AcrossFrames | undefined> {
    const chain = this.frames;
    if (chain.length === 0) return undefined;
    let step: FrameStep | undefined;
    let blocker = "";
    try {
      for (let i = chain.length - 1; i >= 0; i--) {
        await d.switchTo().parentFrame();
        if (i === 0) await d.executeAsyncScript(TWO_FRAMES);
        step = await callInPage<FrameStep>(d, "intoParent", chain[i], step ? step.at : at);
        blocker ||= step.blocker;
      }
    } finally {
      await this.reenter(d);
    }
    return step?.top ? { partial: step.partial, screen: step.screen, blocker } : undefined;
  }

  /**
   * WebDriver back down into the frame steps act in. A frame the page replaced meanwhile cannot be entered again:
   * FrameGoneError, rather than steps going on in a parent document (where a same-named element would be acted on).
   */
  private async reenter(d: WebDriver): Promise<void> {
    try {
      await d.switchTo().defaultContent();
      for (const frame of this.frames) await d.switchTo().frame(frame);
    } catch (err) {
      if (err instanceof error.StaleElementReferenceError || err instanceof error.NoSuchFrameError)
        throw new FrameGoneError();
      throw err;
    }
  }
}
