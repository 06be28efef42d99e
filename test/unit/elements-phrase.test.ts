// Plural element phrases ({elements}): each reads as its singular {element} phrase, a table column's cells too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CucumberExpression, ParameterType, ParameterTypeRegistry } from "@cucumber/cucumber-expressions";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase } from "../../src/core/element-phrase";
import { ELEMENTS_PHRASE_REGEXP, parseElementsPhrase } from "../../src/core/elements-phrase";

const whole = new RegExp(`^(?:${ELEMENTS_PHRASE_REGEXP.source})$`);

const cases: Array<[string, string]> = [
  ['"Delete" buttons in the list item containing "Milk"', 'the "Delete" button in the list item containing "Milk"'],
  ['elements matching ".done"', 'the element matching ".done"'],
  ['cells containing "Paid" in the row containing "Total"', 'the cell containing "Paid" in the row containing "Total"'],
  // a table's cells by their column header, as the singular phrase has them
  ['cells in the "Price" column', 'the cell in the "Price" column'],
  ['cells in the "Price" column in the "Invoices" table', 'the cell in the "Price" column in the "Invoices" table'],
  [
    'cells in the "Status" column containing "Paid" of the last row in the "Invoices" table',
    'the cell in the "Status" column containing "Paid" of the last row in the "Invoices" table',
  ],
  ['cells in the "Price" column inside the 2nd row', 'the cell in the "Price" column inside the 2nd row'],
  ['checkboxes in the cell in the "Done" column', 'the checkbox in the cell in the "Done" column'],
  ['switches in the "Settings" region', 'the switch in the "Settings" region'],
  ['"Volume" sliders', 'the "Volume" slider'],
  ["search boxes", "the search box"],
];

for (const [plural, singular] of cases) {
  test(`reads ${plural} as ${singular}`, () => {
    assert.deepEqual(parseElementsPhrase(plural), parseElementPhrase(singular));
    assert.ok(whole.exec(plural), "the step regexp accepts what the parser reads");
  });
}

test("a column's cells take no name or position before them, and a container that is an element phrase", () => {
  for (const phrase of [
    '"Total" cells in the "Price" column',
    '2nd cells in the "Price" column',
    'cells in the "Price" column of the kitchen',
    'cells in the "Price" column in the "Invoices" tabel',
  ])
    assert.equal(whole.exec(phrase), null, phrase);
});

test("steps that count take the plural of a column's cells: {elements}, and `the cells …` as an {element}", () => {
  const registry = new ParameterTypeRegistry();
  for (const [name, regexp] of [
    ["element", ELEMENT_PHRASE_REGEXP],
    ["elements", ELEMENTS_PHRASE_REGEXP],
  ] as const)
    registry.defineParameterType(new ParameterType(name, regexp, null, (s: string) => s, false, false));
  const values = (pattern: string, text: string) =>
    new CucumberExpression(pattern, registry).match(text)?.map((a) => a.group.value);
  assert.deepEqual(
    values(
      "the number in {element} should equal the count of {elements}",
      'the number in the text "invoices" should equal the count of cells in the "Price" column in the "Invoices" table',
    ),
    ['the text "invoices"', 'cells in the "Price" column in the "Invoices" table'],
  );
  assert.deepEqual(
    values(
      "I should see {int} of {element}",
      'I should see 3 of the cells in the "Price" column in the "Invoices" table',
    ),
    ["3", 'the cells in the "Price" column in the "Invoices" table'],
  );
});
