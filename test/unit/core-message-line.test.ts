// An error text as one line: every line of the message, no stack frame, whitespace collapsed, cut at a limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  messageLine,
  messageLines,
  PROPERTY_FAILURE_SECTION,
  propertyFailureHeadline,
} from "../../src/core/message-line";

test("a multi-line message keeps its lines; the stack is left out", () => {
  const text =
    "Error: the page had 2 problems:\n  console error: a\n\n  page error: b\n    at f (x.js:1:1)\n  not: message";
  assert.deepEqual(messageLines(text), ["Error: the page had 2 problems:", "console error: a", "page error: b"]);
  assert.equal(messageLine(text), "Error: the page had 2 problems: console error: a · page error: b");
});

test("a long message is cut at the limit with an ellipsis", () => {
  assert.equal(messageLine("x".repeat(400), 10), `${"x".repeat(9)}…`);
  assert.equal(messageLine("short", 10), "short");
  assert.equal(messageLine(""), "");
});

test("a line after the message is set apart from it, except after a colon or before a parenthesis", () => {
  const text =
    'AssertionError: expected the URL path "/orders", it is "/login"\n(waited 3000 ms)\nthe page here answered 403 Forbidden: http://s.test/login';
  assert.equal(
    messageLine(text),
    'AssertionError: expected the URL path "/orders", it is "/login" (waited 3000 ms) · the page here answered 403 Forbidden: http://s.test/login',
  );
  assert.equal(messageLine("is it there?\nno"), "is it there? · no");
});

test("a long message clips its longest line first, so a short line after it stays whole", () => {
  const note = "the page here answered 403 Forbidden: http://s.test/login";
  const text = `AssertionError: expected "${"x".repeat(300)}"\n${note}`;
  const one = messageLine(text, 200);
  assert.equal(one.length, 200);
  assert.match(one, /^AssertionError: expected "x+…x+" · /, one);
  assert.ok(one.endsWith(` · ${note}`), one);
  // A line is clipped in its middle: what was expected starts it, what the page shows ends it.
  const shows = `AssertionError: expected the status to have the text "${"Loan renewed until 01.12.2026 ".repeat(8)}", it shows "Renewal failed" (waited 5000 ms)`;
  assert.match(
    messageLine(shows, 120),
    /^AssertionError: expected the status to .*….*, it shows "Renewal failed" \(waited 5000 ms\)$/,
  );
  assert.equal(messageLine(shows, 120).length, 120);
  // The note clipped in turn (a long URL) keeps its answer, which comes first.
  const long = `AssertionError: expected "${"x".repeat(100)}"\nthe page here answered 502 Bad Gateway: http://s.test/pay?session=${"a".repeat(120)}`;
  assert.match(messageLine(long, 200), / · the page here answered 502 Bad Gateway: http:\/\/s\.test\/\S*…a+$/);
  // Lines that cannot each keep 40 characters are clipped to 40, then cut at the end.
  const many = Array.from({ length: 20 }, (_, i) => `page error ${i}: ${"y".repeat(60)}`).join("\n");
  const cut = messageLine(many, 200);
  assert.equal(cut.length, 200);
  assert.ok(cut.startsWith(`page error 0: ${"y".repeat(10)}…${"y".repeat(15)} · page error 1: `), cut);
  assert.ok(cut.endsWith("…"), cut);
});

test("a cut never leaves half of a character written as two UTF-16 units", () => {
  const one = messageLine(`${"x".repeat(8)}😀😀`, 10);
  assert.equal(one, `${"x".repeat(8)}…`);
});

test("a property failure's headline: what failed first, then the property (its report opens with the counterexample)", () => {
  const report =
    'PropertyAssertionError: Property failed: I should see "of 12"; the table should be sorted — after any sequence of up to 5 of: I click the "Price" column header\n' +
    "  Counterexample (shrunk in 3 step(s) after 4 run(s)):\n" +
    '    1. I click the "Price" column header\n' +
    `  ${PROPERTY_FAILURE_SECTION}\n` +
    '    expected the "Price" column in ascending order (aria-sort), it reads [3, 1, 2]\n' +
    "    (waited 1000 ms)\n" +
    "  Seed 1, path 2:1 — target pw-desktop, staging http://127.0.0.1:1/\n";
  assert.equal(
    propertyFailureHeadline(report),
    'expected the "Price" column in ascending order (aria-sort), it reads [3, 1, 2] — PropertyAssertionError: Property failed: I should see "of 12"; the table should be sorted — after any sequence of up to 5 of: I click the "Price" column header',
  );
  assert.equal(propertyFailureHeadline("AssertionError: expected 1, got 2\n  Failure:"), undefined, "no line after it");
  assert.equal(propertyFailureHeadline("AssertionError: expected 1, got 2"), undefined);
});
