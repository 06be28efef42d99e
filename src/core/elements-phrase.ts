// Plural element phrases for counting ("unchecked checkboxes in the list named "Todos"", "elements matching ".done"") read as the singular grammar.
import type { Locator } from "./locator";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase, seeNamingElements } from "./element-phrase";
import { TestDefinitionError } from "./errors";

/** Plural → the singular word the element grammar knows. */
const PLURALS: Record<string, string> = {
  buttons: "button",
  links: "link",
  headings: "heading",
  checkboxes: "checkbox",
  switches: "switch",
  sliders: "slider",
  "search boxes": "search box",
  "radio buttons": "radio button",
  "text boxes": "text box",
  textboxes: "textbox",
  "list items": "list item",
  rows: "row",
  cells: "cell",
  options: "option",
  tabs: "tab",
  images: "image",
  "menu items": "menu item",
  dialogs: "dialog",
  regions: "region",
  "elements matching": "element matching",
  "elements with test id": "element with test id",
};

const PLURAL_ALTERNATION = Object.keys(PLURALS)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/ /g, "\\s"))
  .join("|");

/**
 * A table's cells by their column header, as the singular `the cell in the "Price" column …` has them: a text after
 * the column, its row or any container after `of`, `in` or `inside` (`cells in the "Price" column in the "Invoices" table`).
 */
const COLUMN_CELLS = `cells in the "[^"]*" column(?: containing "[^"]*")?(?: (?:of|in|inside) (?:${ELEMENT_PHRASE_REGEXP.source}))?`;

/** No capturing groups: Cucumber hands the whole phrase to the transformer. */
export const ELEMENTS_PHRASE_REGEXP = new RegExp(
  `(?:${COLUMN_CELLS}|(?:"[^"]*" )?(?:${PLURAL_ALTERNATION})(?: "[^"]*")?(?: containing "[^"]*")?(?: (?:in|inside) (?:${ELEMENT_PHRASE_REGEXP.source}))?)`,
);

/**
 * "\"Delete\" buttons in the list item containing \"Milk\"" → the locator of `the "Delete" button in the list item
 * containing "Milk"`; `cells in the "Price" column of …` → that of `the cell in the "Price" column of …`.
 */
export function parseElementsPhrase(phrase: string): Locator {
  const m = new RegExp(`^(?:("[^"]*") )?(${PLURAL_ALTERNATION})(.*)$`).exec(phrase.trim());
  if (!m) throw new TestDefinitionError(`cannot read "${phrase}" as elements; ${seeNamingElements()}`);
  return parseElementPhrase(`the ${m[1] ? `${m[1]} ` : ""}${PLURALS[m[2].replace(/\s+/g, " ")]}${m[3]}`);
}
