// chromedriver's browser-log entries become page problems by their source, in the words Playwright's events give; how a failure lists them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { problemFromLog } from "../../src/browser/selenium";
import { problemLine, scriptOfStack } from "../../src/browser/session";

test("uncaught errors, console errors and failed loads, by source", () => {
  assert.deepEqual(
    problemFromLog({ level: "SEVERE", source: "javascript", message: "http://a.test/p.html 7:9 Uncaught Error: boom" }),
    { kind: "page error", message: "boom", script: "http://a.test/p.html" },
  );
  assert.deepEqual(
    problemFromLog({ level: "SEVERE", source: "console-api", message: 'http://a.test/p.html 3:9 "console says no"' }),
    { kind: "console error", message: "console says no", script: "http://a.test/p.html" },
  );
  assert.deepEqual(
    problemFromLog({
      level: "SEVERE",
      source: "network",
      message: "http://a.test/app.js - Failed to load resource: the server responded with a status of 404 (Not Found)",
    }),
    { kind: "failed request", message: "404 http://a.test/app.js", url: "http://a.test/app.js", status: 404 },
  );
  assert.deepEqual(
    problemFromLog({
      level: "SEVERE",
      source: "network",
      message: "http://b.test/api - Failed to load resource: net::ERR_CONNECTION_REFUSED",
    }),
    { kind: "failed request", message: "net::ERR_CONNECTION_REFUSED http://b.test/api", url: "http://b.test/api" },
  );
});

test("what is not the page's failure is left out", () => {
  assert.equal(
    problemFromLog({ level: "WARNING", source: "console-api", message: 'http://a.test/ 1:1 "just a warning"' }),
    undefined,
  );
  assert.equal(
    problemFromLog({
      level: "SEVERE",
      source: "network",
      message:
        "http://a.test/favicon.ico - Failed to load resource: the server responded with a status of 404 (Not Found)",
    }),
    undefined,
  );
  assert.equal(
    problemFromLog({
      level: "SEVERE",
      source: "network",
      message: "http://a.test/x - Failed to load resource: net::ERR_ABORTED",
    }),
    undefined,
  );
  assert.equal(problemFromLog({ level: "SEVERE", source: "other", message: "something" }), undefined);
});

test("a page problem's line names its script; a stack's first frame on the web gives it", () => {
  assert.equal(
    problemLine({ kind: "page error", message: "boom", script: "http://a.test/app.js" }),
    "page error: boom (in http://a.test/app.js)",
  );
  assert.equal(problemLine({ kind: "console error", message: "no" }), "console error: no");
  assert.equal(
    scriptOfStack("TypeError: x\n    at render (http://a.test/app.js:17:5)\n    at http://a.test/b.js:1:1"),
    "http://a.test/app.js",
  );
  assert.equal(scriptOfStack("Error: boom\n    at http://a.test/p.html?q=1:7:30"), "http://a.test/p.html?q=1");
  assert.equal(scriptOfStack("Error: boom\n    at <anonymous>:1:1"), undefined);
  assert.equal(scriptOfStack(undefined), undefined);
});
