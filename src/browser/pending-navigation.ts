// Which pages have a document on its way that they have not taken in yet (a link followed, a form sent), and whether the browser's history has, so that a history step waits for both, and a click for the document it asked for.
import type { CDPSession, Frame, Page, Request } from "playwright-core";
import { LATE, within } from "./within";

/**
 * Playwright's click waits for a document the page asks for during the click, not for one it asks for
 * after the click has returned (a link that leaves from a timer); the page takes that one in (the commit)
 * later, and a busy renderer can take seconds. A back or reload sent before that acts on the page the link
 * was on (WebDriver waits, through chromedriver's own navigation tracking). This watches
 * each page's main-frame navigation requests from the request to the commit. Playwright has no public
 * "navigation pending" state, hence this. A navigation that will never commit fails its request
 * (Playwright reports a 204 answer, a download and a superseded navigation so), which ends the wait too.
 */
export class PendingNavigations {
  private readonly pending = new Map<Page, Request>();
  private readonly watched = new Set<Page>();

  watch(page: Page): void {
    if (this.watched.has(page)) return;
    this.watched.add(page);
    page.on("request", this.onRequest);
    page.on("requestfailed", this.onEnded);
    page.on("framenavigated", this.onFrameNavigated);
  }

  /** Stops watching every page (the page outlives the session under isolation: reset). */
  unwatchAll(): void {
    for (const page of this.watched) {
      page.off("request", this.onRequest);
      page.off("requestfailed", this.onEnded);
      page.off("framenavigated", this.onFrameNavigated);
    }
    this.watched.clear();
    this.pending.clear();
  }

  /** True while the page's main frame has asked for a document it has not committed. */
  isPending(page: Page): boolean {
    return this.pending.has(page);
  }

  private readonly onRequest = (request: Request) => {
    const page = mainFramePageOf(request);
    if (page) this.pending.set(page, request); // a redirect's next hop, or a newer navigation, replaces it
  };
  private readonly onEnded = (request: Request) => {
    const page = mainFramePageOf(request);
    if (page && this.pending.get(page) === request) this.pending.delete(page);
  };
  private readonly onFrameNavigated = (frame: Frame) => {
    if (frame === frame.page().mainFrame()) this.pending.delete(frame.page());
  };
}

/** What DevTools' Page.getNavigationHistory answers, as far as historyHasTakenIn reads it. */
export interface NavigationHistory {
  currentIndex: number;
  entries: ReadonlyArray<{ url: string }>;
}

/** The URL Chromium gives a document that shows a failed load; its history entry keeps the URL that failed. */
const ERROR_PAGE_URL = "chrome-error://";

/**
 * Whether the browser's history has taken in the document the page has: its current entry has the page's URL
 * (one of `pageUrls`, the page's URL as Playwright last reported it). The page reports a commit before the
 * browser process records it, and the browser's current entry is then still the previous document's.
 * An error page cannot be told from its entry (the entry has the URL that failed), nor can a page with no
 * entry at all (a tab that has loaded nothing): the history is taken as it is.
 */
export function historyHasTakenIn(history: NavigationHistory, pageUrls: readonly string[]): boolean {
  if (pageUrls.some((u) => u.startsWith(ERROR_PAGE_URL))) return true;
  const current = history.entries[history.currentIndex];
  if (!current) return true;
  return pageUrls.includes(current.url);
}

/** The page whose main frame a navigation request is for; undefined for any other request. */
function mainFramePageOf(request: Request): Page | undefined {
  if (!request.isNavigationRequest() || request.serviceWorker()) return undefined;
  let frame: Frame;
  try {
    frame = request.frame(); // Playwright throws for a request whose frame does not exist yet: not this page's
  } catch {
    return undefined;
  }
  return frame === frame.page().mainFrame() ? frame.page() : undefined;
}

/** Per DevTools session with the Page domain enabled: the id of its page's main frame (the same for the tab's life). */
const mainFrames = new WeakMap<CDPSession, Promise<string>>();

function mainFrameOf(devtools: CDPSession): Promise<string> {
  let id = mainFrames.get(devtools);
  if (!id) {
    id = devtools
      .send("Page.enable")
      .then(() => devtools.send("Page.getFrameTree"))
      .then((tree) => tree.frameTree.frame.id);
    id.catch(() => mainFrames.delete(devtools));
    mainFrames.set(devtools, id);
  }
  return id;
}

/**
 * The reasons DevTools gives for a navigation a click or a key starts: a link followed, a form sent. A page's timer
 * or script moving to another page says "scriptInitiated", a refresh "metaTagRefresh"/"httpHeaderRefresh".
 */
const FOLLOWED: ReadonlySet<string> = new Set(["anchorClick", "formSubmissionGet", "formSubmissionPost"]);

/**
 * The document a click or a key press asks the page's main frame for, from its request to its commit, over a
 * DevTools session of the page. Playwright's own action waits for that commit, but only within the action's
 * timeout: a link to a staging page that takes longer than `actionMs` to answer failed as not clickable though it
 * was clicked (chromedriver waits for the load up to its page-load timeout). Playwright's wait cannot be switched
 * off without its check that the click reached the element (noWaitAfter skips it), so the action goes as it is, and
 * when it runs out of time with a link followed or a form sent since it began, still on its way, its caller waits
 * on for that document. Playwright has no public "the frame asked for a navigation" event, hence DevTools' own
 * (Page.frameRequestedNavigation, with its reason).
 */
export class ActionNavigation {
  /** The URL of the action's document (a link followed, a form sent; with `any`, every move), not yet taken in. */
  private url: string | undefined;
  private wake: () => void = () => undefined;

  private constructor(
    private readonly devtools: CDPSession,
    private readonly mainFrame: string,
    /** Every navigation of the main frame is the action's, whatever its reason (start()). */
    private readonly any: boolean,
  ) {
    devtools.on("Page.frameRequestedNavigation", this.onRequested);
    devtools.on("Page.frameNavigated", this.onCommitted);
    devtools.on("Page.navigatedWithinDocument", this.onWithinDocument);
    devtools.on("Page.frameStoppedLoading", this.onEnded);
  }

  /**
   * Watches from now on (before the action); undefined when the page's session does not answer within `ms` (its first
   * use asks for the page's frames, which a page between two documents may hold): the action then goes unwatched.
   * `any`: every navigation of the page's main frame during the action is the action's (its handler's
   * `location.href = …` or `location.reload()`; a refresh or redirect timer firing within the action too), not only a
   * link followed or a form sent. Only for an action that surely reached the page (a key pressed with no element to
   * wait for): a click that timed out may never have happened, and a page moving by itself meanwhile (a redirect
   * timer) would read as the click's document, its wait as the click's success.
   */
  static async start(devtools: CDPSession, ms: number, any = false): Promise<ActionNavigation | undefined> {
    const mainFrame = await within(
      mainFrameOf(devtools).catch(() => undefined),
      ms,
    );
    if (typeof mainFrame !== "string") return undefined;
    return new ActionNavigation(devtools, mainFrame, any);
  }

  /**
   * Resolves after one round trip to the page (within `ms`): a navigation the action made the page ask for has been
   * reported by then (Playwright's own actions end so, in its inputActionEpilogue).
   */
  async caughtUp(ms: number): Promise<void> {
    await within(
      this.devtools.send("Page.enable").catch(() => undefined),
      ms,
    );
  }

  /** The URL of the action's document since the watch began that the page has not taken in yet. */
  followed(): string | undefined {
    return this.url;
  }

  /**
   * True once the page has taken in that document (its commit), or no longer loads it (an answer with no content, a
   * download, a newer navigation of the page's own that replaced it); false once `ms` have passed first.
   */
  async ended(ms: number): Promise<boolean> {
    if (this.url === undefined) return true;
    return (await within(new Promise<void>((wake) => (this.wake = wake)), ms)) !== LATE;
  }

  /** Stops watching; a wait under way (ended()) ends at once, as the action it waited for no longer matters. */
  dispose(): void {
    this.wake();
    this.devtools.off("Page.frameRequestedNavigation", this.onRequested);
    this.devtools.off("Page.frameNavigated", this.onCommitted);
    this.devtools.off("Page.navigatedWithinDocument", this.onWithinDocument);
    this.devtools.off("Page.frameStoppedLoading", this.onEnded);
  }

  /**
   * The page stays: a leave-page prompt (of the page or of any of its frames) was dismissed. No DevTools event says
   * the navigation was dropped, so the session that dismissed it says so.
   */
  kept(): void {
    this.onEnded({ frameId: this.mainFrame });
  }

  private readonly onRequested = (e: { frameId: string; url: string; reason: string; disposition: string }) => {
    if (e.frameId !== this.mainFrame || e.disposition !== "currentTab") return;
    if (this.any || FOLLOWED.has(e.reason)) this.url = e.url;
    // Any other navigation replaces the one followed: what the page loads now is not the action's.
    else this.onEnded(e);
  };
  private readonly onCommitted = (e: { frame: { id: string } }) => this.onEnded({ frameId: e.frame.id });
  /** A link to a place in the page itself ends there; a history call of the page's meanwhile does not. */
  private readonly onWithinDocument = (e: { frameId: string; url: string }) => {
    if (e.url === this.url) this.onEnded(e);
  };
  private readonly onEnded = (e: { frameId: string }) => {
    if (e.frameId !== this.mainFrame || this.url === undefined) return;
    this.url = undefined;
    this.wake();
  };
}
