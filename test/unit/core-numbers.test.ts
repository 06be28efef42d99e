// src/core/numbers.ts: the one way a number is read from page text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { numberIn } from "../../src/core/numbers";

test("the first integer, with the group separators pages use", () => {
  assert.equal(numberIn("Visitor 1,234"), 1234);
  assert.equal(numberIn("1\u202f234 visites"), 1234, "narrow no-break space (fr-FR)");
  assert.equal(numberIn("1\u00a0234"), 1234);
  assert.equal(numberIn("balance -42 today, 7 tomorrow"), -42);
});

test("no digits: no number", () => {
  assert.equal(numberIn("no visitors yet"), undefined);
  assert.equal(numberIn(""), undefined);
});
