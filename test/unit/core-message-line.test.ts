// An error text as one line: every line of the message, no stack frame, whitespace collapsed, cut at a limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { messageLine, messageLines } from "../../src/core/message-line";

test("a multi-line message keeps its lines; the stack is left out", () => {
  const text =
    "Error: the page had 2 problems:\n  console error: a\n\n  page error: b\n    at f (x.js:1:1)\n  not: message";
  assert.deepEqual(messageLines(text), ["Error: the page had 2 problems:", "console error: a", "page error: b"]);
  assert.equal(messageLine(text), "Error: the page had 2 problems: console error: a page error: b");
});

test("a long message is cut at the limit with an ellipsis", () => {
  assert.equal(messageLine("x".repeat(400), 10), `${"x".repeat(9)}…`);
  assert.equal(messageLine("short", 10), "short");
  assert.equal(messageLine(""), "");
});
