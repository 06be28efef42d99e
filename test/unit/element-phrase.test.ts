// How QA's element phrases turn into locators: one grammar (base, position, text, container) for every {element} step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeLocator, type Locator } from "../../src/browser/session";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase, ROLE_WORDS, roleWordHint } from "../../src/core/element-phrase";
import { countOfRole, roleWord } from "../../src/core/role-words";
import { ARIA_ROLES } from "../../src/core/aria-roles";
import { TestDefinitionError } from "../../src/core/errors";

const cases: Array<[string, Locator]> = [
  ['the "Send" button', { by: "role", role: "button", name: "Send" }],
  ['the "Yes" radio button', { by: "role", role: "radio", name: "Yes" }],
  ['the "Breakfast" switch', { by: "role", role: "switch", name: "Breakfast" }],
  ['the "Volume" slider', { by: "role", role: "slider", name: "Volume" }],
  ['the "Find" search box', { by: "role", role: "searchbox", name: "Find" }],
  // QA14 #4: a tab's panel, as a user calls it; "tab" alone is still the tab.
  ['the "Contact" tab panel', { by: "role", role: "tabpanel", name: "Contact" }],
  ['the "Contact" tab', { by: "role", role: "tab", name: "Contact" }],
  ['the "Topic" drop-down', { by: "role", role: "combobox", name: "Topic" }],
  ['the "Visitor count" status', { by: "role", role: "status", name: "Visitor count" }],
  ['the "Save" menu item', { by: "role", role: "menuitem", name: "Save" }],
  ['the slider named "Volume"', { by: "role", role: "slider", name: "Volume" }],
  ['the field labelled "Your name"', { by: "label", text: "Your name" }],
  ['the field labeled "Your name"', { by: "label", text: "Your name" }],
  ['the field with placeholder "Ada"', { by: "placeholder", text: "Ada" }],
  ['the text "Thank you"', { by: "text", text: "Thank you" }],
  ['the element with test id "visitor-count"', { by: "testId", id: "visitor-count" }],
  ['the element matching "nav > a"', { by: "css", selector: "nav > a" }],
  ['the frame titled "Payment"', { by: "css", selector: 'iframe[title="Payment"], frame[title="Payment"]' }],
  // A backslash in the title is the title's: escaped in the CSS string, not escaping the character after it.
  ['the frame titled "C:\\pay"', { by: "css", selector: 'iframe[title="C:\\\\pay"], frame[title="C:\\\\pay"]' }],
  // a role alone, position, text inside
  ["the checkbox", { by: "role", role: "checkbox" }],
  ["the last list item", { by: "role", role: "listitem", nth: "last" }],
  ["the first row", { by: "role", role: "row", nth: 0 }],
  ['the 2nd "Delete" button', { by: "role", role: "button", name: "Delete", nth: 1 }],
  ['the third "Delete" button', { by: "role", role: "button", name: "Delete", nth: 2 }],
  ['the 11th element matching "li"', { by: "css", selector: "li", nth: 10 }],
  ['the list item containing "Buy milk"', { by: "role", role: "listitem", hasText: "Buy milk" }],
  ['the row containing "Invoice 42"', { by: "role", role: "row", hasText: "Invoice 42" }],
  // containers
  [
    'the checkbox in the list item containing "Buy milk"',
    { by: "role", role: "checkbox", within: { by: "role", role: "listitem", hasText: "Buy milk" } },
  ],
  [
    'the "Delete" button inside the row containing "Invoice 42"',
    { by: "role", role: "button", name: "Delete", within: { by: "role", role: "row", hasText: "Invoice 42" } },
  ],
  [
    'the field labelled "Card number" in the "Billing" dialog',
    { by: "label", text: "Card number", within: { by: "role", role: "dialog", name: "Billing" } },
  ],
  [
    'the 2nd "Edit" button in the last list item in the "Todos" region',
    {
      by: "role",
      role: "button",
      name: "Edit",
      nth: 1,
      within: { by: "role", role: "listitem", nth: "last", within: { by: "role", role: "region", name: "Todos" } },
    },
  ],
  // quoted text may hold the words the grammar uses
  [
    'the text "in the box" in the "Help" dialog',
    { by: "text", text: "in the box", within: { by: "role", role: "dialog", name: "Help" } },
  ],
  ['the "Sign in" button', { by: "role", role: "button", name: "Sign in" }],
  // a table's cell by its column header, of a row (its own `in the` is no container)
  [
    'the cell in the "Price" column of the row containing "Invoice 42"',
    { by: "column", column: "Price", within: { by: "role", role: "row", hasText: "Invoice 42" } },
  ],
  [
    'the 2nd cell in the "Quantity" column of the last row in the "Stock" table',
    {
      by: "column",
      column: "Quantity",
      nth: 1,
      within: { by: "role", role: "row", nth: "last", within: { by: "role", role: "table", name: "Stock" } },
    },
  ],
  [
    'the "Edit" button in the cell in the "Actions" column of the row containing "Invoice 42"',
    {
      by: "role",
      role: "button",
      name: "Edit",
      within: { by: "column", column: "Actions", within: { by: "role", role: "row", hasText: "Invoice 42" } },
    },
  ],
  [
    'the cell in the "Status" column containing "Paid" of the table named "Invoices"',
    { by: "column", column: "Status", hasText: "Paid", within: { by: "role", role: "table", name: "Invoices" } },
  ],
  ['the cell in the "in the Price" column', { by: "column", column: "in the Price" }],
  // several of them, as a count says it (no position: `the cell …` with one)
  [
    'the cells in the "Price" column in the "Invoices" table',
    { by: "column", column: "Price", within: { by: "role", role: "table", name: "Invoices" } },
  ],
  [
    'the cells in the "Status" column containing "Paid" of the row containing "Total"',
    { by: "column", column: "Status", hasText: "Paid", within: { by: "role", role: "row", hasText: "Total" } },
  ],
  [
    'the "Edit" button in the cells in the "Actions" column',
    { by: "role", role: "button", name: "Edit", within: { by: "column", column: "Actions" } },
  ],
];

const whole = new RegExp(`^(?:${ELEMENT_PHRASE_REGEXP.source})$`);

for (const [phrase, locator] of cases) {
  test(`reads ${phrase}`, () => {
    assert.deepEqual(parseElementPhrase(phrase), locator);
    assert.ok(whole.exec(phrase), "the step regexp accepts what the parser reads");
  });
}

test("a locator's description reads back as the same locator (messages quote phrases users can paste)", () => {
  for (const [, locator] of cases) {
    if (locator.by === "css" && locator.selector.includes('"')) continue; // a frame's title selector: no quotes inside quotes
    const described = describeLocator(locator);
    assert.deepEqual(parseElementPhrase(described), locator, described);
  }
});

test("descriptions name position, text and container", () => {
  assert.equal(
    describeLocator(parseElementPhrase('the 2nd "Delete" button in the list item containing "Buy milk"')),
    'the second button named "Delete" in the list item containing "Buy milk"',
  );
});

test("descriptions name a role in the words a phrase uses for it, and read back as the same locator", () => {
  const described = [
    ["the list item", "the list item"],
    ['the "Done" list item', 'the list item named "Done"'],
    ['the 2nd "Yes" radio button', 'the second radio button named "Yes"'],
    ['the "Save" menu item in the menu named "File"', 'the menu item named "Save" in the menu named "File"'],
    ['the "Logo" image', 'the image named "Logo"'],
    ['the "Topic" drop-down', 'the combobox named "Topic"'],
    ['the "Count" output', 'the status named "Count"'],
    ['the "Name" text box', 'the textbox named "Name"'],
    ['the slider named "Volume"', 'the slider named "Volume"'],
  ];
  for (const [phrase, description] of described) {
    const locator = parseElementPhrase(phrase);
    assert.equal(describeLocator(locator), description, phrase);
    assert.deepEqual(parseElementPhrase(description), locator, description);
    assert.ok(whole.exec(description), `the step regexp accepts ${description}`);
  }
  // An ARIA role with no word of the vocabulary is named by its own name.
  assert.equal(describeLocator({ by: "role", role: "switch" }), "the switch");
});

test("a column's cell reads `in` and `inside` as `of`; `of` follows nothing else", () => {
  const ofRow = parseElementPhrase('the cell in the "Price" column of the 2nd row');
  assert.deepEqual(parseElementPhrase('the cell in the "Price" column in the 2nd row'), ofRow);
  assert.deepEqual(parseElementPhrase('the cell in the "Price" column inside the 2nd row'), ofRow);
  assert.equal(describeLocator(ofRow), 'the cell in the "Price" column of the second row');
  assert.equal(whole.exec('the "Send" button of the "Billing" dialog'), null);
  assert.throws(() => parseElementPhrase('the "Send" button of the "Billing" dialog'), /cannot read/);
  assert.equal(whole.exec('the cell in the "Price" column of the kitchen'), null);
  // Not a column: a cell in a region named "Price" stays what it was.
  assert.deepEqual(parseElementPhrase('the cell in the "Price" region'), {
    by: "role",
    role: "cell",
    within: { by: "role", role: "region", name: "Price" },
  });
  assert.equal(roleWordHint('the cell in the "Price" column of the row should be there'), "");
  // The plural has no position: a position picks one cell.
  assert.equal(whole.exec('the 2nd cells in the "Price" column'), null);
  assert.throws(() => parseElementPhrase('the 2nd cells in the "Price" column'), /cannot read/);
  assert.equal(roleWordHint('I should see 3 of the cells in the "Price" column in the "Invoices" table'), "");
});

test("a kind of element written in the plural is pointed to its singular (QA17 F8)", () => {
  assert.equal(
    roleWordHint('I should see 10 of the list items in the list named "Hotels"'),
    ': a kind of element is named in the singular, even when counted: "the list item"',
  );
  assert.equal(
    roleWordHint("I should see 3 of the checkboxes"),
    ': a kind of element is named in the singular, even when counted: "the checkbox"',
  );
  assert.equal(roleWordHint("I should see the news"), "", "not a role word's plural");
});

test("an unreadable phrase names itself and the docs", () => {
  assert.throws(
    () => parseElementPhrase('the "Send" gizmo'),
    /cannot read "the "Send" gizmo" as an element; see docs\/steps\.md/,
  );
  assert.equal(whole.exec('the "Send" gizmo'), null);
  assert.equal(whole.exec('the "Send" button in the kitchen'), null, "a container must be an element phrase");
  assert.throws(() => parseElementPhrase('the 0th "Send" button'), /positions count from 1st/);
});

test("a near miss of a role word after a name: the phrase's error says the word and the one it most likely meant", () => {
  assert.throws(
    () => parseElementPhrase('the "Send" buton'),
    (e: Error) =>
      e instanceof TestDefinitionError &&
      e.message ===
        'cannot read "the "Send" buton" as an element: "buton" is not a role word (did you mean "button"?); see docs/steps.md, "Naming elements"',
  );
  assert.throws(
    () => parseElementPhrase('the "Done" lst item'),
    /"lst item" is not a role word \(did you mean "list item"\?\)/,
  );
  // In a whole step text (one that matched no step), the same hint; none where the words after names are no near miss.
  assert.equal(
    roleWordHint('the number in the "Visitor count" statsu should be at least 1'),
    ': "statsu" is not a role word (did you mean "status"?)',
  );
  for (const text of [
    'I fill the field labelled "Email" with "ada@example.com"',
    'I select "Narnia" from the field labelled "Country"',
    'I press "Enter" in the "Search" textbox',
    'I click the "Sign in" button in the "Login" dialog',
    // A plural of a role word is no typo of it (a project's own step).
    'I see "5" rows',
    'the "Basket" links should all work',
  ])
    assert.equal(roleWordHint(text), "", text);
});

test("`the <role> named` takes an ARIA role (aria-query's) or one of the vocabulary's role words, and refuses any other word", () => {
  assert.deepEqual(parseElementPhrase('the doc-footnote named "1"'), { by: "role", role: "doc-footnote", name: "1" });
  assert.deepEqual(parseElementPhrase('the image named "Logo"'), { by: "role", role: "img", name: "Logo" });
  assert.deepEqual(parseElementPhrase('the drop-down named "Topic"'), { by: "role", role: "combobox", name: "Topic" });
  assert.throws(
    () => parseElementPhrase('the buton named "Sign in"'),
    (e: Error) =>
      e instanceof TestDefinitionError && /^"buton" is not an ARIA role \(did you mean "button"\?\)/.test(e.message),
  );
  // Abstract roles no element ever has: refused too.
  assert.throws(() => parseElementPhrase('the widget named "x"'), TestDefinitionError);
  assert.throws(() => parseElementPhrase('the button in the lisitem named "x"'), /"lisitem" is not an ARIA role/);
});

test("every role word of the vocabulary stands for an ARIA role", () => {
  for (const [word, role] of Object.entries(ROLE_WORDS)) assert.ok(ARIA_ROLES.has(role), `${word} → ${role}`);
});

test("a count of a role is in a user's words too: list items, statuses, checkboxes", () => {
  assert.equal(countOfRole(2, "listitem"), "2 list items");
  assert.equal(countOfRole(1, "status"), "1 status");
  assert.equal(countOfRole(3, "status"), "3 statuses");
  assert.equal(countOfRole(2, "checkbox"), "2 checkboxes");
  assert.equal(countOfRole(2, "radio"), "2 radio buttons");
  assert.equal(countOfRole(2, "img"), "2 images");
  assert.equal(countOfRole(2, "slider"), "2 sliders");
  assert.equal(roleWord("menuitem"), "menu item");
});

test("an ARIA role with no short form after a name: the hint says how to write it (QA trial #10)", () => {
  assert.equal(
    roleWordHint('the "Price" columnheader should have the attribute "aria-sort" with the value "descending"'),
    ': "columnheader" is an ARIA role with no short form: write the columnheader named "Price"',
  );
  assert.throws(
    () => parseElementPhrase('the "Price" columnheader'),
    /cannot read "the "Price" columnheader" as an element: "columnheader" is an ARIA role with no short form: write the columnheader named "Price"/,
  );
  assert.equal(roleWordHint('the "Price" column should be sorted'), "", "a column is no role");
  assert.equal(roleWordHint('the "Send" button should be there'), "");
  // A role the vocabulary writes another way: that way.
  assert.equal(roleWordHint('the "Logo" img should be visible'), ': the img role is written "image": the "Logo" image');
  assert.equal(
    roleWordHint('the "Done" listitem should be visible'),
    ': the listitem role is written "list item": the "Done" list item',
  );
  // Words after a quoted name that are not an element phrase's role word: no role hint.
  assert.equal(roleWordHint('the user "bob" log in'), "");
  assert.equal(roleWordHint('I type "x" note'), "");
});

test("any ARIA role by its own name takes `containing`, and a position; bare, it stays out of the grammar (QA19 H1)", () => {
  assert.deepEqual(parseElementPhrase('the paragraph containing "Revenue"'), {
    by: "role",
    role: "paragraph",
    hasText: "Revenue",
  });
  assert.deepEqual(parseElementPhrase('the 2nd rowheader containing "Dune" in the table named "Fines"'), {
    by: "role",
    role: "rowheader",
    hasText: "Dune",
    nth: 1,
    within: { by: "role", role: "table", name: "Fines" },
  });
  const whole = new RegExp(`^(?:${ELEMENT_PHRASE_REGEXP.source})$`);
  assert.ok(whole.test('the time containing "7 December"'));
  // `the time` alone would make a project's own `I should see the time` ambiguous with `I should see {element}`.
  for (const bare of ["the time", "the paragraph", "the first caption", 'the nonsense containing "x"'])
    assert.ok(!whole.test(bare), bare);
  assert.equal(
    roleWordHint("I should see the caption"),
    ': "caption" is an ARIA role with no short form: write the caption containing "…"',
  );
  assert.equal(
    roleWordHint("I should see the treeitem"),
    ': "treeitem" is an ARIA role with no short form: write the treeitem named "…" or the treeitem containing "…"',
  );
  assert.equal(roleWordHint("I should see the list"), "", "a role word of the vocabulary: no hint");
});

test("a role that takes no name is never named: the phrase is refused, saying to write what it contains (QA19 M3)", () => {
  assert.throws(
    () => parseElementPhrase('the caption named "Recent orders"'),
    (e: Error) =>
      e instanceof TestDefinitionError &&
      e.message.startsWith(
        'a caption takes no name, so "the caption named" finds none: write the caption containing "Recent orders"',
      ),
  );
  assert.equal(
    roleWordHint('I should see the "Recent orders" caption'),
    ': a caption takes no name: write the caption containing "Recent orders"',
  );
});
