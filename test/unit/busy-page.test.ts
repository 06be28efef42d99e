// src/browser/busy-page: a call held by a page that never gives its main thread back fails once its script is ended; others are untouched.
import { afterEach, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { freePage, PageNotAnsweringError, unlessBusy, type PageLine } from "../../src/browser/busy-page";
import { categoryOfErrorType } from "../../src/core/failure-category";

// The watch's timers do not hold the process (a driver's socket does, in a run): a fake call has none, so this does.
let keepAlive: NodeJS.Timeout | undefined;
beforeEach(() => void (keepAlive = setInterval(() => undefined, 1000)));
afterEach(() => clearInterval(keepAlive));

/**
 * A page for the line: busy until `stopsNeeded` scripts have been ended (Infinity: for good), its pings answered only
 * when it is not. `held` is a driver call that gets its answer once the page is free (a typed key acknowledged).
 */
function fakePage(stopsNeeded: number) {
  let stops = 0;
  let pings = 0;
  const freeWaiters: Array<() => void> = [];
  const isFree = () => stops >= stopsNeeded;
  const whenFree = () => new Promise<void>((r) => (isFree() ? r() : freeWaiters.push(r)));
  const line: PageLine = {
    answers: async () => {
      pings++;
      await whenFree();
      return true;
    },
    stopScript: async () => {
      stops++;
      if (isFree()) for (const w of freeWaiters.splice(0)) w();
    },
    navigating: () => false,
  };
  return {
    line,
    held: <T>(value: T) => whenFree().then(() => value),
    get stops() {
      return stops;
    },
    get pings() {
      return pings;
    },
  };
}

test("a call that gets its answer in time is its own outcome, value or error; the page is not asked", async () => {
  const page = fakePage(0);
  assert.equal(await unlessBusy(Promise.resolve(7), page.line, 50), 7);
  await assert.rejects(unlessBusy(Promise.reject(new TypeError("its own")), page.line, 50), TypeError);
  assert.equal(page.pings, 0);
  assert.equal(page.stops, 0);
});

test("a slow call on a page that answers is waited for to its end, its script never ended", async () => {
  // The call ends only after the page has answered twice: past two limits.
  let pings = 0;
  let stops = 0;
  let finish: (v: string) => void = () => undefined;
  const slow = new Promise<string>((r) => (finish = r));
  const line: PageLine = {
    answers: async () => {
      if (++pings === 2) setTimeout(() => finish("done"), 5);
      return true;
    },
    stopScript: async () => void stops++,
    navigating: () => false,
  };
  assert.equal(await unlessBusy(slow, line, 10), "done");
  assert.ok(pings >= 2);
  assert.equal(stops, 0);
});

test("a call held by a busy page: its script is ended until the call gets its answer, and the call fails as the product's", async () => {
  // A key handler that loops again at each of three keys: three ends.
  const page = fakePage(3);
  const err = await unlessBusy(page.held("typed"), page.line, 20).then(
    () => assert.fail("a held call passed"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PageNotAnsweringError);
  assert.equal(err.freed, true);
  assert.equal(page.stops, 3);
  assert.match(err.message, /kept its main thread busy for over 20 ms/);
  assert.equal(categoryOfErrorType(err.name), "product defect");
});

test("a page that never lets go: one request to end its script at a time, a no-op after, the call given up and said so", async () => {
  // V8 answers a request to end a script only once a script has ended: while none runs, the one request stays.
  let stops = 0;
  let pingsAfterStop = 0;
  const line: PageLine = {
    answers: () => {
      if (stops > 0) pingsAfterStop++;
      return new Promise<boolean>(() => undefined);
    },
    stopScript: () => {
      stops++;
      return new Promise<void>(() => undefined);
    },
    navigating: () => false,
  };
  let late: (err: Error) => void = () => undefined;
  const never = new Promise<never>((_, reject) => (late = reject));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const err = await unlessBusy(never, line, 10).catch((e: unknown) => e);
    assert.ok(err instanceof PageNotAnsweringError);
    assert.equal(err.freed, false);
    assert.match(err.message, /the browser still did not answer/);
    assert.equal(stops, 1, "no second request while the first is unanswered");
    assert.equal(pingsAfterStop, 1, "a no-op script takes a request left over");
    late(new Error("the driver's call fails at last"));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("a ping held while a document is on its way (a slow page after a click) is no busy page: the call is waited for", async () => {
  let asked = 0;
  let finish: (v: string) => void = () => undefined;
  const loading = new Promise<string>((r) => (finish = r));
  let stops = 0;
  const line: PageLine = {
    // The browser holds DevTools commands to the page until the new document commits.
    answers: () => new Promise<boolean>(() => undefined),
    stopScript: async () => void stops++,
    navigating: () => {
      if (++asked === 2) finish("loaded");
      return true;
    },
  };
  assert.equal(await unlessBusy(loading, line, 10), "loaded");
  assert.equal(stops, 0);
});

test("no line (a remote end without DevTools, another tab): the call as it is", async () => {
  assert.equal(await unlessBusy(Promise.resolve("x"), undefined, 1), "x");
});

test("before a reset: a page that answers is left alone, a busy one freed, one that stays busy reported", async () => {
  const answering = fakePage(0);
  assert.equal(await freePage(answering.line, 20), true);
  assert.equal(answering.stops, 0);
  const busy = fakePage(2);
  assert.equal(await freePage(busy.line, 20), true);
  assert.equal(busy.stops, 2);
  assert.equal(await freePage(fakePage(Infinity).line, 10), false);
});
