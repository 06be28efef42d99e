// Parses the way QA names an element in a step ("the "Sign in" button") into a port Locator.
import type { Locator } from "../../src/browser/session";

/** Roles QA may name as `the "Name" <role>`; two-word roles read naturally ("radio button"). */
const ROLE_WORDS: Record<string, string> = {
  button: "button",
  link: "link",
  heading: "heading",
  checkbox: "checkbox",
  "radio button": "radio",
  textbox: "textbox",
  "text box": "textbox",
  combobox: "combobox",
  "drop-down": "combobox",
  option: "option",
  tab: "tab",
  image: "img",
  alert: "alert",
  status: "status",
  region: "region",
  dialog: "dialog",
  "menu item": "menuitem",
  "list item": "listitem",
  cell: "cell",
  row: "row",
  navigation: "navigation",
  output: "status",
};

const QUOTED = `"([^"]*)"`;
const ROLE_ALTERNATION = Object.keys(ROLE_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/[-\s]/g, (c) => (c === " " ? "\\s" : "\\-")))
  .join("|");

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Locator]> = [
  [new RegExp(`^the field labell?ed ${QUOTED}$`), (m) => ({ by: "label", text: m[1] })],
  [new RegExp(`^the field with placeholder ${QUOTED}$`), (m) => ({ by: "placeholder", text: m[1] })],
  [new RegExp(`^the text ${QUOTED}$`), (m) => ({ by: "text", text: m[1] })],
  [new RegExp(`^the element with test id ${QUOTED}$`), (m) => ({ by: "testId", id: m[1] })],
  [new RegExp(`^the element matching ${QUOTED}$`), (m) => ({ by: "css", selector: m[1] })],
  [new RegExp(`^the ${QUOTED} (${ROLE_ALTERNATION})$`), (m) => ({ by: "role", role: ROLE_WORDS[m[2]], name: m[1] })],
  [new RegExp(`^the ([a-z]+) named ${QUOTED}$`), (m) => ({ by: "role", role: m[1], name: m[2] })],
];

/**
 * One regular expression (no capturing groups, so Cucumber hands the whole phrase to the
 * transformer) that matches every phrase parseElementPhrase accepts.
 */
export const ELEMENT_PHRASE_REGEXP = new RegExp(
  [
    `the field labell?ed "[^"]*"`,
    `the field with placeholder "[^"]*"`,
    `the text "[^"]*"`,
    `the element with test id "[^"]*"`,
    `the element matching "[^"]*"`,
    `the "[^"]*" (?:${ROLE_ALTERNATION})`,
    `the [a-z]+ named "[^"]*"`,
  ].join("|"),
);

export function parseElementPhrase(phrase: string): Locator {
  for (const [re, build] of PATTERNS) {
    const m = re.exec(phrase);
    if (m) return build(m);
  }
  throw new Error(`cannot read "${phrase}" as an element; see docs/steps.md, "Naming elements"`);
}
