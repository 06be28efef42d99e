// Allure labels and links from Gherkin structure and tags; failure evidence helpers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyUrlPattern, scenarioMetadata } from "../../src/report/allure-labels";
import { requirementIds } from "../../src/core/tags";
import {
  collectEvidence,
  errorPageNote,
  serverErrorsNote,
  failingLocator,
  traceSnapshotsWanted,
  tracingWanted,
} from "../../src/report/evidence";
import { withLineAfterMessage } from "../../src/core/message-line";
import type { BrowserSession, PageProblem } from "../../src/browser/session";
import { parseFeature, type GherkinDocument } from "../../src/core/gherkin";

/** A parsed feature and the AST id of its first scenario. */
function featureWithScenario(text: string): { doc: GherkinDocument; scenarioId: string } {
  const doc = parseFeature(text, "x.feature");
  const child = doc.feature!.children[0];
  const scenario = child.scenario ?? child.rule!.children[0].scenario!;
  return { doc, scenarioId: scenario.id };
}

const tags = (...names: string[]) => names.map((name) => ({ name }));
const opts = {
  requirementTagPrefix: "REQ-",
  links: { requirement: "https://tracker.example/{id}", issue: "https://issues.example/browse/{id}" },
};

test("requirement, issue, severity, owner and epic tags become labels and links", () => {
  const { doc, scenarioId } = featureWithScenario("Feature: Visitor counter\n  Scenario: counts\n    Given a page\n");
  const { labels, links } = scenarioMetadata(
    {
      uri: "features/visitor-counter.feature",
      tags: tags("@severity:normal", "@owner:ops", "@REQ-42", "@issue:123", "@severity:critical", "@epic:Home_page"),
      astNodeIds: [scenarioId],
    },
    doc,
    opts,
  );
  assert.deepEqual(labels, [
    { name: "epic", value: "Home page" },
    { name: "story", value: "REQ-42" },
    { name: "severity", value: "critical" },
    { name: "owner", value: "ops" },
  ]);
  assert.deepEqual(links, [
    { type: "requirement", name: "REQ-42", url: "https://tracker.example/REQ-42" },
    { type: "issue", name: "123", url: "https://issues.example/browse/123" },
  ]);
});

test("without a requirement the Rule is the story; the folder under features/ is the epic", () => {
  const { doc, scenarioId } = featureWithScenario(
    "Feature: Pay\n  Rule: Cards are charged once\n    Scenario: pay\n      Given a card\n",
  );
  const { labels, links } = scenarioMetadata(
    { uri: "features/checkout/pay.feature", tags: tags("@severity:bogus"), astNodeIds: [scenarioId] },
    doc,
    { requirementTagPrefix: "REQ-", links: {} },
  );
  assert.deepEqual(labels, [
    { name: "epic", value: "checkout" },
    { name: "story", value: "Cards are charged once" },
  ]);
  assert.deepEqual(links, [], "no URL pattern configured: no links; an unknown severity is ignored");
});

test("requirement ids honour the configured prefix and are unique", () => {
  assert.deepEqual(requirementIds(["@REQ-1", "@REQ-1", "@REQ-", "@STORY-2", "@req-3"], "REQ-"), ["REQ-1"]);
  assert.deepEqual(requirementIds(["@STORY-2"], "STORY-"), ["STORY-2"]);
  assert.equal(applyUrlPattern("https://t/{id}?x={id}", "A B"), "https://t/A%20B?x=A%20B");
});

test("the failing locator is read from locator and visibility failures", () => {
  assert.equal(
    failingLocator('timed out after 1500 ms waiting for the button named "Save" to be clickable'),
    'the button named "Save"',
  );
  assert.equal(failingLocator('expected to see the link named "Help" (waited 5000 ms)'), 'the link named "Help"');
  assert.equal(failingLocator('expected the page to show "Hi"'), undefined);
  assert.equal(failingLocator(undefined), undefined);
});

test("SIGNOFF_TRACE=off turns tracing off", () => {
  assert.equal(tracingWanted({}), true);
  assert.equal(tracingWanted({ SIGNOFF_TRACE: "off" }), false);
  assert.equal(tracingWanted({ SIGNOFF_TRACE: "on-failure" }), true);
});

test("SIGNOFF_TRACE=snapshots adds DOM snapshots; by default a trace has none", () => {
  assert.equal(traceSnapshotsWanted({}), false);
  assert.equal(traceSnapshotsWanted({ SIGNOFF_TRACE: "on" }), false);
  assert.equal(traceSnapshotsWanted({ SIGNOFF_TRACE: "off" }), false);
  assert.equal(traceSnapshotsWanted({ SIGNOFF_TRACE: "snapshots" }), true);
  assert.equal(tracingWanted({ SIGNOFF_TRACE: "snapshots" }), true);
});

test("evidence: a page that stops answering is not asked again; what it answered before is kept", async () => {
  const never = () => new Promise<never>(() => undefined);
  const asked: string[] = [];
  const session = {
    url: async () => (asked.push("url"), "http://staging.test/hang"),
    title: () => (asked.push("title"), never()),
    screenshot: async () => (asked.push("screenshot"), Buffer.from("png")),
    pageSource: async () => (asked.push("source"), "<html></html>"),
  } as unknown as BrowserSession;
  const evidence = await collectEvidence(session, { target: "pw-desktop", driver: "playwright" }, 20);
  assert.deepEqual(asked, ["url", "title"]);
  assert.deepEqual(
    evidence.map((e) => e.name),
    ["Page at the failing step.txt"],
  );
  assert.match(String(evidence[0].body), /Page URL: {3}http:\/\/staging\.test\/hang\nPage title: \(unavailable\)/);
});

test("evidence: a page that answers gives every piece, the screenshot first", async () => {
  const session = {
    url: async () => "http://staging.test/",
    title: async () => "Home",
    screenshot: async () => Buffer.from("png"),
    pageSource: async () => "<html></html>",
  } as unknown as BrowserSession;
  const evidence = await collectEvidence(session, { target: "se-desktop", driver: "selenium" }, 20);
  assert.deepEqual(
    evidence.map((e) => e.name),
    ["Screenshot at the failing step.png", "Page at the failing step.txt", "Page source.html"],
  );
});

test("a failed step on an error page gets a line naming the page and its answer; any other page, none", async () => {
  const on = (answer: () => Promise<{ url: string; status: number }>) =>
    ({ documentAnswer: answer }) as unknown as BrowserSession;
  const url = "http://staging.test/sign-in";
  assert.equal(
    (await errorPageNote(on(async () => ({ url, status: 403 }))))?.line,
    "the page here answered 403 Forbidden: http://staging.test/sign-in",
  );
  assert.equal(
    (await errorPageNote(on(async () => ({ url, status: 599 }))))?.line,
    `the page here answered 599: ${url}`,
  );
  assert.equal((await errorPageNote(on(async () => ({ url, status: 502 }))))?.status, 502);
  for (const status of [200, 302, 0]) assert.equal(await errorPageNote(on(async () => ({ url, status }))), undefined);
  // A status the scenario asked for (`I open "/gone" expecting status 410`) is no finding.
  assert.equal(await errorPageNote(on(async () => ({ url, status: 410, expected: true as const }))), undefined);
  // A page that cannot say, or not in time, leaves the failure as it is.
  assert.equal(await errorPageNote(on(() => Promise.reject(new Error("gone")))), undefined);
  assert.equal(
    await errorPageNote(
      on(() => new Promise(() => undefined)),
      20,
    ),
    undefined,
  );
});

test("a failed step names the requests staging answered 5xx during the scenario, a few of them, not the page's own", async () => {
  const on = (problems: () => Promise<PageProblem[]>) => ({ pageProblems: problems }) as unknown as BrowserSession;
  const failed = (status: number | undefined, url: string): PageProblem => ({
    kind: "failed request",
    message: `${status ?? "net::ERR_FAILED"} ${url}`,
    url,
    status,
  });
  const api = "http://staging.test/api/users";
  assert.equal(
    await serverErrorsNote(on(async () => [failed(500, api)])),
    `a request answered 5xx during the scenario: 500 ${api}`,
  );
  // A 4xx an app answers on purpose, a request with no answer, an error of the page's own: none is named.
  const others: PageProblem[] = [
    failed(404, "http://staging.test/missing.js"),
    failed(undefined, api),
    { kind: "page error", message: "boom" },
  ];
  assert.equal(await serverErrorsNote(on(async () => others)), undefined);
  const five = [500, 502, 503, 504, 500].map((s, i) => failed(s, `${api}/${i}`));
  assert.equal(
    await serverErrorsNote(on(async () => five)),
    `5 requests answered 5xx during the scenario: 500 ${api}/0, 502 ${api}/1, 503 ${api}/2 and 2 more`,
  );
  // The page whose answer the error-page note gives already.
  assert.equal(
    await serverErrorsNote(
      on(async () => [failed(502, api)]),
      20,
      api,
    ),
    undefined,
  );
  const shownWithFragment = await serverErrorsNote(
    on(async () => [failed(502, api)]),
    20,
    `${api}#step2`,
  );
  assert.equal(shownWithFragment, undefined, "the page's URL with a fragment is the same request");
  assert.equal(
    await serverErrorsNote(
      on(() => new Promise(() => undefined)),
      20,
    ),
    undefined,
    "late",
  );
  assert.equal(await serverErrorsNote(on(() => Promise.reject(new Error("gone")))), undefined);
});

test("the note goes after every line of the message, before its stack frames", () => {
  const stack = "    at World.<anonymous> (features/steps.ts:3:9)";
  assert.equal(
    withLineAfterMessage(`AssertionError: expected 2\n  detail\n${stack}`, "note"),
    `AssertionError: expected 2\n  detail\nnote\n${stack}`,
  );
  assert.equal(withLineAfterMessage("expected 2", "note"), "expected 2\nnote");
});
