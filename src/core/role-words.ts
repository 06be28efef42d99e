// The words QA writes for ARIA roles (`the "Send" button`, `the list item`): the one vocabulary table the element-phrase grammar reads, and the words every message names a role by. No imports: the in-page bundle uses it too.

/** Roles QA may name as `the "Name" <role>` or `the <role>`; two-word roles read naturally ("radio button"). */
export const ROLE_WORDS: Readonly<Record<string, string>> = {
  button: "button",
  link: "link",
  heading: "heading",
  checkbox: "checkbox",
  switch: "switch",
  "radio button": "radio",
  textbox: "textbox",
  "text box": "textbox",
  "search box": "searchbox",
  slider: "slider",
  combobox: "combobox",
  "drop-down": "combobox",
  option: "option",
  tab: "tab",
  "tab panel": "tabpanel",
  image: "img",
  alert: "alert",
  status: "status",
  region: "region",
  dialog: "dialog",
  "menu item": "menuitem",
  "list item": "listitem",
  list: "list",
  cell: "cell",
  row: "row",
  table: "table",
  form: "form",
  navigation: "navigation",
  output: "status",
};

/** Each role's word: the first the table gives it (listitem → "list item", img → "image", radio → "radio button"). */
const WORD_OF_ROLE: ReadonlyMap<string, string> = new Map(
  Object.entries(ROLE_WORDS)
    .reverse()
    .map(([word, role]) => [role, word]),
);

/**
 * The words a user writes for an ARIA role, for a message: `list item` for listitem, `image` for img; a role the
 * vocabulary has no word of its own for (`the slider named "Volume"`) is its own word.
 */
export function roleWord(role: string): string {
  return WORD_OF_ROLE.get(role) ?? role;
}

/** `2 list items`, `1 status`, `3 checkboxes`: how many of a role, in a user's words. */
export function countOfRole(n: number, role: string): string {
  const word = roleWord(role);
  return `${n} ${n === 1 ? word : /(?:s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`}`;
}

/**
 * Roles whose elements take no name (ARIA 1.2's "naming prohibited", Playwright's list): their name is "" whatever
 * they hold, so a phrase finds one by what it contains (`the paragraph containing "Revenue"`), never by a name.
 */
export const NAMELESS_ROLES: ReadonlySet<string> = new Set(
  "caption code definition deletion emphasis generic insertion mark paragraph presentation strong subscript suggestion superscript term time".split(
    " ",
  ),
);
