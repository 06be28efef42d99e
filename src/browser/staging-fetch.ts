// Staging's access headers on a page's own requests to staging's origin, through the page's DevTools Fetch domain (both drivers).
//
// Why the Fetch domain and not Playwright's route.continue({headers}) or Network.setExtraHTTPHeaders: the extra
// headers go to every origin, and Playwright carries a route's header overrides through every redirect hop, to
// whatever origin it points (playwright#32939). Fetch pauses only requests whose URL matches the pattern, and its
// overrides "do not extend to subsequent redirect hops": a hop back to staging is paused (and gets them) again, a
// hop elsewhere is not paused at all.
//
// A request to staging's origin is not enough: a page of another origin the scenario visits (a login provider, a
// payment page, an iframe inside staging) could fetch staging and read the answer if staging's CORS lets it. So
// the headers go with navigations to staging, and with the requests of documents of staging's own origin only.
// Chromium can report a document's origin as staging's when it is not (a staging page served with
// `Content-Security-Policy: sandbox`, which has an opaque one), so a request's own Origin header is checked too.
import { isStagingOrigin, type StagingAccess } from "../core/staging-access";
import { trackFrameOrigins, type DevToolsPort } from "./frame-origins";

export type { DevToolsPort } from "./frame-origins";

/** Fetch.requestPaused's parameters, the part read here. */
export interface RequestPaused {
  requestId: string;
  request: { url: string; headers: Record<string, string> };
  /** The frame the request comes from (a worker's: the frame that started it). */
  frameId?: string;
  /** Network.ResourceType: "Document" for a navigation of the page or a frame, else what the document asked for. */
  resourceType?: string;
}

/** A request the page is about to send, as far as the decision needs it. */
export interface PageRequest {
  url: string;
  resourceType?: string;
  /** The origin of the document of the frame that sent it; undefined when unknown or opaque. */
  frameOrigin: string | undefined;
  /** The request's own headers as the browser is about to send them; its Origin header is the one read (any case). */
  headers?: Record<string, string>;
}

/**
 * Whether `request` carries staging's access headers. Only to staging's origin (scheme, host and port), and then:
 * - a navigation (a page's or a frame's document), whoever started it: it is the document staging serves, and a
 *   page of another origin that navigates a frame or a link there cannot read it;
 * - anything else (fetch/XHR, scripts, styles, images, fonts, media, EventSource, beacons, a worker's script and its
 *   requests) only when the frame that sent it holds a document of staging's origin. A frame of another origin, one
 *   whose origin is not told (data:, an about:blank a script navigated) or one not known yet: without them.
 *   And whatever the frame's origin: never when the request has an Origin header that is not exactly staging's
 *   origin ("null" included: what an opaque origin sends). Every CORS request (the only way a page reads an answer
 *   of another origin) carries one, so a document whose real origin is not staging's cannot read staging's answer
 *   even where Chromium reports its frame as staging's: a staging page served with `Content-Security-Policy:
 *   sandbox` (how apps serve user uploads), or a sandboxed iframe kept in process. Navigations are exempt: a form
 *   of another origin posting back to staging (a login provider) sends that origin, and must work.
 */
export function carriesAccessHeaders(access: Pick<StagingAccess, "origin">, request: PageRequest): boolean {
  if (!isStagingOrigin(access, request.url)) return false;
  if (request.resourceType === "Document") return true;
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (name.toLowerCase() === "origin" && value !== access.origin) return false;
  return request.frameOrigin !== undefined && isStagingOrigin(access, request.frameOrigin);
}

/**
 * Starts adding `access.headers` to the page's requests that carriesAccessHeaders allows; resolves once the browser
 * pauses them, so the page's next request is judged. A request other than a navigation waits until every frame the
 * page had is known (trackFrameOrigins); if its frame committed another document meanwhile, it goes without them.
 */
export async function sendAccessHeaders(port: DevToolsPort, access: StagingAccess): Promise<void> {
  const frames = trackFrameOrigins(port);
  port.on("Fetch.requestPaused", (params) => {
    const event = params as unknown as RequestPaused;
    const mark = frames.now();
    const decide = () => {
      const frameOrigin = frames.changedSince(event.frameId, mark) ? undefined : frames.originOf(event.frameId);
      // A paused request must be continued, or the page waits for it forever; a failure means the page is gone.
      port.send("Fetch.continueRequest", continued(event, access, frameOrigin)).catch(() => undefined);
    };
    if (event.resourceType === "Document" || frames.isKnown()) decide();
    else void frames.known.then(decide);
  });
  await port.send("Fetch.enable", { patterns: [{ urlPattern: `${access.origin}/*`, requestStage: "Request" }] });
}

/**
 * Fetch.continueRequest's parameters: unchanged unless carriesAccessHeaders allows the request (`frameOrigin`: the
 * origin of the document of its frame), else the page's own headers and staging's where the page set none of that
 * name. A header the page sets itself wins, as over a browser's remembered basic-auth login: an app that sends its own
 * `Authorization: Bearer …` to its API keeps it.
 */
export function continued(event: RequestPaused, access: StagingAccess, frameOrigin: string | undefined): object {
  // The pattern already matched the URL; the origin is compared whole again (the pattern is a glob).
  const request = {
    url: event.request.url,
    resourceType: event.resourceType,
    frameOrigin,
    headers: event.request.headers,
  };
  if (!carriesAccessHeaders(access, request)) return { requestId: event.requestId };
  const headers = Object.entries(event.request.headers)
    // The browser adds the cookies itself after this: a cookie header here would replace them.
    .filter(([name]) => name.toLowerCase() !== "cookie")
    .map(([name, value]) => ({ name, value }));
  const pageSet = new Set(headers.map((h) => h.name.toLowerCase()));
  for (const [name, value] of Object.entries(access.headers)) if (!pageSet.has(name)) headers.push({ name, value });
  return { requestId: event.requestId, headers };
}
