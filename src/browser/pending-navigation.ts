// Which pages have a document on its way that they have not taken in yet (a link followed, a form sent), and whether the browser's history has, so that a history step waits for both.
import type { Frame, Page, Request } from "playwright-core";

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
