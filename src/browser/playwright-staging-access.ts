// Playwright: every page of a context (the session's, and the tabs the page opens) sends staging's access headers to staging's origin only.
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { isStagingOrigin, type StagingAccess } from "../core/staging-access";
import { sendAccessHeaders } from "./staging-fetch";

/** Each page's interception, once it is in place (a page keeps it across the scenarios of a reset context). */
const ready = new WeakMap<Page, Promise<void>>();

/** A tab the page opened, once it intercepts and its first document is loaded again with the headers. */
const tabs = new WeakMap<Page, Promise<void>>();

/**
 * Intercepts on each page `context` opens from now on. Playwright reports a tab the page opens only once its first
 * document has come, so that document was requested without the headers (staging refused it, nothing leaked): it is
 * loaded again once the tab intercepts. Playwright offers no way to hold a new tab before its first request.
 */
export function sendAccessHeadersFrom(context: BrowserContext, access: StagingAccess): void {
  context.on("page", (page) => {
    const intercepting = accessOn(context, page, access);
    intercepting.catch(() => undefined); // the session's own page is awaited by newSession, which reports it
    if (isStagingOrigin(access, page.url()))
      tabs.set(
        page,
        intercepting.then(
          () => page.reload().then(() => undefined),
          () => undefined,
        ),
      );
  });
}

/** Resolves once a tab the page opened is ready for steps (switchToNewTab waits for it); at once for any other page. */
export function tabReady(page: Page): Promise<void> {
  return (tabs.get(page) ?? Promise.resolve()).catch(() => undefined);
}

/** Resolves once `page`'s requests to staging carry the headers; rejects when they cannot (the session must not open). */
export function accessOn(context: BrowserContext, page: Page, access: StagingAccess): Promise<void> {
  let done = ready.get(page);
  if (!done) {
    done = context.newCDPSession(page).then((cdp: CDPSession) =>
      sendAccessHeaders(
        {
          send: (method, params) => cdp.send(method as "Fetch.enable", params as never),
          on: (method, handler) => cdp.on(method as "Fetch.requestPaused", handler as never),
        },
        access,
      ),
    );
    ready.set(page, done);
  }
  return done;
}
