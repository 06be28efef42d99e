// The name rule's pure parts: what counts as the whole name, the pattern drivers match by, and which level of a phrase is ambiguous.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  ambiguousLevel,
  candidateCount,
  exactNamePattern,
  nameContains,
  nameEquals,
  wantedNameOf,
  type NameCounts,
} from "../../src/core/name-match";
import type { Locator } from "../../src/core/locator";
import { AmbiguousLocatorError } from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";

test("a name equals the wanted one case-insensitively, whitespace runs as one space; containing is a part of it", () => {
  assert.equal(nameEquals("  Add\n  to   cart ", "add TO cart"), true);
  assert.equal(nameEquals("Add to cart", "Add"), false);
  assert.equal(nameContains("Remove Bread", "Ad"), true);
  assert.equal(nameContains("Remove Bread", "Add"), false);
});

test("the exact pattern holds exactly where nameEquals does, special characters taken literally", () => {
  const names = [
    "Add",
    " add ",
    "Add to cart",
    "Sign\n in",
    "Sign in now",
    "Price (€)",
    "Price (€) total",
    "a.b",
    "axb",
    "",
  ];
  for (const wanted of ["Add", "sign in", "Price (€)", "a.b", "  "]) {
    for (const name of names) {
      assert.equal(exactNamePattern(wanted).test(name), nameEquals(name, wanted), `"${name}" against "${wanted}"`);
    }
  }
});

test("property: the exact pattern holds exactly where nameEquals does, zero-width and other spaces anywhere", () => {
  const text = fc.string({ unit: fc.constantFrom("a", "A", "b", ".", "(", " ", "\n", "\u200b", "é"), maxLength: 8 });
  fc.assert(
    fc.property(text, text, (name, wanted) => exactNamePattern(wanted).test(name) === nameEquals(name, wanted)),
    { numRuns: 5000 },
  );
  assert.equal(exactNamePattern("Save").test("Sa\u200bve"), true, "a zero-width space inside a word");
});

test("the wanted name of each kind of locator; none for a test id, CSS or a role without a name", () => {
  assert.equal(wantedNameOf({ by: "role", role: "button", name: "Ad" }), "Ad");
  assert.equal(wantedNameOf({ by: "label", text: "Email" }), "Email");
  assert.equal(wantedNameOf({ by: "placeholder", text: "City" }), "City");
  assert.equal(wantedNameOf({ by: "text", text: "Total" }), "Total");
  assert.equal(wantedNameOf({ by: "role", role: "button" }), undefined);
  assert.equal(wantedNameOf({ by: "testId", id: "x" }), undefined);
  assert.equal(wantedNameOf({ by: "css", selector: "p" }), undefined);
});

const counts = (exact: number, containing: number): NameCounts => ({ exact, containing });
const button = (nth?: Locator["nth"], name = "Ad"): Locator => ({ by: "role", role: "button", name, nth });
const region: Locator = { by: "role", role: "region", name: "Shop" };

test("the candidates: the exact matches if any, else every one containing the name", () => {
  assert.equal(candidateCount(counts(2, 5)), 2);
  assert.equal(candidateCount(counts(0, 3)), 3);
});

test("the element is ambiguous by its own words: several contain the name, none is it, no position", () => {
  assert.equal(ambiguousLevel([{ l: button(), counts: counts(0, 2) }], 2), 0);
  assert.equal(ambiguousLevel([{ l: button(), counts: counts(1, 2) }], 1), -1, "an exact one wins");
  assert.equal(ambiguousLevel([{ l: button(), counts: counts(0, 1) }], 1), -1, "one containing it is meant");
  assert.equal(ambiguousLevel([{ l: button(1), counts: counts(0, 2) }], 2), -1, "a position picks one");
  assert.equal(ambiguousLevel([{ l: { by: "css", selector: "button" }, counts: undefined }], 4), -1, "no name");
});

test("a container is ambiguous only when that leaves more than one element to choose from", () => {
  const inRegion = (elements: number, regionCounts: NameCounts) =>
    ambiguousLevel(
      [
        { l: button(undefined, "Buy"), counts: counts(elements, elements) },
        { l: region, counts: regionCounts },
      ],
      elements,
    );
  assert.equal(inRegion(2, counts(0, 2)), 1);
  assert.equal(inRegion(1, counts(0, 2)), -1, "one element in any of them is the one meant");
  assert.equal(inRegion(2, counts(1, 2)), -1, "a container named exactly");
});

test("AmbiguousLocatorError is a test-definition failure, by its type, and names the phrase", () => {
  const err = new AmbiguousLocatorError(button(), "detail");
  assert.ok(err instanceof TestDefinitionError);
  assert.equal(err.name, "AmbiguousLocatorError");
  assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
  assert.equal(err.message, 'the button named "Ad" is ambiguous: detail; write more of its words, or a position');
  assert.match(err.stack ?? "", /^AmbiguousLocatorError: the button named "Ad" is ambiguous/);
});
