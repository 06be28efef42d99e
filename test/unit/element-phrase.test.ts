// How QA's element phrases turn into locators.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase } from "../../steps/support/element-phrase";

const cases: Array<[string, unknown]> = [
  ['the "Send" button', { by: "role", role: "button", name: "Send" }],
  ['the "Yes" radio button', { by: "role", role: "radio", name: "Yes" }],
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
];

for (const [phrase, locator] of cases) {
  test(`reads ${phrase}`, () => {
    assert.deepEqual(parseElementPhrase(phrase), locator);
    const m = new RegExp(`^(?:${ELEMENT_PHRASE_REGEXP.source})$`).exec(phrase);
    assert.ok(m, "the step regexp accepts what the parser reads");
  });
}

test("an unreadable phrase names itself and the docs", () => {
  assert.throws(() => parseElementPhrase('the "Send" gizmo'), /cannot read "the "Send" gizmo" as an element; see docs\/steps\.md/);
});
