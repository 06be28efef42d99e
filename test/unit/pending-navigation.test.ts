// src/browser/pending-navigation: when the browser's history has taken in the document the page reports (what a back or reload waits for), and which document an action asked for (what a click waits for).
import { afterEach, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { CDPSession } from "playwright-core";
import { ActionNavigation, historyHasTakenIn, type NavigationHistory } from "../../src/browser/pending-navigation";

const history = (currentIndex: number, ...urls: string[]): NavigationHistory => ({
  currentIndex,
  entries: urls.map((url) => ({ url })),
});

test("the page has committed the link's document and the browser's current entry is still the page the link was on: not yet", () => {
  const stale = history(1, "about:blank", "http://app/", "http://app/about");
  assert.equal(historyHasTakenIn(stale, ["http://app/about"]), false);
  assert.equal(
    historyHasTakenIn(history(2, "about:blank", "http://app/", "http://app/about"), ["http://app/about"]),
    true,
  );
});

test("the current entry matches either URL the page had around the read (a page changing its URL meanwhile)", () => {
  const h = history(1, "about:blank", "http://app/?step=2");
  assert.equal(historyHasTakenIn(h, ["http://app/?step=1", "http://app/?step=2"]), true);
  assert.equal(historyHasTakenIn(h, ["http://app/?step=3", "http://app/?step=3"]), false);
});

test("a URL within the document (a fragment, pushState) counts as a document of its own", () => {
  const h = history(1, "about:blank", "http://app/list");
  assert.equal(historyHasTakenIn(h, ["http://app/list#item-3"]), false);
  assert.equal(
    historyHasTakenIn(history(2, "about:blank", "http://app/list", "http://app/list#item-3"), [
      "http://app/list#item-3",
    ]),
    true,
  );
});

test("an error page, whose entry keeps the URL that failed, and a tab with no entry are taken as they are", () => {
  const failed = history(1, "about:blank", "http://app:47/");
  assert.equal(historyHasTakenIn(failed, ["chrome-error://chromewebdata/"]), true);
  assert.equal(historyHasTakenIn(history(-1), ["about:blank"]), true);
});

// The watch's timers do not hold the process (the driver's connection does, in a run): a fake session has none.
let keepAlive: NodeJS.Timeout | undefined;
beforeEach(() => void (keepAlive = setInterval(() => undefined, 1000)));
afterEach(() => clearInterval(keepAlive));

/** A DevTools session of a page whose main frame is "main"; `emit` sends the page's events. */
function fakeDevtools() {
  const events = new EventEmitter();
  const session = {
    on: (e: string, f: (p: unknown) => void) => events.on(e, f),
    off: (e: string, f: (p: unknown) => void) => events.off(e, f),
    send: (method: string) =>
      Promise.resolve(method === "Page.getFrameTree" ? { frameTree: { frame: { id: "main" } } } : {}),
  };
  return {
    session: session as unknown as CDPSession,
    emit: (e: string, p: object) => events.emit(e, p),
    listeners: () => events.eventNames().reduce((n, e) => n + events.listenerCount(e), 0),
  };
}
/** A watch over the fake session (its first use answers at once). */
async function watchOn(session: CDPSession): Promise<ActionNavigation> {
  const watch = await ActionNavigation.start(session, 60_000);
  assert.ok(watch);
  return watch;
}
const requested = (frameId: string, url: string, reason = "anchorClick", disposition = "currentTab") => ({
  frameId,
  url,
  reason,
  disposition,
});

test("a link followed or a form sent during the action is the action's document until the page takes it in", async () => {
  for (const reason of ["anchorClick", "formSubmissionGet", "formSubmissionPost"]) {
    const d = fakeDevtools();
    const watch = await watchOn(d.session);
    assert.equal(watch.followed(), undefined);
    d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next", reason));
    assert.equal(watch.followed(), "http://app/next", reason);
    d.emit("Page.frameNavigated", { frame: { id: "main" } });
    assert.equal(watch.followed(), undefined, `${reason}: taken in`);
    watch.dispose();
    assert.equal(d.listeners(), 0, "the watch lets go of the session");
  }
});

test("a navigation the page makes by itself is not the action's, and replaces one the action started", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  for (const reason of ["scriptInitiated", "metaTagRefresh", "httpHeaderRefresh", "reload"]) {
    d.emit("Page.frameRequestedNavigation", requested("main", "http://app/elsewhere", reason));
    assert.equal(watch.followed(), undefined, reason);
  }
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/elsewhere", "scriptInitiated"));
  assert.equal(watch.followed(), undefined);
  watch.dispose();
});

test("for a key that surely reached the page, any move of its main frame is the key's document", async () => {
  for (const reason of ["scriptInitiated", "reload", "metaTagRefresh", "formSubmissionPost"]) {
    const d = fakeDevtools();
    const watch = await ActionNavigation.start(d.session, 60_000, true);
    assert.ok(watch);
    d.emit("Page.frameRequestedNavigation", requested("main", "http://app/found", reason));
    assert.equal(watch.followed(), "http://app/found", reason);
    d.emit("Page.frameRequestedNavigation", requested("child", "http://app/frame", reason));
    d.emit("Page.frameRequestedNavigation", requested("main", "http://app/popup", reason, "newTab"));
    assert.equal(watch.followed(), "http://app/found", `${reason}: a frame's or a new tab's is not the page's`);
    watch.dispose();
  }
});

test("the page kept (a leave-page prompt dismissed) ends the wait for the document", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
  const ended = watch.ended(60_000);
  watch.kept();
  assert.equal(await ended, true);
  assert.equal(watch.followed(), undefined);
  watch.dispose();
  assert.equal(d.listeners(), 0);
});

test("a watch let go of ends a wait under way at once", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
  const ended = watch.ended(60_000);
  watch.dispose();
  assert.equal(await ended, true);
});

// A time limit of its own: a wait that is not bounded would hang here rather than fail.
test(
  "catching up is one round trip to the page, and a page that does not answer is not waited on past its time",
  { timeout: 10_000 },
  async () => {
    const sent: string[] = [];
    let answer = true;
    const d = fakeDevtools();
    const send = d.session.send.bind(d.session);
    (d.session as unknown as { send: (m: string) => Promise<unknown> }).send = (method: string) => {
      sent.push(method);
      return method === "Page.enable" && !answer ? new Promise(() => undefined) : send(method as never);
    };
    const watch = await watchOn(d.session);
    sent.length = 0;
    await watch.caughtUp(60_000);
    assert.deepEqual(sent, ["Page.enable"]);
    answer = false;
    await watch.caughtUp(20); // resolves: a page that holds the answer (busy, or between documents) is the next step's
    watch.dispose();
  },
);

test("a frame's own navigation, a new tab's and another frame's end are not the page's document", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  d.emit("Page.frameRequestedNavigation", requested("child", "http://app/frame"));
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/popup", "anchorClick", "newTab"));
  assert.equal(watch.followed(), undefined);
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
  d.emit("Page.frameNavigated", { frame: { id: "child" } });
  d.emit("Page.frameStoppedLoading", { frameId: "child" });
  assert.equal(watch.followed(), "http://app/next");
  watch.dispose();
});

test("the wait for the document ends with its commit, the end of its load, or a page's own navigation replacing it", async () => {
  for (const end of [
    ["Page.frameNavigated", { frame: { id: "main" } }],
    ["Page.frameStoppedLoading", { frameId: "main" }], // an answer with no content, a download
    ["Page.frameRequestedNavigation", requested("main", "http://app/login", "scriptInitiated")],
  ] as const) {
    const d = fakeDevtools();
    const watch = await watchOn(d.session);
    d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
    let settled = false;
    const ended = watch.ended(60_000).finally(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, `${end[0]}: waits while the document is on its way`);
    d.emit(end[0], end[1]);
    assert.equal(await ended, true, end[0]);
    watch.dispose();
  }
});

test("a move within the page ends the wait only when it is the link followed, not the page's own history call", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/next"));
  d.emit("Page.navigatedWithinDocument", { frameId: "main", url: "http://app/list?page=2" }); // replaceState meanwhile
  assert.equal(watch.followed(), "http://app/next");
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/list#reviews"));
  d.emit("Page.navigatedWithinDocument", { frameId: "main", url: "http://app/list#reviews" });
  assert.equal(watch.followed(), undefined);
  watch.dispose();
});

test("a page whose session does not answer in time is not watched, rather than holding the action", async () => {
  const silent = { on: () => undefined, off: () => undefined, send: () => new Promise(() => undefined) };
  assert.equal(await ActionNavigation.start(silent as unknown as CDPSession, 30), undefined);
});

test("a document that does not come within the time: the wait says so, and the URL is still the one followed", async () => {
  const d = fakeDevtools();
  const watch = await watchOn(d.session);
  assert.equal(await watch.ended(30), true, "nothing followed: nothing to wait for");
  d.emit("Page.frameRequestedNavigation", requested("main", "http://app/hang"));
  assert.equal(await watch.ended(30), false);
  assert.equal(watch.followed(), "http://app/hang");
  watch.dispose();
});
