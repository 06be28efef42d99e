// src/core/safe-text.ts: untrusted text cannot start a fake line, reorder what a reader sees, or drive the terminal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeControl, escapeLines } from "../../src/core/safe-text";

test("controls, line separators and bidi overrides become visible escapes", () => {
  assert.equal(escapeControl("a\nb\tc\r"), "a\\nb\\tc\\r");
  assert.equal(escapeControl("\x1b[31mred"), "\\x1b[31mred");
  assert.equal(escapeControl("x\u2028y\u202ez"), "x\\u2028y\\u202ez");
  assert.equal(escapeControl("plain text · ✓"), "plain text · ✓");
});

test("several lines: our line breaks, theirs escaped", () => {
  assert.equal(escapeLines(["one\ntwo", "three"]), "one\\ntwo\nthree");
});
