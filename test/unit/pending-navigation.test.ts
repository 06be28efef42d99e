// src/browser/pending-navigation: when the browser's history has taken in the document the page reports (what a back or reload waits for).
import { test } from "node:test";
import assert from "node:assert/strict";
import { historyHasTakenIn, type NavigationHistory } from "../../src/browser/pending-navigation";

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
