// Failures classified by the error's type (what Cucumber records as exception.type), never by the message; JUnit follows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AssertionError } from "node:assert";
import {
  BrowserCrashedError,
  FieldValueRefusedError,
  ElementNotUsableError,
  LocatorTimeoutError,
  NavigationTimeoutError,
  PageStatusError,
  StagingError,
  UnreadableSelectorError,
  StagingServerError,
  type ValueFieldState,
} from "../../src/browser/session";
import { AmbiguousNumberError } from "../../src/core/numbers";
import { PageNotAnsweringError } from "../../src/browser/busy-page";
import { EnvironmentError, SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";
import { RunInterruptedError } from "../../src/interruption";
import {
  CheckFailed,
  isEnvironmentFailure,
  isProductFailure,
  PropertyAssertionError,
  PropertyInputError,
} from "../../src/properties/errors";
import {
  categorize,
  categoryOfErrorType,
  failedOnWhatThePageShows,
  typeOnAnsweredPage,
  type FailureCategory,
} from "../../src/core/failure-category";
import type { ScenarioResult } from "../../src/core/results-model";
import { junitXml } from "../../src/report/junit";

/** The type Cucumber records for a thrown value (its format_error: error.constructor.name). */
const typeOf = (err: Error) => err.constructor.name;

const CASES: [Error, FailureCategory][] = [
  [new SignoffAssertionError('expected the page to show "Hi"'), "product defect"],
  [new AssertionError({ message: "node:assert in a project's own step" }), "product defect"],
  [new PropertyAssertionError("counterexample found"), "product defect"],
  [new PageStatusError("http://x/", 404, 200), "product defect"],
  [new PageNotAnsweringError(5000, true), "product defect"],
  [new LocatorTimeoutError({ by: "role", role: "button", name: "Send" }, 5), "test defect"],
  // On the page, and kept from use by it (hidden, disabled, covered): the product's state, not the phrase's.
  [
    new ElementNotUsableError({ by: "role", role: "button", name: "Send" }, 5, "to be clickable", "it is disabled"),
    "product defect",
  ],
  [new TestDefinitionError('cannot read "the blue thing" as an element'), "test defect"],
  [new PropertyInputError("bad cell"), "test defect"],
  [new TypeError("cannot read properties of undefined"), "test defect"],
  [new Error("a plain Error from a project's own step"), "test defect"],
  [new StagingError("ERR_CONNECTION_REFUSED loading http://x/"), "environment problem"],
  [new StagingServerError("http://x/", 503), "environment problem"],
  [new NavigationTimeoutError("http://x/", 3000), "environment problem"],
  [new BrowserCrashedError("target closed"), "environment problem"],
  [new RunInterruptedError("SIGTERM"), "environment problem"],
  [new EnvironmentError("no browser"), "environment problem"],
];

test("each error type → its category", () => {
  for (const [err, category] of CASES) assert.equal(categoryOfErrorType(typeOf(err)), category, typeOf(err));
  assert.equal(categoryOfErrorType("JestAssertionError"), "product defect");
  assert.equal(categoryOfErrorType(undefined), "test defect");
});

test("inside a property, by type: a 5xx answer is a counterexample, staging unreachable or a crash stops the property", () => {
  const counterexample = [
    new StagingServerError("http://x/?q=%00", 500),
    new CheckFailed("after action 2: expected 3, it shows 2"),
    new SignoffAssertionError("expected the page to show Hi"),
    new PageStatusError("http://x/", 404),
    new LocatorTimeoutError({ by: "role", role: "button", name: "Send" }, 5),
    new ElementNotUsableError({ by: "role", role: "button", name: "Send" }, 5, "to be visible", "it is hidden"),
  ];
  for (const err of counterexample) {
    assert.equal(isProductFailure(err), true, typeOf(err));
    assert.equal(isEnvironmentFailure(err), false, typeOf(err));
  }
  const environment = [
    new StagingError("ERR_CONNECTION_REFUSED loading http://x/"),
    new StagingError("ERR_NAME_NOT_RESOLVED loading http://staging.invalid/"),
    new NavigationTimeoutError("http://x/", 3000),
    new BrowserCrashedError("target closed"),
    new EnvironmentError("no browser"),
  ];
  for (const err of environment) {
    assert.equal(isProductFailure(err), false, typeOf(err));
    assert.equal(isEnvironmentFailure(err), true, typeOf(err));
  }
  // A malformed test stops the property too, but as the test's failure.
  for (const err of [
    new PropertyInputError("bad cell"),
    new TestDefinitionError("never remembered"),
    new AmbiguousNumberError("1.234", "1234 or 1.234"),
    new FieldValueRefusedError({ by: "label", text: "Start" }, "12242026", {
      type: "date",
      holds: "",
      took: false,
    } as ValueFieldState),
  ]) {
    assert.equal(isProductFailure(err), false, typeOf(err));
    assert.equal(isEnvironmentFailure(err), false, typeOf(err));
  }
  // The words never decide: a product failure that mentions the network is still one.
  assert.equal(isProductFailure(new CheckFailed("staging error: ERR_CONNECTION_REFUSED")), true);
});

test("the message never decides: environment words in an assertion, assertion words in an environment error", () => {
  const failed = (errorType: string, error: string) =>
    categorize({ status: "failed", errorType, error, flaky: false } as ScenarioResult);
  assert.equal(
    failed(
      "SignoffAssertionError",
      "AssertionError: expected 'connection refused' to be visible (ECONNREFUSED, browser crashed)",
    ),
    "product defect",
  );
  assert.equal(failed("StagingError", "staging error: expected the page, AssertionError"), "environment problem");
  assert.equal(
    failed("Error", "function timed out, ensure the promise resolves within 30000 milliseconds"),
    "test defect",
  );
  assert.equal(failed("Error", "net::ERR_CONNECTION_REFUSED"), "test defect");
});

test("statuses without an exception: undefined/ambiguous/pending are test defects, unknown (cut short) the environment", () => {
  for (const status of ["undefined", "ambiguous", "pending"] as const)
    assert.equal(categorize({ status, flaky: false }), "test defect");
  assert.equal(categorize({ status: "unknown", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "passed", flaky: true }), "flaky");
});

test("JUnit: product defects are <failure>, test defects and environment problems <error>, by type", () => {
  const scenarios: ScenarioResult[] = CASES.map(([err], i) => ({
    key: `k${i}`,
    uri: "features/f.feature",
    line: i + 1,
    feature: "F",
    name: `s${i}`,
    tags: [],
    requirements: [],
    target: "t",
    status: "failed",
    attempts: 1,
    flaky: false,
    durationMs: 1,
    // The same environment-sounding message for every type: only the type differs.
    error: "expected 'connection refused' to be visible",
    errorType: typeOf(err),
  }));
  const xml = junitXml({ targets: [{ name: "t", complete: true, results: [], scenarios }] });
  for (const [i, [err, category]] of CASES.entries()) {
    const tag = category === "product defect" ? "failure" : "error";
    assert.match(
      xml,
      new RegExp(
        `name="s${i} \\[t\\]"[^\\n]*<${tag} message="[^"]*" type="${category}">[^<]*Error type: ${typeOf(err)}`,
      ),
      typeOf(err),
    );
  }
  const products = CASES.filter(([, c]) => c === "product defect").length;
  assert.match(
    xml,
    new RegExp(
      `<testsuite name="t" tests="${CASES.length}" failures="${products}" errors="${CASES.length - products}"`,
    ),
  );
});

test("on a page answered 5xx, nothing matching the phrase is staging's failure; any other failure keeps its type", () => {
  assert.equal(typeOnAnsweredPage("LocatorTimeoutError", 502), "StagingServerError");
  assert.equal(typeOnAnsweredPage("LocatorTimeoutError", 500), "StagingServerError");
  // A 4xx is the product's answer (a refused sign-in), and other types say more than the page does.
  assert.equal(typeOnAnsweredPage("LocatorTimeoutError", 403), "LocatorTimeoutError");
  assert.equal(typeOnAnsweredPage("UnreadableSelectorError", 502), "UnreadableSelectorError", "the wording's fault");
  assert.equal(typeOnAnsweredPage("SignoffAssertionError", 502), "SignoffAssertionError");
  assert.equal(typeOnAnsweredPage("PropertyAssertionError", 500), "PropertyAssertionError");
  assert.equal(typeOnAnsweredPage(undefined, 503), undefined);
});

test("a failure staging going away explains: the product's and an element missing, never the wording's, step code's, a property's or the environment's", () => {
  for (const err of [
    new SignoffAssertionError("x"),
    new AssertionError({ message: "node:assert" }),
    new ElementNotUsableError({ by: "role", role: "button", name: "Send" }, 5, "to be clickable", "it is disabled"),
  ])
    assert.equal(failedOnWhatThePageShows(typeOf(err)), true, typeOf(err));
  assert.equal(failedOnWhatThePageShows("LocatorTimeoutError"), true);
  for (const err of [
    new TestDefinitionError("x"),
    new UnreadableSelectorError("x"),
    new PropertyAssertionError("x"),
    new StagingError("x"),
    new TypeError("a bug in step code"),
  ])
    assert.equal(failedOnWhatThePageShows(typeOf(err)), false, typeOf(err));
  assert.equal(failedOnWhatThePageShows("NavigationTimeoutError"), false);
  assert.equal(failedOnWhatThePageShows(undefined), false);
});
