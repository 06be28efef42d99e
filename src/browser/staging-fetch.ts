// Staging's access headers on a page's own requests to staging's origin, through the page's DevTools Fetch domain (both drivers).
//
// Why the Fetch domain and not Playwright's route.continue({headers}) or Network.setExtraHTTPHeaders: the extra
// headers go to every origin, and Playwright carries a route's header overrides through every redirect hop, to
// whatever origin it points (playwright#32939). Fetch pauses only requests whose URL matches the pattern, and its
// overrides "do not extend to subsequent redirect hops": a hop back to staging is paused (and gets them) again, a
// hop elsewhere is not paused at all.
import { isStagingOrigin, type StagingAccess } from "../core/staging-access";

/** Fetch.requestPaused's parameters, the part read here. */
export interface RequestPaused {
  requestId: string;
  request: { url: string; headers: Record<string, string> };
}

/** One page's DevTools session: a command, and its Fetch.requestPaused events. */
export interface FetchPort {
  send(method: string, params: object): Promise<unknown>;
  onRequestPaused(handler: (event: RequestPaused) => void): void;
}

/**
 * Starts adding `access.headers` to the page's requests to staging's origin (documents, fetch/XHR, scripts, frames
 * of that origin); resolves once the browser pauses them, so the page's next request carries them.
 */
export async function sendAccessHeaders(port: FetchPort, access: StagingAccess): Promise<void> {
  port.onRequestPaused((event) => {
    // A paused request must be continued, or the page waits for it forever; a failure means the page is gone.
    port.send("Fetch.continueRequest", continued(event, access)).catch(() => undefined);
  });
  await port.send("Fetch.enable", { patterns: [{ urlPattern: `${access.origin}/*`, requestStage: "Request" }] });
}

/**
 * Fetch.continueRequest's parameters, for staging's origin only: the page's own headers, and staging's where the page
 * set none of that name. A header the page sets itself wins, as over a browser's remembered basic-auth login: an app
 * that sends its own `Authorization: Bearer …` to its API keeps it.
 */
export function continued(event: RequestPaused, access: StagingAccess): object {
  // The pattern already matched the URL; the origin is compared whole again (the pattern is a glob).
  if (!isStagingOrigin(access, event.request.url)) return { requestId: event.requestId };
  const headers = Object.entries(event.request.headers)
    // The browser adds the cookies itself after this: a cookie header here would replace them.
    .filter(([name]) => name.toLowerCase() !== "cookie")
    .map(([name, value]) => ({ name, value }));
  const pageSet = new Set(headers.map((h) => h.name.toLowerCase()));
  for (const [name, value] of Object.entries(access.headers)) if (!pageSet.has(name)) headers.push({ name, value });
  return { requestId: event.requestId, headers };
}
