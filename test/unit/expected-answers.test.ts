// A load answered with the status a step expected (`I open "/gone" expecting status 404`) is no failed request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { unexpectedProblems, withExpected, type PageProblem } from "../../src/browser/session";

const failed = (status: number, url: string): PageProblem => ({
  kind: "failed request",
  message: `${status} ${url}`,
  url,
  status,
});

test("each expected answer excuses one load of its URL with its status; every other problem stays", () => {
  const gone = "http://127.0.0.1:1/gone";
  const problems: PageProblem[] = [
    { kind: "page error", message: "boom" },
    failed(404, gone),
    failed(404, gone), // loaded again by the page itself: not what the step expected
    failed(500, gone),
    failed(404, "http://127.0.0.1:1/api/items"),
    { kind: "failed request", message: "net::ERR_FAILED http://127.0.0.1:1/gone", url: gone },
  ];
  assert.deepEqual(unexpectedProblems(problems, [{ url: `${gone}#top`, status: 404 }]), [
    problems[0],
    problems[2],
    problems[3],
    problems[4],
    problems[5],
  ]);
  assert.deepEqual(unexpectedProblems(problems, []), problems);
});

test("a document's answer says when a step asked for its status: same URL (fragment aside) and status", () => {
  const expected = [{ url: "http://s.test/gone", status: 404 }];
  assert.deepEqual(withExpected({ url: "http://s.test/gone#top", status: 404 }, expected), {
    url: "http://s.test/gone#top",
    status: 404,
    expected: true,
  });
  assert.deepEqual(withExpected({ url: "http://s.test/gone", status: 500 }, expected), {
    url: "http://s.test/gone",
    status: 500,
  });
  assert.deepEqual(withExpected({ url: "http://s.test/other", status: 404 }, expected), {
    url: "http://s.test/other",
    status: 404,
  });
});
