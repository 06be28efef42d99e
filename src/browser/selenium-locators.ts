// Locator resolution for the Selenium adapter: ONE function that runs inside the page (via
// WebDriver executeScript) and finds what Playwright's getByRole / getByLabel / getByPlaceholder /
// getByText / getByTestId / locator(css) would find, filtered to visible elements, in document order.
//
// Why in-page JS: WebDriver has no accessibility-tree queries, and doing one round trip per element
// from Node would be slow. Keeping the whole rule set in one function keeps it reviewable and lets
// the conformance suite (test/conformance/) hold it to Playwright's behaviour.
//
// `resolveInPage` is serialized with Function.prototype.toString(), so it must be self-contained:
// no imports, no closures over module scope, nothing a transpiler would turn into a helper call
// (the project targets ES2022, which needs no helpers for this code).
import type { Locator } from "./session";

/** What the in-page function reports about a locator, for the adapter's waiting loop. */
export interface InPageResult {
  /** Number of visible matches. */
  count: number;
  /** The first visible match in document order (a WebElement once it crosses the wire), or null. */
  first: unknown;
  /** The first match is not disabled (native `disabled`, disabled fieldset, aria-disabled). */
  enabled: boolean;
  /** The first match accepts typing: an enabled, non-readonly input/textarea/contenteditable. */
  editable: boolean;
}

/* eslint-disable */
export function resolveInPage(locator: Locator): InPageResult {
  // ---- text helpers (Playwright: normalizeWhiteSpace + lax "i" matching = case-insensitive substring)
  const normalize = (s: string): string => s.replace(/\u200b/g, "").trim().replace(/\s+/g, " ");
  const laxMatch = (candidate: string, wanted: string): boolean =>
    normalize(candidate).toLowerCase().includes(normalize(wanted).toLowerCase());

  // ---- all elements in document order, piercing open shadow roots like Playwright's engines
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot): void => {
    for (const el of Array.from(root.querySelectorAll("*"))) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);

  // ---- visibility (Playwright's isElementVisible): a non-empty box and CSS visibility "visible".
  // opacity:0 still counts as visible, exactly as in Playwright.
  const isVisible = (el: Element): boolean => {
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
  };

  // ---- text content as Playwright's text engine sees it (elementText): all descendant text,
  // skipping <script>/<style>/<noscript>/<head>; button-like inputs contribute their value.
  const skipForText = (el: Element): boolean =>
    el.nodeName === "SCRIPT" || el.nodeName === "NOSCRIPT" || el.nodeName === "STYLE" || (!!document.head && document.head.contains(el));
  const elementText = (node: Node): string => {
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
  };

  // ---- implicit ARIA roles (HTML-AAM), the subset steps use; explicit role="" wins.
  const hasExplicitName = (el: Element): boolean => !!el.getAttribute("aria-label") || !!el.getAttribute("aria-labelledby") || !!el.getAttribute("title");
  const implicitRole = (el: Element): string | null => {
    const tag = el.nodeName;
    switch (tag) {
      case "A":
      case "AREA":
        return el.hasAttribute("href") ? "link" : null;
      case "ARTICLE": return "article";
      case "ASIDE": return "complementary";
      case "BLOCKQUOTE": return "blockquote";
      case "BUTTON": return "button";
      case "CAPTION": return "caption";
      case "CODE": return "code";
      case "DATALIST": return "listbox";
      case "DD": return "definition";
      case "DEL": return "deletion";
      case "DETAILS": return "group";
      case "DIALOG": return "dialog";
      case "DT": return "term";
      case "EM": return "emphasis";
      case "FIELDSET": return "group";
      case "FIGURE": return "figure";
      case "FOOTER":
      case "HEADER":
        // banner / contentinfo only when not scoped to a sectioning element
        if (el.closest("article, aside, main, nav, section") !== null) return null;
        return tag === "HEADER" ? "banner" : "contentinfo";
      case "FORM": return hasExplicitName(el) ? "form" : null;
      case "H1": case "H2": case "H3": case "H4": case "H5": case "H6": return "heading";
      case "HR": return "separator";
      case "IMG": {
        const alt = el.getAttribute("alt");
        if (alt === "" && !el.getAttribute("title") && !el.getAttribute("aria-label")) return "presentation";
        return "img";
      }
      case "INPUT": {
        const input = el as HTMLInputElement;
        switch (input.type) {
          case "button": case "image": case "reset": case "submit": return "button";
          case "checkbox": return "checkbox";
          case "radio": return "radio";
          case "range": return "slider";
          case "number": return "spinbutton";
          case "hidden": return null;
          case "password": return null;
          case "file": return "button";
          case "search": return input.hasAttribute("list") ? "combobox" : "searchbox";
          default: return input.hasAttribute("list") ? "combobox" : "textbox";
        }
      }
      case "INS": return "insertion";
      case "LI": return "listitem";
      case "MAIN": return "main";
      case "MARK": return "mark";
      case "MENU": case "OL": case "UL": return "list";
      case "METER": return "meter";
      case "NAV": return "navigation";
      case "OPTGROUP": return "group";
      case "OPTION": return "option";
      case "OUTPUT": return "status";
      case "P": return "paragraph";
      case "PROGRESS": return "progressbar";
      case "SECTION": return hasExplicitName(el) ? "region" : null;
      case "SELECT": {
        const sel = el as HTMLSelectElement;
        return sel.multiple || sel.size > 1 ? "listbox" : "combobox";
      }
      case "STRONG": return "strong";
      case "SUB": return "subscript";
      case "SUP": return "superscript";
      case "SVG": case "svg": return "img";
      case "TABLE": return "table";
      case "TBODY": case "THEAD": case "TFOOT": return "rowgroup";
      case "TD": return "cell";
      case "TH": return "columnheader";
      case "TR": return "row";
      case "TEXTAREA": return "textbox";
      case "TIME": return "time";
      default: return null;
    }
  };
  const roleOf = (el: Element): string | null => {
    const explicit = (el.getAttribute("role") || "").trim().split(/\s+/)[0];
    if (explicit && explicit !== "none" && explicit !== "presentation") return explicit.toLowerCase();
    if (explicit === "none" || explicit === "presentation") return "presentation";
    return implicitRole(el);
  };
  // getByRole skips what is hidden from assistive technology (aria-hidden="true" on it or an ancestor).
  const hiddenForAria = (el: Element): boolean => el.closest('[aria-hidden="true"]') !== null;

  // ---- accessible name (a compact accname 1.2): aria-labelledby, aria-label, native label
  // sources (<label>, alt, value, legend, caption), then content for roles that take their name
  // from content, then title / placeholder.
  const NAME_FROM_CONTENT = [
    "button", "cell", "checkbox", "columnheader", "gridcell", "heading", "link", "menuitem",
    "menuitemcheckbox", "menuitemradio", "option", "radio", "row", "rowheader", "switch", "tab",
    "tooltip", "treeitem",
  ];
  const isHiddenNode = (el: Element): boolean => {
    if (el.getAttribute("aria-hidden") === "true") return true;
    const style = getComputedStyle(el);
    return style.display === "none" || style.visibility === "hidden";
  };
  // Text of a subtree for name computation: embedded images give their alt, controls their value.
  const nameFromContent = (node: Node, skip: Element | null): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.nodeValue || "";
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    const el = node as Element;
    if (el === skip || skipForText(el) || isHiddenNode(el)) return "";
    const label = el.getAttribute("aria-label");
    if (label && label.trim()) return " " + label + " ";
    if (el.nodeName === "IMG") return " " + (el.getAttribute("alt") || el.getAttribute("title") || "") + " ";
    if (el.nodeName === "INPUT") {
      const input = el as HTMLInputElement;
      if (input.type === "checkbox" || input.type === "radio") return "";
      if (input.type === "button" || input.type === "submit" || input.type === "reset") return " " + input.value + " ";
      return " " + input.value + " ";
    }
    if (el.nodeName === "SELECT") {
      const sel = el as HTMLSelectElement;
      return " " + Array.from(sel.selectedOptions).map((o) => o.text).join(" ") + " ";
    }
    if (el.nodeName === "TEXTAREA") return " " + (el as HTMLTextAreaElement).value + " ";
    // Block-level boxes separate words (like accname's CSS "display: block" rule).
    const display = getComputedStyle(el).display;
    const sep = display === "inline" ? "" : " ";
    let s = "";
    for (let c = el.firstChild; c; c = c.nextSibling) s += nameFromContent(c, skip);
    if (el.shadowRoot) for (let c = el.shadowRoot.firstChild; c; c = c.nextSibling) s += nameFromContent(c, skip);
    return sep + s + sep;
  };
  const byIds = (el: Element, attr: string): Element[] | null => {
    const ids = el.getAttribute(attr);
    if (ids === null) return null;
    const root = el.getRootNode() as Document | ShadowRoot;
    return ids.split(/\s+/).filter(Boolean).map((id) => root.getElementById(id)).filter((x): x is HTMLElement => !!x);
  };
  const accessibleName = (el: Element, role: string | null): string => {
    const labelledBy = byIds(el, "aria-labelledby");
    if (labelledBy && labelledBy.length) {
      const s = normalize(labelledBy.map((l) => nameFromContent(l, null)).join(" "));
      if (s) return s;
    }
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel && ariaLabel.trim()) return normalize(ariaLabel);
    const tag = el.nodeName;
    if (tag === "INPUT") {
      const input = el as HTMLInputElement;
      if (input.type === "button" || input.type === "submit" || input.type === "reset") {
        if (input.hasAttribute("value")) return normalize(input.value);
        return input.type === "submit" ? "Submit" : input.type === "reset" ? "Reset" : "";
      }
      if (input.type === "image") {
        const alt = input.getAttribute("alt");
        if (alt) return normalize(alt);
      }
    }
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || tag === "BUTTON" || tag === "METER" || tag === "OUTPUT" || tag === "PROGRESS") {
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length) {
        const s = normalize(Array.from(labels).map((l) => nameFromContent(l, el)).join(" "));
        if (s) return s;
      }
    }
    if (tag === "IMG" || tag === "AREA") {
      const alt = el.getAttribute("alt");
      if (alt && alt.trim()) return normalize(alt);
    }
    if (tag === "FIELDSET") {
      const legend = el.querySelector(":scope > legend");
      if (legend) return normalize(nameFromContent(legend, null));
    }
    if (tag === "TABLE") {
      const caption = el.querySelector(":scope > caption");
      if (caption) return normalize(nameFromContent(caption, null));
    }
    if (tag === "FIGURE") {
      const cap = el.querySelector(":scope > figcaption");
      if (cap) return normalize(nameFromContent(cap, null));
    }
    if (role && NAME_FROM_CONTENT.indexOf(role) >= 0) {
      let s = "";
      for (let c = el.firstChild; c; c = c.nextSibling) s += nameFromContent(c, null);
      if (el.shadowRoot) for (let c = el.shadowRoot.firstChild; c; c = c.nextSibling) s += nameFromContent(c, null);
      const n = normalize(s);
      if (n) return n;
    }
    const title = el.getAttribute("title");
    if (title && title.trim()) return normalize(title);
    const placeholder = el.getAttribute("placeholder");
    if ((tag === "INPUT" || tag === "TEXTAREA") && placeholder) return normalize(placeholder);
    return "";
  };

  // ---- label texts for getByLabel (Playwright's getElementLabels): aria-labelledby, else
  // aria-label, else the control's <label>s (for= and wrapping), compared by their text.
  const labelsFor = (el: Element): string[] => {
    const labelledBy = byIds(el, "aria-labelledby");
    if (labelledBy) return labelledBy.map((l) => elementText(l));
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel !== null && ariaLabel.trim()) return [ariaLabel];
    const tag = el.nodeName;
    const labellable =
      tag === "BUTTON" || tag === "METER" || tag === "OUTPUT" || tag === "PROGRESS" || tag === "SELECT" || tag === "TEXTAREA" ||
      (tag === "INPUT" && (el as HTMLInputElement).type !== "hidden");
    if (labellable) {
      const labels = (el as HTMLInputElement).labels;
      if (labels) return Array.from(labels).map((l) => elementText(l));
    }
    return [];
  };

  // ---- the matchers, one per locator kind
  const matcherFor = (loc: Locator): ((el: Element) => boolean) => {
    switch (loc.by) {
      case "role": {
        const wanted = loc.role.toLowerCase();
        const name = loc.name;
        return (el) => roleOf(el) === wanted && !hiddenForAria(el) && (name === undefined || laxMatch(accessibleName(el, wanted), name));
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
          for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (laxMatch(elementText(c), text)) return false;
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
  };

  // Is `el` inside `container`, across shadow boundaries (a shadow host contains its shadow tree)?
  const inside = (el: Element, container: Element): boolean => {
    for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
      if (n === container) return true;
    }
    return false;
  };

  // Visible matches in document order, narrowed by text, container and position (Playwright's
  // filter({visible}), filter({hasText}), scope.locator(), nth()/last()).
  const matchesOf = (loc: Locator): Element[] => {
    const matches = matcherFor(loc);
    const containers = loc.within ? matchesOf(loc.within) : null;
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
  };

  const found = matchesOf(locator);
  const count = found.length;
  const first: Element | null = found[0] || null;

  let enabled = false;
  let editable = false;
  if (first) {
    const disabledNative = (first as Element & { matches(s: string): boolean }).matches(":disabled");
    const ariaDisabled = first.closest('[aria-disabled="true"]') !== null;
    enabled = !disabledNative && !ariaDisabled;
    const tag = first.nodeName;
    const readOnly = (tag === "INPUT" || tag === "TEXTAREA") && (first as HTMLInputElement).readOnly;
    const typable = tag === "INPUT" || tag === "TEXTAREA" || (first as HTMLElement).isContentEditable;
    editable = enabled && typable && !readOnly && first.getAttribute("aria-readonly") !== "true";
  }
  return { count, first, enabled, editable };
}
/* eslint-enable */

/** The script executeScript runs: `arguments[0]` is the Locator. */
export const RESOLVE_SCRIPT = `return (${resolveInPage.toString()})(arguments[0]);`;
