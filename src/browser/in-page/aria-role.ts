// An element's ARIA role as Playwright's getByRole computes it (runs in the page), so a role phrase finds the same elements on Selenium as on Playwright.
//
// Why hand-written: this is Playwright's own mapping (packages/injected/src/roleUtils.ts, Apache-2.0: the implicit
// roles by tag, explicit roles and the presentation rules), which Playwright does not export. dom-accessibility-api
// (0.7.1, its latest) maps fewer elements: none of ARIA 1.2's text-level roles (a <p> has no "paragraph" role there),
// a <th> is always a column header, a <td> of a grid is a plain cell, a password or date field no textbox. The
// conformance suite's role case holds this table to what Playwright finds.

/** The roles Playwright accepts in a role attribute (its first one of these wins: `role="switch checkbox"`). */
const VALID_ROLES = new Set(
  (
    "alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox " +
    "complementary contentinfo definition deletion dialog directory document emphasis feed figure form generic grid " +
    "gridcell group heading img insertion link list listbox listitem log main mark marquee math meter menu menubar " +
    "menuitem menuitemcheckbox menuitemradio navigation none note option paragraph presentation progressbar radio " +
    "radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong " +
    "subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip tree treegrid " +
    "treeitem"
  ).split(" "),
);

const tagOf = (el: Element): string => el.tagName.toUpperCase();

function parentOrHost(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const parent = el.parentNode;
  return parent instanceof ShadowRoot ? parent.host : null;
}

/** `el.closest(css)`, continued past shadow roots into their hosts' trees. */
function closestAcrossShadows(el: Element, css: string): Element | null {
  for (let e: Element | null = el; e;) {
    const found = e.closest(css);
    if (found) return found;
    const root = e.getRootNode();
    e = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

export function explicitRole(el: Element): string | null {
  const roles = (el.getAttribute("role") ?? "")
    .toLowerCase()
    .split(" ")
    .map((r) => r.trim());
  return roles.find((r) => VALID_ROLES.has(r)) ?? null;
}

// ARIA's global attributes (those deprecated as global in ARIA 1.2 left out), and the roles that prohibit naming.
const NAMING_PROHIBITED =
  "caption code deletion emphasis generic insertion paragraph presentation strong subscript superscript".split(" ");
const GLOBAL_ARIA: readonly (readonly [string, readonly string[]])[] = [
  ...["atomic", "busy", "controls", "current", "describedby", "details", "dropeffect", "flowto", "grabbed", "hidden"],
  ...["keyshortcuts", "live", "owns", "relevant"],
]
  .map((a) => [`aria-${a}`, [] as string[]] as const)
  .concat([
    ["aria-label", NAMING_PROHIBITED],
    ["aria-labelledby", NAMING_PROHIBITED],
    ["aria-roledescription", ["generic"]],
  ]);
const hasGlobalAria = (el: Element, role: string): boolean =>
  GLOBAL_ARIA.some(([attr, prohibited]) => !prohibited.includes(role) && el.hasAttribute(attr));
const hasTabIndex = (el: Element): boolean => !Number.isNaN(Number(String(el.getAttribute("tabindex"))));

function focusable(el: Element): boolean {
  const tag = tagOf(el);
  const formControl = ["BUTTON", "INPUT", "SELECT", "TEXTAREA", "OPTION", "OPTGROUP"].includes(tag);
  const inDisabledFieldset = () => {
    const set = el.closest("fieldset[disabled]");
    const legend = set?.querySelector(":scope > legend");
    return !!set && !legend?.contains(el);
  };
  const disabled =
    formControl &&
    (el.hasAttribute("disabled") || (tag === "OPTION" && !!el.closest("optgroup[disabled]")) || inDisabledFieldset());
  if (disabled) return false;
  const natively =
    ["BUTTON", "DETAILS", "SELECT", "TEXTAREA"].includes(tag) ||
    ((tag === "A" || tag === "AREA") && el.hasAttribute("href")) ||
    (tag === "INPUT" && !(el as HTMLInputElement).hidden);
  return natively || hasTabIndex(el);
}

const LANDMARK_SCOPES =
  "article:not([role]), aside:not([role]), main:not([role]), nav:not([role]), section:not([role]), [role=article], " +
  "[role=complementary], [role=main], [role=navigation], [role=region]";
const INPUT_ROLES: Readonly<Record<string, string>> = {
  button: "button",
  checkbox: "checkbox",
  image: "button",
  number: "spinbutton",
  radio: "radio",
  range: "slider",
  reset: "button",
  submit: "button",
};
const named = (el: Element) => el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby");

function inputRole(input: HTMLInputElement): string | null {
  const type = input.type.toLowerCase();
  if (["email", "search", "tel", "text", "url", ""].includes(type)) {
    const listId = input.getAttribute("list");
    const list = listId ? (input.getRootNode() as Document | ShadowRoot).getElementById(listId) : null;
    if (list && tagOf(list) === "DATALIST") return "combobox";
    return type === "search" ? "searchbox" : "textbox";
  }
  if (type === "hidden") return null;
  if (type === "file") return "button";
  return INPUT_ROLES[type] ?? "textbox";
}

/** A <th>: a column or row header by its scope, else by the cells beside it (HTML-AAM, as Playwright reads it). */
function headerCellRole(th: Element): string | null {
  const scope = th.getAttribute("scope");
  if (scope === "col" || scope === "colgroup") return "columnheader";
  if (scope === "row" || scope === "rowgroup") return "rowheader";
  const next = th.nextElementSibling;
  const previous = th.previousElementSibling;
  if (!next && !previous) {
    const row = th.parentElement && tagOf(th.parentElement) === "TR" ? th.parentElement : null;
    const table = row ? (closestAcrossShadows(row, "table") as HTMLTableElement | null) : null;
    return table && table.rows.length <= 1 ? null : "columnheader";
  }
  const isHeader = (e: Element | null) => !!e && tagOf(e) === "TH";
  const isFilledData = (e: Element | null) =>
    !!e && tagOf(e) === "TD" && (!!e.textContent?.trim() || e.children.length > 0);
  if (isHeader(next) && isHeader(previous)) return "columnheader";
  if (isFilledData(next) || isFilledData(previous)) return "rowheader";
  return "columnheader";
}

const BY_TAG: Readonly<Record<string, (el: Element) => string | null>> = {
  A: (e) => (e.hasAttribute("href") ? "link" : null),
  AREA: (e) => (e.hasAttribute("href") ? "link" : null),
  ARTICLE: () => "article",
  ASIDE: () => "complementary",
  BLOCKQUOTE: () => "blockquote",
  BUTTON: () => "button",
  CAPTION: () => "caption",
  CODE: () => "code",
  DATALIST: () => "listbox",
  DD: () => "definition",
  DEL: () => "deletion",
  DETAILS: () => "group",
  DFN: () => "term",
  DIALOG: () => "dialog",
  DT: () => "term",
  EM: () => "emphasis",
  FIELDSET: () => "group",
  FIGURE: () => "figure",
  FOOTER: (e) => (closestAcrossShadows(e, LANDMARK_SCOPES) ? null : "contentinfo"),
  FORM: (e) => (named(e) ? "form" : null),
  ...Object.fromEntries(["H1", "H2", "H3", "H4", "H5", "H6"].map((h) => [h, () => "heading"])),
  HEADER: (e) => (closestAcrossShadows(e, LANDMARK_SCOPES) ? null : "banner"),
  HR: () => "separator",
  HTML: () => "document",
  IMG: (e) =>
    e.getAttribute("alt") === "" && !e.getAttribute("title") && !hasGlobalAria(e, "") && !hasTabIndex(e)
      ? "presentation"
      : "img",
  INPUT: (e) => inputRole(e as HTMLInputElement),
  INS: () => "insertion",
  LI: () => "listitem",
  MAIN: () => "main",
  MARK: () => "mark",
  MATH: () => "math",
  MENU: () => "list",
  METER: () => "meter",
  NAV: () => "navigation",
  OL: () => "list",
  OPTGROUP: () => "group",
  OPTION: () => "option",
  OUTPUT: () => "status",
  P: () => "paragraph",
  PROGRESS: () => "progressbar",
  SEARCH: () => "search",
  SECTION: (e) => (named(e) ? "region" : null),
  SELECT: (e) => ((e as HTMLSelectElement).multiple || (e as HTMLSelectElement).size > 1 ? "listbox" : "combobox"),
  STRONG: () => "strong",
  SUB: () => "subscript",
  SUP: () => "superscript",
  SVG: () => "img", // Chrome's reading; Firefox says "diagram", Safari nothing
  TABLE: () => "table",
  TBODY: () => "rowgroup",
  TD: (e) => {
    const table = closestAcrossShadows(e, "table");
    const role = table ? explicitRole(table) : "";
    return role === "grid" || role === "treegrid" ? "gridcell" : "cell";
  },
  TEXTAREA: () => "textbox",
  TFOOT: () => "rowgroup",
  TH: headerCellRole,
  THEAD: () => "rowgroup",
  TIME: () => "time",
  TR: () => "row",
  UL: () => "list",
};

// An element whose parent is presentational takes that role too, down a table's or a list's own structure.
const PRESENTATION_PARENTS: Readonly<Record<string, readonly string[]>> = {
  DD: ["DL", "DIV"],
  DIV: ["DL"],
  DT: ["DL", "DIV"],
  LI: ["OL", "UL"],
  TBODY: ["TABLE"],
  TD: ["TR"],
  TFOOT: ["TABLE"],
  TH: ["TR"],
  THEAD: ["TABLE"],
  TR: ["THEAD", "TBODY", "TFOOT", "TABLE"],
};

function implicitRole(el: Element): string | null {
  const own = BY_TAG[tagOf(el)]?.(el) ?? null;
  if (!own) return null;
  for (let e: Element | null = el; e;) {
    const parent = parentOrHost(e);
    if (!parent || !PRESENTATION_PARENTS[tagOf(e)]?.includes(tagOf(parent))) break;
    const parentRole = explicitRole(parent);
    if ((parentRole === "none" || parentRole === "presentation") && !resolvesPresentation(parent, parentRole))
      return parentRole;
    e = parent;
  }
  return own;
}

/** ARIA's conflict resolution: an element marked presentational keeps its own role if it is focusable or named. */
const resolvesPresentation = (el: Element, role: string | null): boolean =>
  hasGlobalAria(el, role ?? "") || focusable(el);

/** The element's role, or null when it has none (a <div>, a <section> without a name). */
export function ariaRole(el: Element): string | null {
  const explicit = explicitRole(el);
  if (!explicit) return implicitRole(el);
  if (explicit === "none" || explicit === "presentation") {
    const implicit = implicitRole(el);
    if (resolvesPresentation(el, implicit)) return implicit;
  }
  return explicit;
}
