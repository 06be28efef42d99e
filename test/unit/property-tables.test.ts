// The preflight's reading of property steps' tables: the steps' own parsers, every row's step matched, element phrases read, each problem at its row's file:line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CucumberExpression, ParameterType, ParameterTypeRegistry } from "@cucumber/cucumber-expressions";
import { ELEMENT_PHRASE_REGEXP } from "../../src/core/element-phrase";
import { ELEMENTS_PHRASE_REGEXP } from "../../src/core/elements-phrase";
import { PROPERTY_STEPS, tableProblems, type StepMatcher, type TableStep } from "../../src/runner/property-tables";

const SEQUENCE = "these checks should hold after any sequence of these actions:";
const TYPING = "any text of this shape typed into {element} should leave the page usable:";

/** Step definitions as Cucumber builds them: Cucumber expressions over the {element} and {elements} parameter types. */
function matchers(patterns: Array<[string, string]>): StepMatcher[] {
  const registry = new ParameterTypeRegistry();
  for (const [name, regexp] of [
    ["element", ELEMENT_PHRASE_REGEXP],
    ["elements", ELEMENTS_PHRASE_REGEXP],
  ] as const)
    registry.defineParameterType(new ParameterType(name, regexp, null, (s: string) => s, false, false));
  return patterns.map(([pattern, where]) => {
    const expression = new CucumberExpression(pattern, registry);
    return {
      pattern,
      type: "CUCUMBER_EXPRESSION",
      where,
      match: (text: string) =>
        expression.match(text)?.map((a) => ({ parameterTypeName: a.getParameterType().name, value: a.group.value })) ??
        undefined,
    };
  });
}

const DEFINITIONS = matchers([
  ["I open {string}", "navigation.steps.js:5"],
  ["I click {element}", "actions.steps.js:9"],
  ["I type {string} into {element}", "actions.steps.js:17"],
  ["I press {string} in {element}", "actions.steps.js:25"],
  ["the number in {element} should equal the count of {elements}", "numbers.steps.js:98"],
  ["I should see {string}", "page.steps.js:3"],
  ["I should see {string}", "mine.steps.ts:4"],
  [SEQUENCE, "sequence.steps.js:173"],
]);

/** A step at features/p.feature:10 whose table's rows are on the lines after it. */
function step(text: string, rows: string[][]): TableStep {
  return { text, rows, where: (row) => `features/p.feature:${row === undefined ? 10 : 10 + row}` };
}

test("a typing table whose `submit with` names no element: the row's line, the cell, the role word meant", () => {
  const problems = tableProblems(
    step(TYPING, [
      ["text", "any text up to 40 characters"],
      ["submit with", 'the "Send" buton'],
    ]),
    TYPING,
    DEFINITIONS,
  );
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(
    problems[0],
    /^features\/p\.feature:12: the table of the step "any text .*usable:" cannot be read: table row 2 \("submit with"\): the cell "the "Send" buton" is neither an element .*: cannot read "the "Send" buton" as an element: "buton" is not a role word \(did you mean "button"\?\)/,
  );
  assert.deepEqual(
    tableProblems(step(TYPING, [["submit with", 'the "Send" button']]), TYPING, DEFINITIONS),
    [],
    "a phrase that reads",
  );
});

test("a sequence table: every row's step must match one ordinary step whose element phrases read, named at its row", () => {
  const problems = tableProblems(
    step(SEQUENCE, [
      ["start", 'I open "/products"'],
      ["action", 'I type "{any letters of 1 to 3 characters}" into the field labelled "Search"'],
      ["and", 'I press "Enter" in the field labeled "Search"'],
      ["action", 'I click the buton named "Clear"'],
      ["action", 'I should see "x"'],
      ["action", "these checks should hold after any sequence of these actions:"],
      ["check", 'the number in the "Result count" statsu should equal the count of elements matching "tbody tr"'],
      ["and", 'the number in the "Result count" status should equal the count of rows in the dialgo named "x"'],
      ["action", 'I clik the "Clear" button'],
    ]),
    SEQUENCE,
    DEFINITIONS,
  );
  assert.deepEqual(problems, [
    'features/p.feature:17: the step "the number in the "Result count" statsu should equal the count of elements matching "tbody tr"" in the table of "these checks should hold after any sequence of these actions:" is undefined: "statsu" is not a role word (did you mean "status"?) (see docs/steps.md for the generic steps)',
    'features/p.feature:18: the step "the number in the "Result count" status should equal the count of rows in the dialgo named "x"" in the table of "these checks should hold after any sequence of these actions:" cannot be read: "dialgo" is not an ARIA role (did you mean "dialog"?); see docs/steps.md, "Naming elements"',
    'features/p.feature:14: the step "I click the buton named "Clear"" in the table of "these checks should hold after any sequence of these actions:" cannot be read: "buton" is not an ARIA role (did you mean "button"?); see docs/steps.md, "Naming elements"',
    'features/p.feature:15: the step "I should see "x"" in the table of "these checks should hold after any sequence of these actions:" is ambiguous: it matches "I should see {string}" (page.steps.js:3) and "I should see {string}" (mine.steps.ts:4)',
    'features/p.feature:16: the step "these checks should hold after any sequence of these actions:" in the table of "these checks should hold after any sequence of these actions:" is a property step itself; the rows of a property are ordinary steps',
    'features/p.feature:19: the step "I clik the "Clear" button" in the table of "these checks should hold after any sequence of these actions:" is undefined (did you mean "I click {element}"?) (see docs/steps.md for the generic steps)',
  ]);
});

test("a sequence table that reads: no problem; its generated values are filled in before matching", () => {
  const problems = tableProblems(
    step(SEQUENCE, [
      ["action", 'I type "{any letters of 1 to 3 characters}" into the field labelled "Search"'],
      ["and", 'I press "Enter" in the field labelled "Search"'],
      ["action", 'I click the "{one of "A", "B"}" button'],
      ["check", 'the number in the "Result count" status should equal the count of elements matching "tbody tr"'],
    ]),
    SEQUENCE,
    DEFINITIONS,
  );
  assert.deepEqual(problems, []);
});

test("a sequence table its parser refuses, and an items row naming no elements", () => {
  assert.deepEqual(tableProblems(step(SEQUENCE, [["acton", 'I click the "A" button']]), SEQUENCE, DEFINITIONS), [
    'features/p.feature:10: the table of the step "these checks should hold after any sequence of these actions:" cannot be read: table row 1: "acton" is not a kind of row the sequence property knows; use one of: start, action, required action, and, model, check, items, max actions, check wait',
  ]);
  const items = tableProblems(
    step(SEQUENCE, [
      ["items", 'list itmes in the list named "To-dos"'],
      ["action", 'I click the "A" button'],
      ["model", "changes nothing"],
    ]),
    SEQUENCE,
    DEFINITIONS,
  );
  assert.equal(items.length, 1, items.join("\n"));
  assert.match(items[0], /^features\/p\.feature:11: the items row of ".*" cannot be read: cannot read "list itmes/);
});

test("the counter and request tables are read by their steps' parsers: a misnamed action or a bad time limit is refused", () => {
  const COUNTER =
    "the number in {element} should count every page load of {string} under any sequence of these actions:";
  const REQUESTS = "staging should answer any request of these shapes without a 5xx, a hang or a leak:";
  assert.deepEqual(tableProblems(step("the number in …", [["actions", "visit, teleport"]]), COUNTER, DEFINITIONS), [
    'features/p.feature:10: the table of the step "the number in …" cannot be read: table row 1 ("actions"): the cell "visit, teleport" names the action "teleport"; the actions are: visit, refresh, go back, new visitor, other page, visitors at once',
  ]);
  assert.deepEqual(tableProblems(step("the number in …", [["actions", "visit, refresh"]]), COUNTER, DEFINITIONS), []);
  const requests = tableProblems(
    step("staging should …", [
      ["paths", "/"],
      ["time limit", "forever"],
    ]),
    REQUESTS,
    DEFINITIONS,
  );
  assert.deepEqual(requests, [
    'features/p.feature:10: the table of the step "staging should …" cannot be read: table row 2 ("time limit"): the cell "forever" is not a time limit like "2 s" or "500 ms" (at most 2 min)',
  ]);
});

test("a step that is no property step with a table: nothing to read", () => {
  assert.deepEqual(tableProblems(step("I fill the form:", [["a", "b"]]), "I fill the form:", DEFINITIONS), []);
});

test("every property step the preflight knows is a generic step's pattern", () => {
  const generic = ["property.steps.ts", "sequence.steps.ts"]
    .map((f) => readFileSync(join(__dirname, "..", "..", "steps", "generic", f), "utf8"))
    .join("\n");
  for (const pattern of PROPERTY_STEPS) assert.ok(generic.includes(`"${pattern}"`), pattern);
  assert.equal(PROPERTY_STEPS.size, (generic.match(/table: DataTable\)/g) ?? []).length, "every one of them");
});
