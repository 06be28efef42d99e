// The text rules the steps share: contains ignores case and whitespace runs, exact ignores only whitespace runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { containsText, excerpt, sameText } from "../../steps/support/text";

test("contains: case-insensitive, whitespace as rendered", () => {
  assert.equal(containsText("You are visitor\n  number 7", "VISITOR NUMBER"), true);
  assert.equal(containsText("Hello", "Goodbye"), false);
});

test("exact: case counts, whitespace runs do not", () => {
  assert.equal(sameText("  Buy   milk\n", "Buy milk"), true);
  assert.equal(sameText("Buy milk", "buy milk"), false);
  assert.equal(sameText("Buy milk now", "Buy milk"), false);
});

test("excerpts are short and say when the page shows nothing", () => {
  assert.equal(excerpt("  a  b "), '"a b"');
  assert.equal(excerpt(""), "(no visible text)");
  assert.match(excerpt("x".repeat(500)), /^"x{200}…" \(500 characters\)$/);
});
