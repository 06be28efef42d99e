// nearestStepHint: which step definition an undefined step text most likely meant, and when it names none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ELEMENT_PHRASE_REGEXP } from "../../src/core/element-phrase";
import { nearestStepHint as nearestStepHintOf, type StepPattern } from "../../src/runner/nearest-step";

/** The {element} parameter takes what the generic steps' parameter type takes. */
const PARAMETERS = new Map([["element", [ELEMENT_PHRASE_REGEXP.source]]]);
const nearestStepHint = (text: string, patterns: StepPattern[]) => nearestStepHintOf(text, patterns, PARAMETERS);

const cucumber = (...sources: string[]): StepPattern[] =>
  sources.map((source) => ({ source, type: "CUCUMBER_EXPRESSION" }));
const GENERIC = cucumber(
  "I open {string}",
  "I should see {element}",
  "I click {element}",
  "I should see {string}",
  "I should not see {string}",
  "I should see {int} of {element}",
  "I fill {element} with {string}",
);

test("a word one or two letters off, a word too many or too few finds the step", () => {
  assert.equal(nearestStepHint('I clicks the "Save" button', GENERIC), ' (did you mean "I click {element}"?)');
  assert.equal(nearestStepHint('I should se "Welcome"', GENERIC), ' (did you mean "I should see {string}"?)');
  assert.equal(nearestStepHint('I see "Welcome"', GENERIC), ' (did you mean "I should see {string}"?)');
  assert.equal(
    nearestStepHint('I fill the field labelled "Name" "Ada"', GENERIC),
    ' (did you mean "I fill {element} with {string}"?)',
  );
});

test("text without its quotes is near the {string} step (no element phrase); a word where a number goes near the {int} one", () => {
  assert.equal(nearestStepHint("I should see Welcome", GENERIC), ' (did you mean "I should see {string}"?)');
  assert.equal(
    nearestStepHint('I should see 3 of the "Delete" button', GENERIC),
    ' (did you mean "I should see {int} of {element}"?)',
  );
  // "three" where the number goes: one word off; read whole it is no element phrase, also one off.
  assert.equal(
    nearestStepHint('I should see three of the "Delete" button', GENERIC),
    ' (did you mean "I should see {int} of {element}" or "I should see {element}"?)',
  );
});

test("a text far from every step names none; equally near ones are named together", () => {
  assert.equal(nearestStepHint("the moon is made of cheese", GENERIC), "");
  assert.equal(nearestStepHint('I frobnicate the "Save" widget', GENERIC), "");
  // A word too many is nearer than a wrong word.
  assert.equal(nearestStepHint('I should really see "Welcome"', GENERIC), ' (did you mean "I should see {string}"?)');
  assert.equal(
    nearestStepHint('I sei "x"', cucumber("I see {string}", "I sea {string}")),
    ' (did you mean "I see {string}" or "I sea {string}"?)',
  );
  const many = cucumber("I see {string}", "I sea {string}", "I set {string}", "I sew {string}");
  assert.equal(nearestStepHint('I sei "x"', many), "", "four equally near say nothing");
  assert.equal(nearestStepHint("", GENERIC), "");
});

test("optional text and alternatives are spelled every way; a parameter of the project's own type takes words", () => {
  const own = cucumber("I (quickly )click/press the {product} in the cart");
  const hint = ' (did you mean "I (quickly )click/press the {product} in the cart"?)';
  assert.equal(nearestStepHint("I pres the blue shoes in the cart", own), hint);
  assert.equal(nearestStepHint("I quickly click the blue shoes in teh cart", own), hint);
});

test("a regular expression or an expression Cucumber refuses is never suggested, and does not throw", () => {
  const patterns: StepPattern[] = [
    { source: "^I click (.*)$", type: "REGULAR_EXPRESSION" },
    { source: "I click {", type: "CUCUMBER_EXPRESSION" },
  ];
  assert.equal(nearestStepHint('I click "x"', patterns), "");
});

test("a step text of more words than any step has gets no hint (the distance is quadratic in its words)", () => {
  assert.equal(nearestStepHint(`I click the "x" button ${"and again ".repeat(500)}`, GENERIC), "");
});
