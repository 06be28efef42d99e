// The page's request tracker: counts the fetch and XMLHttpRequest calls in flight, installed before the page's own scripts.
//
// Hand-written (no library tracks a page's requests from inside it): both adapters install this same function as
// an init script, so Playwright and Selenium (a local chromedriver or a Grid, where DevTools events never come back)
// see the same requests by the same rule, and a look at it is one call into the page. Each function here is
// self-contained: the adapters send its source into the page.

/** One look at the page's requests (see requestSnapshot). */
export interface RequestSnapshot {
  /** The document has not finished loading (readyState is not "complete"). */
  loading: boolean;
  /** Milliseconds since the last tracked request ended or the document finished loading, whichever came later. */
  quietFor: number;
  /** The tracked requests in flight: "GET https://…" (or the answer's body being read), and for how long. */
  open: Array<{ what: string; age: number }>;
}

/**
 * Wraps fetch, the reading of a fetch answer's body (json, text, …) and XMLHttpRequest so that each call counts
 * while it is in flight, into the tracker under `key` on window. A same-origin frame counts into the top
 * document's tracker, so a look at the top sees the frames' requests too. Not counted: WebSocket, EventSource,
 * sendBeacon, a fetch body read through its stream, an XMLHttpRequest once it answers with text/event-stream
 * (long-lived by design), workers' requests.
 */
export function installRequestTracker(key: string): void {
  type Tracker = { open: Map<number, { what: string; since: number }>; next: number; lastEnd: number };
  const w = window as unknown as Record<string, Tracker | undefined>;
  if (w[key]) return;
  const clock = performance;
  const now = () => clock.timeOrigin + clock.now();
  let tracker: Tracker | undefined;
  try {
    if (window.top && window.top !== window) tracker = (window.top as unknown as Record<string, Tracker>)[key];
  } catch {
    // a cross-origin frame counts its own requests
  }
  tracker ??= { open: new Map(), next: 0, lastEnd: 0 };
  Object.defineProperty(window, key, { value: tracker, configurable: false, enumerable: false, writable: false });
  const t = tracker;
  const begin = (what: string) => {
    const id = t.next++;
    t.open.set(id, { what, since: now() });
    return id;
  };
  const end = (id: number) => {
    if (t.open.delete(id)) t.lastEnd = now();
  };
  const absolute = (url: unknown) => {
    try {
      return new URL(String(url), location.href).href;
    } catch {
      return String(url);
    }
  };
  /** Counts `work` from now until the promise it returns settles. */
  const counted = <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const id = begin(what);
    let p: Promise<T>;
    try {
      p = work();
    } catch (err) {
      end(id);
      throw err;
    }
    p.then(
      () => end(id),
      () => end(id),
    );
    return p;
  };

  const fetchOf = window.fetch;
  if (typeof fetchOf === "function") {
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const what =
        input instanceof Request
          ? `${input.method} ${input.url}`
          : `${String(init?.method ?? "GET").toUpperCase()} ${absolute(input)}`;
      return counted(what, () => fetchOf.call(this, input, init));
    } as typeof fetch;
  }
  const body = Response.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ["arrayBuffer", "blob", "formData", "json", "text"]) {
    const read = body[name];
    if (typeof read !== "function") continue;
    body[name] = function (this: Response, ...args: unknown[]) {
      return counted(`reading the answer of ${this.url}`, () => read.apply(this, args));
    };
  }

  const xhr = XMLHttpRequest.prototype;
  const open = xhr.open;
  const send = xhr.send;
  const targets = new WeakMap<XMLHttpRequest, string>();
  xhr.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    targets.set(this, `${String(args[0]).toUpperCase()} ${absolute(args[1])}`);
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof xhr.open;
  xhr.send = function (this: XMLHttpRequest, ...args: unknown[]) {
    const id = begin(targets.get(this) ?? "XMLHttpRequest");
    const done = () => {
      end(id);
      this.removeEventListener("loadend", done);
      this.removeEventListener("readystatechange", streaming);
    };
    const streaming = () => {
      if (this.readyState === 2 && /^text\/event-stream/i.test(this.getResponseHeader("content-type") ?? "")) done();
    };
    this.addEventListener("loadend", done);
    this.addEventListener("readystatechange", streaming);
    try {
      return (send as (...a: unknown[]) => void).apply(this, args);
    } catch (err) {
      done();
      throw err;
    }
  } as typeof xhr.send;
}

/** The top document's requests (this document's when the top is another origin's), or null where no tracker is installed. */
export function requestSnapshot(key: string): RequestSnapshot | null {
  type Tracker = { open: Map<number, { what: string; since: number }>; lastEnd: number };
  let host: Window = window;
  try {
    if (window.top && (window.top as unknown as Record<string, unknown>)[key]) host = window.top;
  } catch {
    // a cross-origin frame: its own tracker
  }
  const tracker = (host as unknown as Record<string, Tracker | undefined>)[key];
  if (!tracker) return null;
  const clock = host.performance;
  const now = clock.timeOrigin + clock.now();
  const nav = clock.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const loaded = nav && nav.loadEventEnd > 0 ? clock.timeOrigin + nav.loadEventEnd : 0;
  return {
    loading: host.document.readyState !== "complete",
    quietFor: now - Math.max(tracker.lastEnd, loaded),
    open: [...tracker.open.values()].map((r) => ({ what: r.what, age: now - r.since })),
  };
}
