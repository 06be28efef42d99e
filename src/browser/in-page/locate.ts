// Runs INSIDE the page (bundled by scripts/bundle-in-page.ts for the Selenium adapter): finds what Playwright's locators find.
//
// Why in-page code at all: WebDriver has no accessibility-tree queries, and one round trip per element
// from Node would be slow. Roles and accessible names come from dom-accessibility-api (the W3C
// accname implementation Testing Library uses); what is left here is what no library does: Playwright's
// rules for visibility, text matching, labels, scoping and position, which the conformance suite
// (test/conformance/) holds to Playwright's own behaviour.
import { computeAccessibleName, getRole } from "dom-accessibility-api";
import type { Locator } from "../session";

/** What the page reports about a locator, for the adapter's waiting loop. */
export interface InPageResult {
  /** Number of visible matches. */
  count: number;
  /** The first visible match in document order (a WebElement once it crosses the wire), or null. */
  first: Element | null;
  /** The first match is not disabled (native `disabled`, disabled fieldset, aria-disabled). */
  enabled: boolean;
  /** The first match accepts typing: an enabled, non-readonly input/textarea/contenteditable. */
  editable: boolean;
}

// ---- text (Playwright: normalizeWhiteSpace + lax matching = case-insensitive substring)
const normalize = (s: string): string =>
  s
    .replace(/\u200b/g, "")
    .trim()
    .replace(/\s+/g, " ");
const laxMatch = (candidate: string, wanted: string): boolean =>
  normalize(candidate).toLowerCase().includes(normalize(wanted).toLowerCase());

/** Every element in document order, piercing open shadow roots like Playwright's engines. */
function allElements(): Element[] {
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot): void => {
    for (const el of Array.from(root.querySelectorAll("*"))) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return all;
}

/** Playwright's isElementVisible: a non-empty box and CSS visibility "visible"; opacity:0 still counts. */
export function isVisible(el: Element): boolean {
  const style = getComputedStyle(el);
  if (style.display === "contents") {
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === Node.ELEMENT_NODE && isVisible(c as Element)) return true;
      if (c.nodeType === Node.TEXT_NODE) {
        const r = document.createRange();
        r.selectNodeContents(c);
        const rects = r.getClientRects();
        for (let i = 0; i < rects.length; i++) if (rects[i].width > 0 && rects[i].height > 0) return true;
      }
    }
    return false;
  }
  const anyEl = el as Element & { checkVisibility?: () => boolean };
  if (typeof anyEl.checkVisibility === "function" && !anyEl.checkVisibility()) return false;
  if (style.visibility !== "visible") return false;
  const rect = el.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0;
}

// ---- text content as Playwright's text engine sees it (elementText): all descendant text,
// skipping <script>/<style>/<noscript>/<head>; button-like inputs contribute their value.
const skipForText = (el: Element): boolean =>
  el.nodeName === "SCRIPT" ||
  el.nodeName === "NOSCRIPT" ||
  el.nodeName === "STYLE" ||
  (!!document.head && document.head.contains(el));
function elementText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.nodeValue || "";
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return "";
  if (node.nodeType === Node.ELEMENT_NODE) {
    const el = node as Element;
    if (skipForText(el)) return "";
    if (el.nodeName === "INPUT") {
      const type = (el as HTMLInputElement).type;
      if (type === "submit" || type === "button") return (el as HTMLInputElement).value;
    }
  }
  let s = "";
  for (let c = node.firstChild; c; c = c.nextSibling) s += elementText(c);
  const sr = (node as Element).shadowRoot;
  if (sr) s += elementText(sr);
  return s;
}

// ---- roles: dom-accessibility-api's HTML-AAM mapping, with the context rules Playwright applies on top
const hasExplicitName = (el: Element): boolean =>
  !!el.getAttribute("aria-label") || !!el.getAttribute("aria-labelledby") || !!el.getAttribute("title");
function roleOf(el: Element): string | null {
  const role = getRole(el);
  if (el.hasAttribute("role")) return role;
  switch (el.localName) {
    case "section":
    case "form":
      return hasExplicitName(el) ? role : null; // region / form only when named
    case "header":
    case "footer":
      return el.closest("article, aside, main, nav, section") === null ? role : null; // banner / contentinfo only at page level
    case "input":
      return (el as HTMLInputElement).type === "file" ? "button" : role;
    case "svg":
      return "img";
    default:
      return role;
  }
}
// getByRole skips what is hidden from assistive technology (aria-hidden="true" on it or an ancestor).
const hiddenForAria = (el: Element): boolean => el.closest('[aria-hidden="true"]') !== null;
const accessibleName = (el: Element): string =>
  normalize(computeAccessibleName(el, { computedStyleSupportsPseudoElements: true }));

const byIds = (el: Element, attr: string): Element[] | null => {
  const ids = el.getAttribute(attr);
  if (ids === null) return null;
  const root = el.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id))
    .filter((x): x is HTMLElement => !!x);
};

// ---- label texts for getByLabel (Playwright's getElementLabels): aria-labelledby, else
// aria-label, else the control's <label>s (for= and wrapping), compared by their text.
function labelsFor(el: Element): string[] {
  const labelledBy = byIds(el, "aria-labelledby");
  if (labelledBy) return labelledBy.map((l) => elementText(l));
  const ariaLabel = el.getAttribute("aria-label");
  if (ariaLabel !== null && ariaLabel.trim()) return [ariaLabel];
  const tag = el.nodeName;
  const labellable =
    tag === "BUTTON" ||
    tag === "METER" ||
    tag === "OUTPUT" ||
    tag === "PROGRESS" ||
    tag === "SELECT" ||
    tag === "TEXTAREA" ||
    (tag === "INPUT" && (el as HTMLInputElement).type !== "hidden");
  if (labellable) {
    const labels = (el as HTMLInputElement).labels;
    if (labels) return Array.from(labels).map((l) => elementText(l));
  }
  return [];
}

/** The base matcher of a locator kind. */
function matcherFor(loc: Locator): (el: Element) => boolean {
  switch (loc.by) {
    case "role": {
      const wanted = loc.role.toLowerCase();
      const name = loc.name;
      return (el) =>
        roleOf(el) === wanted && !hiddenForAria(el) && (name === undefined || laxMatch(accessibleName(el), name));
    }
    case "label": {
      const text = loc.text;
      return (el) => labelsFor(el).some((l) => laxMatch(l, text));
    }
    case "placeholder": {
      const text = loc.text;
      return (el) => {
        const p = el.getAttribute("placeholder");
        return p !== null && laxMatch(p, text);
      };
    }
    case "text": {
      // Playwright's lax text rule: the element's text contains the string and no child element's
      // text does (so the innermost element that holds the whole string matches, not its ancestors).
      const text = loc.text;
      return (el) => {
        if (skipForText(el) || !laxMatch(elementText(el), text)) return false;
        for (let c = el.firstElementChild; c; c = c.nextElementSibling)
          if (laxMatch(elementText(c), text)) return false;
        if (el.shadowRoot && laxMatch(elementText(el.shadowRoot), text)) return false;
        return true;
      };
    }
    case "testId": {
      const id = loc.id;
      return (el) => el.getAttribute("data-testid") === id;
    }
    case "css": {
      const selector = loc.selector;
      return (el) => el.matches(selector);
    }
    default:
      throw new Error("unknown locator kind: " + JSON.stringify(loc));
  }
}

/** Is `el` inside `container`, across shadow boundaries (a shadow host contains its shadow tree)? */
function inside(el: Element, container: Element): boolean {
  for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    if (n === container) return true;
  }
  return false;
}

/**
 * Visible matches in document order, narrowed by text, container and position (Playwright's
 * filter({visible}), filter({hasText}), scope.locator(), nth()/last()).
 */
export function matchesOf(loc: Locator, all: Element[] = allElements()): Element[] {
  const matches = matcherFor(loc);
  const containers = loc.within ? matchesOf(loc.within, all) : null;
  const hasText = loc.hasText;
  let found: Element[] = [];
  for (const el of all) {
    if (!matches(el) || !isVisible(el)) continue;
    if (hasText !== undefined && !laxMatch(elementText(el), hasText)) continue;
    if (containers && !containers.some((c) => inside(el, c))) continue;
    found.push(el);
  }
  if (loc.nth === "last") found = found.slice(-1);
  else if (typeof loc.nth === "number") found = found.slice(loc.nth, loc.nth + 1);
  return found;
}

export function isEnabled(el: Element): boolean {
  return !el.matches(":disabled") && el.closest('[aria-disabled="true"]') === null;
}

export function locate(locator: Locator): InPageResult {
  const found = matchesOf(locator);
  const first = found[0] || null;
  let enabled = false;
  let editable = false;
  if (first) {
    enabled = isEnabled(first);
    const tag = first.nodeName;
    const readOnly = (tag === "INPUT" || tag === "TEXTAREA") && (first as HTMLInputElement).readOnly;
    const typable = tag === "INPUT" || tag === "TEXTAREA" || (first as HTMLElement).isContentEditable;
    editable = enabled && typable && !readOnly && first.getAttribute("aria-readonly") !== "true";
  }
  return { count: found.length, first, enabled, editable };
}

// ---- why a locator finds nothing usable: what failure messages say about the page as it is

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;
const quoteList = (items: string[], max = 8): string => {
  const unique = Array.from(new Set(items.map(normalize).filter(Boolean)));
  const shown = unique.slice(0, max).map((s) => `"${s.length > 60 ? s.slice(0, 60) + "…" : s}"`);
  return shown.join(", ") + (unique.length > max ? ` and ${unique.length - max} more` : "");
};

function hiddenReason(el: Element): string {
  if (hiddenForAria(el)) return "hidden from assistive technology (aria-hidden)";
  const style = getComputedStyle(el);
  if (style.display === "none" || el.closest("[hidden]")) return "not displayed";
  if (style.visibility !== "visible") return "visibility: hidden";
  return "it has no size or an ancestor hides it";
}

const FIELD_ROLES = [
  "textbox",
  "searchbox",
  "combobox",
  "checkbox",
  "radio",
  "switch",
  "slider",
  "spinbutton",
  "listbox",
];

/** What the page has instead, for the kind of thing the locator looks for. */
function candidates(loc: Locator, all: Element[]): string {
  const visible = all.filter((el) => isVisible(el));
  switch (loc.by) {
    case "role": {
      const same = visible.filter((el) => roleOf(el) === loc.role.toLowerCase() && !hiddenForAria(el));
      if (same.length === 0) return `there is no visible ${loc.role} on the page`;
      const names = same.map((el) => accessibleName(el));
      const named = names.filter(Boolean);
      return `the page has ${plural(same.length, loc.role)}${named.length ? `, named ${quoteList(named)}` : ", none of them named"}`;
    }
    case "label": {
      const fields = visible.filter(
        (el) =>
          el.matches("input:not([type=hidden]), select, textarea, [contenteditable]") ||
          FIELD_ROLES.includes(roleOf(el) || ""),
      );
      const labels = fields.flatMap((el) => labelsFor(el));
      return labels.length ? `the fields' labels are ${quoteList(labels)}` : "no field on the page has a label";
    }
    case "placeholder": {
      const texts = visible.map((el) => el.getAttribute("placeholder") || "").filter(Boolean);
      return texts.length ? `the placeholders are ${quoteList(texts)}` : "no field on the page shows a placeholder";
    }
    case "testId": {
      const ids = all.map((el) => el.getAttribute("data-testid") || "").filter(Boolean);
      return ids.length ? `the test ids are ${quoteList(ids)}` : "no element has a data-testid";
    }
    case "text":
    case "css":
      return "";
  }
}

/** One sentence on why `loc` has no usable first match (empty when it does). Same words on every driver. */
export function explain(loc: Locator, want: "visible" | "enabled" | "editable" = "visible"): string {
  const all = allElements();
  if (loc.within) {
    const containers = matchesOf(loc.within, all);
    if (containers.length === 0)
      return `nothing matches the container; ${explain(loc.within) || "it is not on the page"}`;
  }
  const unpositioned: Locator = { ...loc, nth: undefined };
  const found = matchesOf(unpositioned, all);
  if (loc.nth !== undefined && found.length > 0 && matchesOf(loc, all).length === 0)
    return `there ${found.length === 1 ? "is" : "are"} only ${plural(found.length, "match", "matches")}`;
  const first = matchesOf(loc, all)[0];
  if (first) {
    if (want !== "visible" && !isEnabled(first)) return "it is disabled";
    if (want === "editable" && !locate(loc).editable) return "it does not take typing (read-only, or not a text field)";
    return "";
  }
  const matches = matcherFor(loc);
  const hidden = all.filter(
    (el) => matches(el) && !isVisible(el) && (loc.hasText === undefined || laxMatch(elementText(el), loc.hasText)),
  );
  if (hidden.length > 0)
    return `${plural(hidden.length, "element matches", "elements match")} but ${hidden.length === 1 ? "it is" : "they are"} hidden (${hiddenReason(hidden[0])})`;
  if (loc.within || loc.hasText !== undefined) {
    const bare: Locator = { ...unpositioned, within: undefined, hasText: undefined };
    const elsewhere = matchesOf(bare, all).length;
    if (elsewhere > 0)
      return `${plural(elsewhere, "element matches", "elements match")} without the narrowing, none ${loc.within ? "inside the container" : ""}${loc.within && loc.hasText !== undefined ? " or " : ""}${loc.hasText !== undefined ? `containing "${loc.hasText}"` : ""}`.replace(
        / +/g,
        " ",
      );
  }
  return candidates(loc, all);
}
