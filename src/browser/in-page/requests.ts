// The page's request tracker: counts the fetch and XMLHttpRequest calls in flight, and the short timers pending,
// installed before the page's own scripts.
//
// Hand-written (no library tracks a page's requests from inside it): both adapters install this same function as
// an init script, so Playwright and Selenium (a local chromedriver or a Grid, where DevTools events never come back)
// see the same requests by the same rule, and a look at it is one call into the page. Each function here is
// self-contained: the adapters send its source into the page.

/** One look at the page's requests (see requestSnapshot). */
export interface RequestSnapshot {
  /** The document has not finished loading (readyState is not "complete"). */
  loading: boolean;
  /**
   * Milliseconds since the last tracked request ended, the last counted timer fired or the document finished
   * loading, whichever came later.
   */
  quietFor: number;
  /**
   * The tracked requests in flight ("GET https://…", or the answer's body being read) and the counted timers not
   * yet fired ("a timer (500 ms)"), and for how long.
   */
  open: Array<{ what: string; age: number }>;
}

/**
 * Wraps fetch, the reading of a fetch answer's body (json, text, …) and XMLHttpRequest so that each call counts
 * while it is in flight, into the tracker under `key` on window. A same-origin frame counts into the top
 * document's tracker, so a look at the top sees the frames' requests too. Not counted: WebSocket, EventSource,
 * sendBeacon, a fetch body read through its stream, an XMLHttpRequest once it answers with text/event-stream
 * (long-lived by design), workers' requests.
 *
 * Wraps setTimeout too: a timer of at most `shortTimerMs` counts from when it is set until it fires (its callback
 * returned) or is cleared, unless it was set by a timer's work (see `timerWork` below). An app that defers its
 * request (a debounce, a deferred load, a retry) has nothing in flight until the timer fires; counting the timer
 * keeps the page from looking quiet meanwhile, and its firing restarts the quiet period, so a request it sends is
 * then tracked like any other. A string handler (setTimeout("code", ms)) is handed on untouched and not counted:
 * running it ourselves would take an eval of ours, which a page's Content-Security-Policy refuses with an error
 * thrown into the page rather than as the browser refuses its own; apps hardly write one any more.
 */
export function installRequestTracker(key: string, shortTimerMs: number): void {
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

  // Timer work: a timer's callback (setTimeout, setInterval, requestAnimationFrame), the promise jobs that run
  // right after it (what it awaited: `await sleep(100)` in a loop resumes there), and the handling of a fetch it
  // sent. A timer set by timer work is not counted: a spinner or a poll sets its next timer each time, and counting
  // that chain would keep the page from ever settling. Only a timer something else set counts (a page script
  // while loading, an event handler, the handling of a request no timer sent): one such timer counts once, and
  // its chain after it does not. An interval counts as such a timer up to its first round (RxJS waits with one:
  // debounceTime, timer, delay), never after; an animation frame never counts (frames repeat by design).
  // The promise jobs after a task run before any other task, so the flag is cleared by a message posted to
  // ourselves (a task); a trusted input event (the scenario's own action) and the answer to a fetch no timer sent
  // clear it at once, so a task that happens to run before that message is not taken for timer work.
  // Not reached: an XMLHttpRequest's events, whose handlers the page set before ours; its answer's handling is
  // never timer work, so a poll over XMLHttpRequest every second or less keeps the page from settling.
  let timerWork = false;
  /** When a timer last fired (see FOLLOW_UP_MS below). */
  let firedAt = -Infinity;
  /** When the user last acted (the events below): a debounce re-arming meanwhile waits out their typing. */
  let userAt = -Infinity;
  let clearing = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    timerWork = false;
    clearing = false;
  };
  const asTimerWork = <R>(run: () => R): R => {
    timerWork = true;
    if (!clearing) {
      clearing = true;
      channel.port2.postMessage(null);
    }
    return run();
  };
  // What the page does in answer to the user (a debounce started by typing, a card loaded on hover) is no follow-up
  // of a timer that happened to fire just before: it counts however busy the page's timers are. The steps' own
  // input, change and drop events on a select, a date or range field or a drag are dispatched by script (untrusted),
  // so those count too, when no timer's work dispatched them.
  const USER_EVENTS = ["pointerdown", "pointerup", "pointerover", "mouseover", "click", "keydown", "keyup"];
  const VALUE_EVENTS = ["input", "change", "drop"];
  for (const type of [...USER_EVENTS, ...VALUE_EVENTS]) {
    addEventListener(
      type,
      (e) => {
        if (e.isTrusted) timerWork = false;
        else if (timerWork || !VALUE_EVENTS.includes(type)) return;
        firedAt = -Infinity;
        userAt = now();
      },
      true,
    );
  }

  /**
   * Counts `work` from now until the promise it returns settles. Work a timer's work started (a poll's request)
   * answers through a promise of ours, resolved as timer work, so that what the page does with it is too.
   */
  const counted = <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const id = begin(what);
    const byTimer = timerWork;
    let p: Promise<T>;
    try {
      p = work();
    } catch (err) {
      end(id);
      throw err;
    }
    if (!byTimer) {
      const ended = () => {
        end(id);
        timerWork = false;
      };
      p.then(ended, ended);
      return p;
    }
    return new Promise<T>((resolve, reject) =>
      p.then(
        (value) => {
          end(id);
          asTimerWork(() => resolve(value));
        },
        (err: unknown) => {
          end(id);
          asTimerWork(() => reject(err));
        },
      ),
    );
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

  // Typed here as the page has them (Node's types would say a timer's handle is an object).
  type Schedule = (handler: unknown, timeout?: unknown, ...args: unknown[]) => number;
  type Clear = (handle?: unknown) => void;
  const timerApi = window as unknown as Record<"setTimeout" | "setInterval", Schedule> &
    Record<"clearTimeout" | "clearInterval", Clear>;
  const setTimeoutOf = timerApi.setTimeout;
  const clearTimeoutOf = timerApi.clearTimeout;
  const setIntervalOf = timerApi.setInterval;
  const clearIntervalOf = timerApi.clearInterval;
  const frameOf = window.requestAnimationFrame;
  /** The counted timers not yet fired: the page's handle → the tracker's id. */
  const timers = new Map<number, number>();
  // A timer's work can reach the next timer through a task of the page's own (React's scheduler posts a message,
  // renders, runs an effect that sets the next timeout): not timer work by then, yet the same chain, which would keep
  // the page from ever settling (a useEffect countdown or clock). A timer set this soon after a timeout fired is taken
  // for such a follow-up and not counted. (Not after an animation frame: an animated page would never count one.)
  const FOLLOW_UP_MS = 100;
  // A trailing debounce (lodash's) that was called again while it waited sets its next timer from its own timer's
  // callback, for the rest of its wait: a shorter delay than the one it started with. Such a timer, set directly in
  // the callback of a counted one, counts too: up to MAX_LINKS of them, while the chain is under 2 × shortTimerMs
  // old (a debounce typed into until the check starts re-arms once or twice). A spinner or a loop sets the same delay
  // again and does not count; a game loop's shrinking delays count for a few frames at most. `chain` is the counting
  // chain whose callback is running now. A chain whose root is a deferral (an animation frame, or a timer of up to
  // DEFERRAL_MS, requested where a timer would count: jQuery 3 runs `$(fn)` so, a handler that waits for the next
  // frame) passes its count on to a timer of any delay up to shortTimerMs its callback sets, within the same bounds.
  // A link set after the user acted since the last one (a long text still being typed, which re-arms a trailing
  // debounce many times) counts whatever the chain's length and age.
  const MAX_LINKS = 3;
  const DEFERRAL_MS = 16;
  /** `at`: when its last link (or itself) was set. */
  let chain: { rootMs: number; since: number; links: number; at: number } | undefined;
  /** Whether a timer of `ms` set now counts as the next link of the running chain. */
  const linksOn = (ms: number) =>
    chain !== undefined &&
    ms <= shortTimerMs &&
    (ms < chain.rootMs || chain.rootMs <= DEFERRAL_MS) &&
    ((chain.links < MAX_LINKS && now() - chain.since < 2 * shortTimerMs) || userAt > chain.at);
  /** A new chain, rooted in a timer of `rootMs` (0: a frame) set now. */
  const rootOf = (rootMs: number) => ({ rootMs, since: now(), links: 0, at: now() });
  /** Runs a timer's or frame's callback as timer work, with `own` as the running chain. */
  const inChain = <R>(own: typeof chain, run: () => R): R => {
    const outer = chain;
    chain = own;
    try {
      return asTimerWork(run);
    } finally {
      chain = outer;
    }
  };
  /** Whether a timer of `ms` set now counts on its own: set outside timer work, not a follow-up, short. */
  const countsAlone = (ms: number) => !timerWork && ms <= shortTimerMs && now() - firedAt > FOLLOW_UP_MS;
  timerApi.setTimeout = function (handler, timeout, ...args) {
    if (typeof handler !== "function") return setTimeoutOf.call(window, handler, timeout, ...args);
    // As the browser reads it (WebIDL long: NaN is 0, a negative delay is none), read once.
    const ms = Math.max(Number(timeout) | 0, 0);
    const rest = linksOn(ms) ? chain : undefined;
    const counts = rest !== undefined || countsAlone(ms);
    const id = counts ? begin(`a timer (${ms} ms)`) : undefined;
    const own = counts ? (rest ? { ...rest, links: rest.links + 1, at: now() } : rootOf(ms)) : undefined;
    const handle = setTimeoutOf.call(
      window,
      function (this: unknown, ...a: unknown[]) {
        if (id !== undefined) timers.delete(handle);
        try {
          return inChain(own, () => handler.apply(this, a));
        } finally {
          if (id !== undefined) end(id); // after the callback: a request it sent is in flight by now
          firedAt = now();
        }
      },
      ms,
      ...args,
    );
    if (id !== undefined) timers.set(handle, id);
    return handle;
  };
  /** A cleared timer will do nothing: it stops counting, and the quiet period goes on. */
  const forget = (handle: unknown) => {
    const key = Number(handle) | 0;
    const id = timers.get(key);
    if (id === undefined) return;
    timers.delete(key);
    t.open.delete(id);
  };
  // clearTimeout and clearInterval clear from the same list of timers, either kind.
  timerApi.clearTimeout = function (handle) {
    forget(handle);
    clearTimeoutOf.call(window, handle);
  };
  timerApi.clearInterval = function (handle) {
    forget(handle);
    clearIntervalOf.call(window, handle);
  };
  timerApi.setInterval = function (handler, timeout, ...args) {
    if (typeof handler !== "function") return setIntervalOf.call(window, handler, timeout, ...args);
    const ms = Math.max(Number(timeout) | 0, 0);
    // Up to its first round only: a poll set at load holds the page one period at most, as a timeout would.
    let id = countsAlone(ms) ? begin(`a timer (${ms} ms)`) : undefined;
    const handle = setIntervalOf.call(
      window,
      function (this: unknown, ...a: unknown[]) {
        try {
          return asTimerWork(() => handler.apply(this, a));
        } finally {
          if (id !== undefined) {
            timers.delete(handle);
            end(id);
            id = undefined;
          }
        }
      },
      ms,
      ...args,
    );
    if (id !== undefined) timers.set(handle, id);
    return handle;
  };
  if (typeof frameOf === "function") {
    window.requestAnimationFrame = function (callback: FrameRequestCallback) {
      if (typeof callback !== "function") return frameOf.call(window, callback);
      // Not counted itself; a frame requested where a timer would count is a deferral (see DEFERRAL_MS).
      const deferral = countsAlone(0) ? rootOf(0) : undefined;
      return frameOf.call(window, function (this: unknown, time: number) {
        return inChain(deferral, () => callback.call(this, time));
      });
    } as typeof window.requestAnimationFrame;
  }
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
