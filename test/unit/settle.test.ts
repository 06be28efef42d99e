// src/browser/settle: when a page counts as settled (the rule both adapters apply), and the loop that waits for it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { judge, lookWithin, PageBusyError, settlePage, type TrackerAccess } from "../../src/browser/settle";
import type { RequestSnapshot } from "../../src/browser/in-page/requests";
import { BrowserCrashedError, describeSettle, LONG_LIVED_MS, QUIET_MS } from "../../src/browser/session";

const snap = (quietFor: number, open: Array<[string, number]> = [], loading = false): RequestSnapshot => ({
  loading,
  quietFor,
  open: open.map(([what, age]) => ({ what, age })),
});

test("quiet: nothing in flight for the quiet window; until then, look again when the window would end", () => {
  assert.deepEqual(judge(snap(QUIET_MS)), { quiet: true, waiting: [], longLived: [], overdue: [], lookAgainMs: 0 });
  assert.deepEqual(judge(snap(QUIET_MS - 120)), {
    quiet: false,
    waiting: [`(the last request ended or timer fired, or the page loaded, ${QUIET_MS - 120} ms before)`],
    longLived: [],
    overdue: [],
    lookAgainMs: 120,
  });
});

test("a request in flight is waited for; one open for LONG_LIVED_MS is not, and is named as such", () => {
  const young = judge(snap(10_000, [["GET /api/items", LONG_LIVED_MS - 1]]));
  assert.equal(young.quiet, false);
  assert.deepEqual(young.waiting, ["GET /api/items"]);
  const old = judge(snap(10_000, [["GET /api/poll", LONG_LIVED_MS]]));
  assert.deepEqual(old, { quiet: true, waiting: [], longLived: ["GET /api/poll"], overdue: [], lookAgainMs: 0 });
});

test("a pending timer is waited for like a request, and named with its delay", () => {
  const j = judge(
    snap(10_000, [
      ["a timer (500 ms)", 120],
      ["GET /api/items", 10],
      ["a timer (500 ms)", 30],
    ]),
  );
  assert.deepEqual(j, {
    quiet: false,
    waiting: ["a timer (500 ms) (2 of them)", "GET /api/items"],
    longLived: [],
    overdue: [],
    lookAgainMs: 50,
  });
  assert.equal(
    describeSettle({ quiet: false, open: j.waiting }, 5000),
    "the page was not quiet after 5000 ms; still in flight: a timer (500 ms) (2 of them), GET /api/items",
  );
});

test("a long-lived request ending restarts the quiet window like any other", () => {
  assert.equal(judge(snap(QUIET_MS - 1, [["GET /api/poll", LONG_LIVED_MS + 5]])).quiet, false);
});

test("a document still loading is not settled, whatever its requests", () => {
  const j = judge(snap(10_000, [], true));
  assert.equal(j.quiet, false);
  assert.deepEqual(j.waiting, ["(the page is still loading)"]);
});

test("the same request several times is listed once, with how many", () => {
  const j = judge(
    snap(0, [
      ["GET /tick", 10],
      ["GET /a", 10],
      ["GET /tick", 20],
    ]),
  );
  assert.deepEqual(j.waiting, ["GET /tick (2 of them)", "GET /a"]);
});

/** A page whose looks answer from a list, the last one repeated. */
function page(answers: Array<RequestSnapshot | null | Error>): TrackerAccess & { installs: number; looks: number } {
  const p = {
    installs: 0,
    looks: 0,
    async look() {
      const a = answers[Math.min(p.looks++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
    async install() {
      p.installs++;
    },
  };
  return p;
}

test("settlePage: quiet at the first look and a moment later answers then, naming the long-lived requests left out", async () => {
  const p = page([snap(10_000, [["GET /poll", LONG_LIVED_MS + 1]])]);
  assert.deepEqual(await settlePage(p, 1000), { quiet: true, open: ["GET /poll"] });
  assert.equal(p.looks, 2);
});

test("settlePage: what the action set off at the page's next rendering step, after a quiet first look, is waited for", async () => {
  // An IntersectionObserver's callback after a scroll sends its request after the first look.
  const p = page([snap(10_000), snap(0, [["GET /more", 5]]), snap(0, [["GET /more", 60]]), snap(400)]);
  assert.deepEqual(await settlePage(p, 2000), { quiet: true, open: [] });
  assert.equal(p.looks, 4);
});

test("settlePage: a first look that finds the page quiet at the deadline says so", async () => {
  const p = page([snap(10_000)]);
  assert.deepEqual(await settlePage(p, 0), { quiet: true, open: [] });
  assert.equal(p.looks, 1);
});

test("settlePage: a request in flight until the deadline: not quiet, naming it", async () => {
  const p = page([snap(0, [["POST /save", 5]])]);
  assert.deepEqual(await settlePage(p, 60), { quiet: false, open: ["POST /save"] });
});

test("a request started since the action's mark is waited for however long it is open, and named overdue once past LONG_LIVED_MS", () => {
  // The submit was 3 s ago: its POST (open 2.9 s) is still waited for; a poll the page opened before it is not.
  const j = judge(
    snap(10_000, [
      ["GET /api/poll", 9000],
      ["POST /api/slow", LONG_LIVED_MS + 900],
    ]),
    QUIET_MS,
    LONG_LIVED_MS,
    3000,
  );
  assert.deepEqual(j, {
    quiet: false,
    waiting: ["POST /api/slow"],
    longLived: ["GET /api/poll"],
    overdue: ["POST /api/slow"],
    lookAgainMs: 50,
  });
  // Without the mark, the same POST is taken for a long-lived connection and the page called quiet.
  assert.equal(judge(snap(10_000, [["POST /api/slow", LONG_LIVED_MS + 900]])).quiet, true);
});

test("settlePage with waitForRequestsSince: the action's request unanswered at the deadline is overdue; a young one is not", async () => {
  const since = Date.now() - (LONG_LIVED_MS + 500);
  const hung = page([snap(0, [["POST /api/hang", LONG_LIVED_MS + 400]])]);
  assert.deepEqual(await settlePage(hung, 60, { waitForRequestsSince: since }), {
    quiet: false,
    open: ["POST /api/hang"],
    overdue: ["POST /api/hang"],
  });
  // A poll's request in flight at the deadline, open a moment only: waited for, not overdue.
  const polling = page([snap(0, [["GET /api/tick", 20]])]);
  assert.deepEqual(await settlePage(polling, 60, { waitForRequestsSince: since }), {
    quiet: false,
    open: ["GET /api/tick"],
    overdue: [],
  });
});

test("settlePage: a document without the tracker gets it, then is judged", async () => {
  const p = page([null, snap(10_000)]);
  assert.deepEqual(await settlePage(p, 1000), { quiet: true, open: [] });
  assert.equal(p.installs, 1);
});

test("settlePage: a document the tracker cannot be installed in is not called quiet", async () => {
  const p = page([null]);
  assert.deepEqual(await settlePage(p, 1000), { quiet: false, open: ["(the page's requests cannot be tracked)"] });
  assert.equal(p.installs, 2);
});

test("settlePage: a failed look (between two documents) is tried again; a crash is not", async () => {
  const p = page([new Error("Execution context was destroyed"), snap(10_000)]);
  assert.deepEqual(await settlePage(p, 1000), { quiet: true, open: [] });
  await assert.rejects(settlePage(page([new BrowserCrashedError("gone")]), 1000), BrowserCrashedError);
  assert.deepEqual(await settlePage(page([new Error("navigating")]), 60), {
    quiet: false,
    open: ["(the page is between two documents)"],
  });
});

test("settlePage: a page that does not answer a look is named as busy, not as changing documents", async () => {
  const p: TrackerAccess = {
    look: (ms) => lookWithin(new Promise<never>(() => undefined), Math.min(ms, 20)),
    install: async () => undefined,
  };
  assert.deepEqual(await settlePage(p, 10), {
    quiet: false,
    open: ["(the page did not answer: its main thread is busy)"],
  });
  await assert.rejects(lookWithin(new Promise(() => undefined), 5), PageBusyError);
  assert.equal(await lookWithin(Promise.resolve(7), 1000), 7);
});

test("describeSettle: nothing to say when quiet; the long-lived left out; what was in flight at the deadline", () => {
  assert.equal(describeSettle({ quiet: true, open: [] }, 5000), "");
  assert.equal(
    describeSettle({ quiet: true, open: ["GET /poll"] }, 5000),
    "not waited for (open for over 2 s, taken for long-lived connections): GET /poll",
  );
  assert.equal(
    describeSettle({ quiet: false, open: ["a", "b", "c", "d", "e", "f", "g"] }, 5000),
    "the page was not quiet after 5000 ms; still in flight: a, b, c, d, e and 2 more",
  );
});

test("a request the page opens after the first look since the mark is its own (a long poll its answer starts): long-lived, not overdue", () => {
  // The submit was 5 s ago, the first look after it 4.8 s ago: the POST started before that look is the submit's; the
  // poll started 4 s ago, after it, is the page's own.
  const j = judge(
    snap(10_000, [
      ["POST /api/save", 4900],
      ["GET /api/notifications/poll", 4000],
    ]),
    QUIET_MS,
    LONG_LIVED_MS,
    5000,
    4800,
  );
  assert.deepEqual(j.overdue, ["POST /api/save"]);
  assert.deepEqual(j.longLived, ["GET /api/notifications/poll"]);
  assert.equal(j.quiet, false);
  // Once the POST is answered, the poll alone leaves the page quiet.
  assert.equal(
    judge(snap(10_000, [["GET /api/notifications/poll", 4000]]), QUIET_MS, LONG_LIVED_MS, 5000, 4800).quiet,
    true,
  );
});
