// Selenium: the session's tab sends staging's access headers to staging's origin only, over its own DevTools connection.
import { BrowserStartError } from "../core/errors";
import type { StagingAccess } from "../core/staging-access";
import type { DevToolsTab, PagePort } from "./devtools-tab";
import { sendAccessHeaders, type DevToolsPort } from "./staging-fetch";

/** Each tab connection's interception, once it is in place (the tab is kept across scenarios). */
const ready = new WeakMap<DevToolsTab, Promise<void>>();

/** Why a target cannot send the headers: the one line its scenarios fail with (exit 3), never a run without them. */
export function noDevToolsForAccess(target: string, why: string): BrowserStartError {
  return new BrowserStartError(
    `target "${target}": stagingAccess needs the page's own DevTools connection to send its headers to staging only, and ${why}; its scenarios do not run without them`,
  );
}

/**
 * Resolves once `tab`'s requests to staging carry the headers, and every tab it opens from then on gets them before
 * its first request (at once for a tab already set up).
 */
export function tabSendsAccessHeaders(tab: DevToolsTab, access: StagingAccess): Promise<void> {
  let done = ready.get(tab);
  if (!done) {
    done = Promise.all([
      sendAccessHeaders(fetchPort(tab), access),
      tab.prepareNewPages((page) => sendAccessHeaders(fetchPort(page), access)),
    ]).then(() => undefined);
    ready.set(tab, done);
  }
  return done;
}

function fetchPort(page: PagePort): DevToolsPort {
  return { send: (method, params) => page.command(method, params), on: (method, handler) => page.on(method, handler) };
}
