// src/browser/in-page/requests: the tracker as it is injected (TRACKER_SCRIPT), run in a page of its own whose timers,
// clock and fetch run on virtual time (`advance`), so what counts never depends on how busy the machine is. Tasks the
// page posts (MessageChannel) are Node's own immediates, run between timers as a browser runs them.
// The browsers run it end to end in test/conformance/suite.ts ("settle: a timer the page set …").
import { test } from "node:test";
import assert from "node:assert/strict";
import { createContext, runInContext } from "node:vm";
import type { RequestSnapshot } from "../../src/browser/in-page/requests";
import { SNAPSHOT_EXPRESSION, TRACKER_SCRIPT } from "../../src/browser/settle";
import { SHORT_TIMER_MS } from "../../src/browser/session";

/** After the tasks already queued (the tracker ends a timer's work in a task it posts, as a MessageChannel does). */
const aTaskLater = () => new Promise((r) => setImmediate(r));
/** Every task and promise job the page has queued, and those they queue in turn (a few rounds deep). */
const queuedWork = async () => {
  for (let i = 0; i < 5; i++) await aTaskLater();
};

interface Timer {
  at: number;
  every?: number;
  run: () => void;
}

/** A page with the tracker installed: `run` runs a script in it, `look` is the snapshot settle() would judge. */
function page() {
  const timers = new Map<number, Timer>();
  let now = 0; // virtual milliseconds since the page's time origin
  let next = 0;
  let closed = false;
  // A browser's timers: numbered handles, one list for timeouts and intervals. A delay under 1 ms waits 1 ms (as
  // Node's do), so a 0 ms loop turns once per virtual millisecond instead of forever at one instant.
  const strings: unknown[] = [];
  const schedule =
    (repeat: boolean) =>
    (fn: (...a: unknown[]) => void, ms?: unknown, ...args: unknown[]) => {
      const n = ++next;
      if (closed) return n; // the page is gone: what was under way schedules nothing more
      if (typeof fn !== "function") {
        strings.push(fn); // what a browser would evaluate: kept, not run
        return n;
      }
      const delay = Math.max(1, Number(ms) || 0);
      timers.set(n, { at: now + delay, every: repeat ? delay : undefined, run: () => fn(...args) });
      return n;
    };
  const clear = (n: number) => void timers.delete(n);
  /** The timer due first by `end` (on a tie, the one set first), if any. */
  const dueBy = (end: number): [number, Timer] | undefined => {
    let first: [number, Timer] | undefined;
    for (const entry of timers) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
    return first;
  };
  const clock = { timeOrigin: 1_700_000_000_000, now: () => now, getEntriesByType: () => [] };
  class Response {
    constructor(
      private readonly body: string,
      readonly url: string,
    ) {}
    text() {
      return Promise.resolve(this.body);
    }
    json() {
      return Promise.resolve(JSON.parse(this.body));
    }
  }
  class XMLHttpRequest {
    open() {}
    send() {}
    addEventListener() {}
  }
  const requests: string[] = [];
  const listeners: Array<{ type: string; listener: (e: { isTrusted: boolean }) => void }> = [];
  const window = createContext({
    console,
    performance: clock,
    location: { href: "http://app.test/" },
    document: { readyState: "complete" },
    setTimeout: schedule(false),
    setInterval: schedule(true),
    clearTimeout: clear,
    clearInterval: clear,
    requestAnimationFrame: (fn: (t: number) => void) => schedule(false)(() => fn(clock.now()), 16),
    // A posted message is a task of its own, after the promise jobs of the task that posted it.
    MessageChannel: class {
      port1: { onmessage: null | (() => void) } = { onmessage: null };
      port2 = { postMessage: () => void setImmediate(() => this.port1.onmessage?.()) };
    },
    /** The tracker's capture listeners: `user` below dispatches a trusted event to them, as the browser would. */
    addEventListener: (type: string, listener: (e: { isTrusted: boolean }) => void) =>
      listeners.push({ type, listener }),
    Response,
    XMLHttpRequest,
    Request: class {},
    URL,
    URLSearchParams,
    /** Answers 20 ms later (the page's own timers, not the tracker's: a request is no timer of the page's). */
    fetch: (url: string) => {
      requests.push(url);
      return new Promise((r) => schedule(false)(() => r(new Response('{"ok":true}', `http://app.test${url}`)), 20));
    },
  });
  runInContext("var window = globalThis;", window);
  runInContext(TRACKER_SCRIPT, window);
  const look = () => JSON.parse(JSON.stringify(runInContext(SNAPSHOT_EXPRESSION, window))) as RequestSnapshot;
  return {
    // As the adapters get them: serialized (and so made of this realm's arrays and objects).
    run: (script: string) => JSON.parse(JSON.stringify(runInContext(script, window)) ?? "null") as unknown,
    look,
    /** `ms` of the page's time go by: each timer due runs at its time, the work it queues before the next. */
    advance: async (ms: number) => {
      const end = now + ms;
      await queuedWork();
      for (let due = dueBy(end); due; due = dueBy(end)) {
        const [n, timer] = due;
        now = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(n);
        timer.run();
        await queuedWork();
      }
      now = end;
    },
    /** The page's clock (ms since its time origin). */
    now: () => now,
    /**
     * The user's `type` event (trusted; or one a script dispatched): the tracker's listeners see it first, then the
     * page's `handler` runs.
     */
    user: (type: string, handler: string, isTrusted = true) => {
      for (const l of listeners) if (l.type === type) l.listener({ isTrusted });
      runInContext(handler, window);
    },
    open: () => look().open.map((o) => o.what),
    requests,
    strings,
    close: () => {
      closed = true;
      timers.clear();
    },
  };
}

test("a timer of up to SHORT_TIMER_MS counts until it fires, and its firing restarts the quiet period", async () => {
  const p = page();
  try {
    p.run(`setTimeout(() => { window.fired = true; }, 60); setTimeout(() => {}, ${SHORT_TIMER_MS + 1});`);
    assert.deepEqual(p.open(), ["a timer (60 ms)"], "the longer timer is not counted");
    assert.ok(p.look().quietFor > 10_000, "setting a timer does not restart the quiet period");
    await p.advance(120);
    assert.equal(p.run("window.fired"), true);
    assert.deepEqual(p.open(), []);
    assert.equal(p.look().quietFor, 60, "its firing, 60 ms ago, restarted the quiet period");
  } finally {
    p.close();
  }
});

test("a timer's delay reads as the browser reads it; SHORT_TIMER_MS itself counts", () => {
  const p = page();
  try {
    p.run(
      `setTimeout(() => {}); setTimeout(() => {}, -5); setTimeout(() => {}, "250"); setTimeout(() => {}, ${SHORT_TIMER_MS});`,
    );
    assert.deepEqual(p.open(), [
      "a timer (0 ms)",
      "a timer (0 ms)",
      "a timer (250 ms)",
      `a timer (${SHORT_TIMER_MS} ms)`,
    ]);
  } finally {
    p.close();
  }
});

test("a cleared timer stops counting without restarting the quiet period; clearInterval clears one too", () => {
  const p = page();
  try {
    p.run(
      "const a = setTimeout(() => {}, 500); const b = setTimeout(() => {}, 400); clearTimeout(a); clearInterval(b);",
    );
    assert.deepEqual(p.open(), []);
    assert.ok(p.look().quietFor > 10_000);
  } finally {
    p.close();
  }
});

test("the timer that sends a request holds the page until the request is in flight, then the request does", async () => {
  const p = page();
  try {
    p.run(`setTimeout(() => { fetch("/api/later").then((r) => r.json()).then((d) => { window.shown = d; }); }, 30);`);
    assert.deepEqual(p.open(), ["a timer (30 ms)"]);
    await p.advance(40);
    assert.deepEqual(p.open(), ["GET http://app.test/api/later"]);
    await p.advance(60);
    assert.deepEqual(p.run("window.shown"), { ok: true });
    assert.deepEqual(p.open(), []);
  } finally {
    p.close();
  }
});

test("a timer set where the page handles a request's answer counts", async () => {
  const p = page();
  try {
    p.run(`fetch("/api/items").then(() => setTimeout(() => {}, 500));`);
    await p.advance(40);
    assert.deepEqual(p.open(), ["a timer (500 ms)"]);
  } finally {
    p.close();
  }
});

test("what a timer sets does not count: a spinner, a loop awaiting delays, a poll; nor do an interval's later rounds and frames", async () => {
  const p = page();
  try {
    p.run(`
      window.turns = 0;
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const spin = () => { window.turns++; setTimeout(spin, 10); };
      setTimeout(spin, 10);
      (async () => { for (;;) { await sleep(10); window.slept = (window.slept || 0) + 1; } })();
      (async () => { for (;;) { await (await fetch("/api/poll")).json(); await sleep(30); } })();
      setInterval(() => { setTimeout(() => {}, 5); }, 10);
      const frame = () => { setTimeout(() => {}, 5); requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    `);
    // The first of each chain counts: it was set while the page loaded; so does the interval, up to its first round.
    assert.deepEqual(p.open(), [
      "a timer (10 ms)",
      "a timer (10 ms)",
      "GET http://app.test/api/poll",
      "a timer (10 ms)",
    ]);
    await p.advance(80); // the poll's first wait (30 ms) has been counted and has fired by now
    for (let i = 0; i < 10; i++) {
      await p.advance(15);
      assert.deepEqual(
        p.open().filter((w) => w.startsWith("a timer")),
        [],
        "no timer of a chain, interval or frame is pending work",
      );
    }
    assert.ok((p.run("window.turns") as number) > 5, "the spinner kept turning");
    assert.ok((p.run("window.slept") as number) > 5, "the loop kept sleeping");
    assert.ok(p.requests.length > 3, "the poll kept polling");
  } finally {
    p.close();
  }
});

test("a chain that reaches its next timer through a task of the page's own (React's scheduler) counts once", async () => {
  const p = page();
  try {
    // Each link: the timer's work posts a message; the message's task (not timer work) sets the next timer.
    p.run(`
      window.ticks = 0;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => setTimeout(tick, 40);
      const tick = () => { window.ticks++; channel.port2.postMessage(null); };
      setTimeout(tick, 40);
    `);
    assert.deepEqual(p.open(), ["a timer (40 ms)"], "the first link was set while the page loaded");
    await p.advance(60);
    for (let i = 0; i < 8; i++) {
      await p.advance(15);
      assert.deepEqual(p.open(), [], "no later link is pending work");
    }
    assert.ok((p.run("window.ticks") as number) > 2, "the chain kept ticking");
  } finally {
    p.close();
  }
});

test("a timer set in answer to the user counts even right after another timer fired (a debounce on a busy page)", async () => {
  const p = page();
  try {
    // A spinner's timer fires every 20 ms, each setting the next: none counts.
    p.run(`const spin = () => setTimeout(spin, 20); setTimeout(spin, 20);`);
    await p.advance(70);
    assert.deepEqual(p.open(), []);
    // A timer the page's own task sets just after one fired is taken for its follow-up…
    p.run(`setTimeout(() => {}, 400)`);
    assert.deepEqual(p.open(), [], "a follow-up does not count");
    // …but one set as it handles the user's typing is the user's, and counts.
    p.user("input", `setTimeout(() => {}, 400)`);
    assert.deepEqual(p.open(), ["a timer (400 ms)"]);
  } finally {
    p.close();
  }
});

/**
 * A page whose spinner turned a few times and was then stopped, once the work of its last turn has ended (the
 * tracker ends it in a task it posts, queued before ours): a step's script runs as a task of its own, and on a loaded
 * machine another turn could otherwise fire between that ending and the step.
 */
async function afterASpin() {
  const p = page();
  p.run(
    `window.turns = 0; const spin = () => { window.turns++; window.h = setTimeout(spin, 20); }; window.h = setTimeout(spin, 20);`,
  );
  for (let i = 0; i < 500 && (p.run("window.turns") as number) < 3; i++) await p.advance(10);
  p.run("clearTimeout(window.h)");
  await aTaskLater();
  return p;
}

test("the steps' own input and change events (dispatched by script on a select or a date field) count as the user's", async () => {
  const p = await afterASpin();
  try {
    p.user("change", `setTimeout(() => {}, 400)`, false);
    assert.deepEqual(p.open(), ["a timer (400 ms)"], "a change dispatched by script");
    // Any other event a script dispatches is the page's own: right after a timer fired, what it sets is a follow-up.
    const q = await afterASpin();
    try {
      q.user("click", `setTimeout(() => {}, 400)`, false);
      assert.deepEqual(q.open(), []);
    } finally {
      q.close();
    }
  } finally {
    p.close();
  }
});

test("a hover's pointerover and mouseover count as the user's (a card loaded a moment after the pointer came)", async () => {
  const p = page();
  try {
    p.run(`const spin = () => setTimeout(spin, 20); setTimeout(spin, 20);`);
    await p.advance(70);
    p.user("mouseover", `setTimeout(() => {}, 300)`);
    assert.deepEqual(p.open(), ["a timer (300 ms)"]);
  } finally {
    p.close();
  }
});

test("an interval counts up to its first round, as RxJS's debounceTime waits with one; cleared, it stops counting", async () => {
  const p = page();
  try {
    p.run(`window.rounds = 0; window.poll = setInterval(() => { window.rounds++; }, 30);`);
    assert.deepEqual(p.open(), ["a timer (30 ms)"]);
    await p.advance(50);
    assert.equal(p.run("window.rounds"), 1);
    assert.deepEqual(p.open(), [], "its later rounds do not count");
    assert.equal(p.look().quietFor, 20, "its first round, 20 ms ago, restarted the quiet period");
    p.run(`window.debounce = setInterval(() => {}, 400)`);
    assert.deepEqual(p.open(), ["a timer (400 ms)"]);
    p.run(`clearInterval(window.debounce); clearInterval(window.poll)`);
    assert.deepEqual(p.open(), []);
  } finally {
    p.close();
  }
});

test("a deferral (a 0 ms timer or an animation frame) passes its count on to the longer timer it sets; a loop does not", async () => {
  const p = page();
  try {
    // jQuery 3 runs $(fn) from a 0 ms timer; a handler that waits for the next frame before it debounces.
    p.run(`setTimeout(() => { setTimeout(() => { window.loaded = true; }, 400); window.a = true; }, 0);`);
    p.run(`requestAnimationFrame(() => { setTimeout(() => {}, 300); window.b = true; });`);
    for (let i = 0; i < 500 && !p.run("window.a && window.b"); i++) await p.advance(5);
    assert.deepEqual(p.open(), ["a timer (400 ms)", "a timer (300 ms)"]);
    // A 0 ms loop counts for MAX_LINKS links at most, then never again.
    const q = page();
    try {
      q.run(`window.turns = 0; const spin = () => { window.turns++; setTimeout(spin, 0); }; setTimeout(spin, 0);`);
      // Past MAX_LINKS turns, however slowly a loaded machine turns it.
      for (let i = 0; i < 500 && (q.run("window.turns") as number) <= 5; i++) await q.advance(10);
      assert.ok((q.run("window.turns") as number) > 5, "the loop kept turning");
      assert.deepEqual(q.open(), []);
    } finally {
      q.close();
    }
  } finally {
    p.close();
  }
});

test("a trailing debounce called again while it waited: the rest of its wait, set from its own timer, counts too", async () => {
  const p = page();
  try {
    // lodash's debounce, as it works: one timer; when it fires early (called since), it waits out the rest.
    p.run(`
      let timer, lastCall;
      const expired = () => {
        const rest = 300 - (performance.now() - lastCall);
        if (rest > 0) { timer = setTimeout(expired, rest); window.rearmed = true; }
        else { timer = undefined; fetch("/api/search"); }
      };
      window.typed = () => { lastCall = performance.now(); if (timer === undefined) timer = setTimeout(expired, 300); };
      window.typed();
    `);
    await p.advance(150);
    p.run("window.typed()"); // a keystroke while it waits: its timer fires at 300 ms and waits ≈ 150 ms more
    while (p.run("window.rearmed") !== true) await p.advance(5);
    assert.equal(p.requests.length, 0, "the debounced request is not sent yet");
    const open = p.open();
    assert.equal(open.length, 1, "one timer is pending work: the rest of the wait");
    assert.match(open[0], /^a timer \(\d+ ms\)$/);
    while (p.requests.length === 0) await p.advance(5);
    assert.deepEqual(p.requests, ["/api/search"]);
  } finally {
    p.close();
  }
});

test("a trailing debounce re-armed again and again while a long text is typed counts to its end", async () => {
  const p = page();
  try {
    // The same lodash debounce (a 300 ms wait), typed into for about 2.5 s: it re-arms more than MAX_LINKS times,
    // over a chain older than 2 s; each keystroke (a user's input event) keeps it counting.
    p.run(`
      window.rearms = 0;
      let timer, lastCall;
      const expired = () => {
        const rest = 300 - (performance.now() - lastCall);
        if (rest > 0) { timer = setTimeout(expired, rest); window.rearms++; }
        else { timer = undefined; fetch("/api/search"); }
      };
      window.typed = () => { lastCall = performance.now(); if (timer === undefined) timer = setTimeout(expired, 300); };
    `);
    const end = p.now() + 2500;
    while (p.now() < end) {
      p.user("input", "window.typed()");
      await p.advance(30);
      assert.ok(p.open().length > 0 || p.requests.length > 0, "the debounce is pending work while typing goes on");
    }
    assert.ok((p.run("window.rearms") as number) > 3, "it re-armed more than MAX_LINKS times");
    assert.equal(p.requests.length, 0, "not sent while typing went on");
    assert.deepEqual(p.open().length, 1, "the rest of its wait after the last key counts");
    while (p.requests.length === 0) await p.advance(5);
    assert.deepEqual(p.requests, ["/api/search"]);
  } finally {
    p.close();
  }
});

test("a loop whose delays shrink (a game loop's frame timer) counts for a few links only", async () => {
  const p = page();
  try {
    p.run(`
      window.frames = 0;
      const frame = () => { window.frames++; setTimeout(frame, 16 - (window.frames % 4)); };
      setTimeout(frame, 20);
    `);
    while ((p.run("window.frames") as number) < 8) await p.advance(5);
    assert.deepEqual(p.open(), [], "by its 8th frame no timer of the loop is pending work");
  } finally {
    p.close();
  }
});

test("a string handler is handed to the browser as it is, and not counted", () => {
  const p = page();
  try {
    p.run(`setTimeout("window.ran = true", 10);`);
    assert.deepEqual(p.strings, ["window.ran = true"]);
    assert.deepEqual(p.open(), []);
  } finally {
    p.close();
  }
});
