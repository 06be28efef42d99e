// ARIA drop-downs in the page (comboboxes, their popup listboxes, listboxes): what they show and offer, read the same way by both drivers.
//
// Why in the page: an option's label is its accessible name (dom-accessibility-api, as the locators name things),
// a popup is found by the ids the combobox names, often in a portal at the end of <body>; one look answers all of
// it, and both adapters act (click, type) on what the look says (src/browser/aria-dropdown.ts).
import { normalizeName } from "../../core/name-match";
import type { SelectOption } from "../session";
import { accessibleName } from "./accessible-name";
import { dropdownKind } from "./elements";
import { isEnabled, isVisible } from "./element-state";
import { renderedText } from "../rendered-text";

/** One look at an ARIA drop-down, and at the option a step wants in it. */
export interface AriaDropdownLook {
  kind: "combobox" | "listbox" | null;
  /** It is on the page still (isConnected): false once a re-render replaced it or it was removed. */
  connected: boolean;
  /** The element's opening tag, for a message. */
  tag: string;
  /** It is not disabled (disabled, aria-disabled on it or around it). */
  enabled: boolean;
  /** A combobox with a text field the user types into (not read-only). */
  editable: boolean;
  /** Its aria-expanded (a combobox's, else its text field's); null when neither says. */
  expanded: boolean | null;
  /** The options shown: a listbox's own, a combobox's popup's while the popup is rendered; null while it is not. */
  options: SelectOption[] | null;
  /** Why options is null, a clause for a message; "" when they are shown. */
  notShown: string;
  /**
   * A combobox that shows no option a user could pick, while a popup shows or it says it is expanded: the text that
   * popup shows ("No cities found"; "" for none, or no popup found while aria-expanded="true"); null otherwise
   * (emptyPopupOf). For a message only: it decides nothing.
   */
  emptyPopup: string | null;
  /** What a combobox shows as chosen (see ComboboxOptions.shows in session.ts); "" for a listbox. */
  shows: string;
  /** Its listbox takes several options (aria-multiselectable). */
  multiple: boolean;
  /** How the option a step wants fares among the options shown: not there, there and enabled, there but disabled. */
  match: "none" | "enabled" | "disabled";
  /** That option is selected already (aria-selected="true", or aria-checked="true" as a multi-select may mark it). */
  matchSelected: boolean;
}

/** The role attribute's first word, as dropdownKind reads roles. */
const roleOf = (el: Element): string => (el.getAttribute("role") ?? "").trim().toLowerCase().split(/\s+/)[0];

/** Hidden from assistive technology, or not rendered (display: none, visibility: hidden): a user does not see it. */
function unrendered(el: Element): boolean {
  if (el.closest('[aria-hidden="true"]') !== null) return true;
  const check = (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
  return typeof check === "function" && !check.call(el, { visibilityProperty: true });
}

/** The combobox an element stands for: itself, or, for the text field an ARIA 1.1 combobox wraps, that combobox. */
function widgetOf(el: Element): Element {
  const field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
  if (!field || roleOf(el) === "combobox") return el;
  return el.parentElement?.closest('[role="combobox"]') ?? el;
}

/** The text field of a combobox: itself when it is one, else (ARIA 1.1) the rendered one inside it; null for none. */
function fieldOf(widget: Element): HTMLInputElement | HTMLTextAreaElement | null {
  const isField = (e: Element): e is HTMLInputElement | HTMLTextAreaElement =>
    (e instanceof HTMLInputElement && e.type !== "hidden") || e instanceof HTMLTextAreaElement;
  if (isField(widget)) return widget;
  return (
    (Array.from(widget.querySelectorAll("input, textarea")).find((e) => isField(e) && !unrendered(e)) as
      HTMLInputElement | HTMLTextAreaElement | null) ?? null
  );
}

/** The elements an attribute's id list names, in the element's document or shadow root; the ids too, for a message. */
function named(el: Element, attr: string): { ids: string[]; found: Element[] } {
  const ids = (el.getAttribute(attr) ?? "").split(/\s+/).filter(Boolean);
  const root = el.getRootNode();
  // A detached element's root is its own tree's top element, which has no getElementById: it names nothing found.
  if (!(root instanceof Document || root instanceof ShadowRoot)) return { ids, found: [] };
  const found = ids.map((id) => root.getElementById(id)).filter((e): e is HTMLElement => e !== null);
  return { ids, found };
}

/** `el` when it is a listbox, else the first listbox inside it. */
function listboxAt(el: Element): Element | null {
  if (roleOf(el) === "listbox") return el;
  return Array.from(el.querySelectorAll("[role]")).find((e) => roleOf(e) === "listbox") ?? null;
}

/**
 * A combobox's popup listbox: the one it names by aria-controls (ARIA 1.2) or aria-owns (ARIA 1.1), or its text
 * field names (ARIA 1.1's textbox), or one inside it; else why there is none.
 */
function popupOf(widget: Element): { listbox: Element | null; why: string } {
  const field = fieldOf(widget);
  const holders = field && field !== widget ? [widget, field] : [widget];
  const ids: string[] = [];
  let holdsNone: Element | undefined;
  for (const holder of holders) {
    for (const attr of ["aria-controls", "aria-owns"]) {
      const refs = named(holder, attr);
      ids.push(...refs.ids);
      for (const popup of refs.found) {
        const listbox = listboxAt(popup);
        if (listbox) return { listbox, why: "" };
        holdsNone ??= popup;
      }
    }
  }
  const inside = Array.from(widget.querySelectorAll("[role]")).find((e) => roleOf(e) === "listbox");
  if (inside) return { listbox: inside, why: "" };
  if (holdsNone) return { listbox: null, why: `its popup ${dropdownKind(holdsNone).tag} holds no listbox` };
  if (ids.length === 0) return { listbox: null, why: "it names no popup (no aria-controls or aria-owns)" };
  const quoted = ids.map((id) => `"${id}"`).join(", ");
  return { listbox: null, why: `its popup ${quoted} is not on the page` };
}

/**
 * A listbox's options in the order a user reads them: the role=option elements inside it (through open shadow roots
 * and the elements slotted into them), then those it owns by aria-owns; an option's own content is not searched.
 */
function optionElements(listbox: Element): Element[] {
  const out: Element[] = [];
  const visit = (el: Element): void => {
    if (roleOf(el) === "option") {
      out.push(el);
      return;
    }
    if (el instanceof HTMLSlotElement) el.assignedElements({ flatten: true }).forEach(visit);
    Array.from(el.children).forEach(visit);
    if (el.shadowRoot) Array.from(el.shadowRoot.children).forEach(visit);
  };
  Array.from(listbox.children).forEach(visit);
  if (listbox.shadowRoot) Array.from(listbox.shadowRoot.children).forEach(visit);
  named(listbox, "aria-owns").found.forEach(visit);
  return out;
}

/**
 * An option as a user sees it: its accessible name (whitespace runs as one), selected (aria-selected, or aria-checked
 * as ARIA lets a multi-select listbox mark its choices), disabled, shown.
 */
function optionOf(el: Element): SelectOption {
  return {
    label: accessibleName(el),
    selected: el.getAttribute("aria-selected") === "true" || el.getAttribute("aria-checked") === "true",
    disabled: !isEnabled(el),
    hidden: unrendered(el) || !isVisible(el),
  };
}

/**
 * What a combobox shows as chosen: its text field's value, else its own text without the parts it hides from
 * assistive technology (an arrow icon) or does not render, and without a popup listbox drawn inside it (whose
 * options are not what it shows), whitespace runs as one.
 */
function shownBy(widget: Element): string {
  const field = fieldOf(widget);
  if (field) return normalizeName(field.value);
  const text = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.nodeValue ?? "";
    if (!(node instanceof Element) || unrendered(node) || node instanceof HTMLInputElement) return "";
    if (roleOf(node) === "listbox") return "";
    return Array.from(node.childNodes).map(text).join("");
  };
  return normalizeName(Array.from(widget.childNodes).map(text).join(""));
}

/** The listbox whose options a drop-down shows now: a listbox itself, a combobox's popup while rendered. */
function shownListbox(widget: Element, kind: AriaDropdownLook["kind"]): { listbox: Element | null; why: string } {
  if (kind === "listbox") return { listbox: widget, why: "" };
  const popup = popupOf(widget);
  if (popup.listbox && unrendered(popup.listbox)) return { listbox: null, why: "its popup listbox is hidden" };
  return popup;
}

/**
 * The roles a popup is drawn with when it is no listbox: a positioned wrapper (presentation, none). A tooltip or a
 * dialog drawn by a field ("Required field") is about the field, not a list it shows: never quoted as its popup.
 */
const POPUP_ROLES = ["presentation", "none", "listbox"];

/**
 * How far (CSS px) from a combobox's box a popup may start and still count as drawn against it: a text field's own
 * padding and border lie between its input and the popup anchored to the field's outer box (MUI's outlined field: 10).
 */
const POPUP_GAP_PX = 32;

/**
 * The popup-like element drawn against a combobox: a shown element of a POPUP_ROLES role, outside the combobox and
 * not around it, laid out of the flow (position absolute or fixed, on it or on an element between it and what it
 * shares with the combobox: a popup floats over the page, a layout wrapper does not), that overlaps it across and
 * starts within POPUP_GAP_PX below it (or ends so above it), with text; the nearest one; null for none. A heuristic, for a message only: a combobox with no options to list often drops its
 * listbox and its aria-controls and shows a note in a positioned wrapper instead (MUI's Autocomplete: "No options"
 * in a role=presentation popper portalled to the end of <body>), and then nothing in ARIA ties that note to it. No
 * library pairs such a note with its combobox (dom-accessibility-api and the accessibility tree see only what ARIA
 * ties), and no class name is read here: where a popup is drawn, next to the field, is what a user goes by too.
 */
function popupDrawnAgainst(widget: Element): Element | null {
  const box = widget.getBoundingClientRect();
  const roots = new Set<Document | ShadowRoot>([document]);
  const own = widget.getRootNode();
  if (own instanceof ShadowRoot) roots.add(own);
  let best: { el: Element; gap: number } | null = null;
  for (const root of roots) {
    for (const el of Array.from(root.querySelectorAll("[role]"))) {
      if (!POPUP_ROLES.includes(roleOf(el)) || el.contains(widget) || widget.contains(el)) continue;
      const r = el.getBoundingClientRect();
      const across = Math.min(r.right, box.right) - Math.max(r.left, box.left) > 0;
      const below = r.top - box.bottom;
      const above = box.top - r.bottom;
      const gap = below >= -1 && below <= POPUP_GAP_PX ? below : above >= -1 && above <= POPUP_GAP_PX ? above : null;
      if (!across || gap === null || (best && best.gap <= gap)) continue;
      if (!floats(el, widget) || unrendered(el) || !isVisible(el) || normalizeName(renderedText(el)) === "") continue;
      best = { el, gap };
    }
  }
  return best?.el ?? null;
}

/** `el`, or an element around it that is not around `widget`, is positioned out of the flow (absolute or fixed). */
function floats(el: Element, widget: Element): boolean {
  for (let e: Element | null = el; e && !e.contains(widget); e = e.parentElement) {
    const position = getComputedStyle(e).position;
    if (position === "absolute" || position === "fixed") return true;
  }
  return false;
}

/**
 * What a combobox that lists no option to pick shows (AriaDropdownLook.emptyPopup): the text of its listbox while that
 * is drawn, else of the popup drawn against it (popupDrawnAgainst); else, with no listbox of its own (whose options
 * say enough: "it offers no option"), "" while it says it is expanded; null otherwise (no popup shows: closed, as far
 * as a user can tell).
 */
function emptyPopupOf(widget: Element, listbox: Element | null, expanded: boolean | null): string | null {
  const drawn = listbox && !unrendered(listbox) && isVisible(listbox) ? listbox : popupDrawnAgainst(widget);
  const says = drawn ? normalizeName(renderedText(drawn)) : "";
  if (says) return says;
  return listbox === null && expanded === true ? "" : null;
}

/** How `label` (same text, case kept) fares among the options shown, and the first enabled option with it. */
function optionLabelled(elements: Element[], options: SelectOption[], label: string) {
  const wanted = normalizeName(label);
  const at = options.findIndex((o) => !o.hidden && !o.disabled && o.label === wanted);
  if (at >= 0) return { match: "enabled" as const, element: elements[at], selected: options[at].selected };
  const disabled = options.some((o) => !o.hidden && o.label === wanted);
  return { match: disabled ? ("disabled" as const) : ("none" as const), element: null, selected: false };
}

/** One look at an ARIA drop-down (see AriaDropdownLook), and at the option labelled `label` when one is wanted. */
export function ariaDropdown(el: Element, label: string | null): AriaDropdownLook {
  const { kind: anyKind, tag } = dropdownKind(el);
  const kind = anyKind === "combobox" || anyKind === "listbox" ? anyKind : null;
  const widget = widgetOf(el);
  const field = kind === "combobox" ? fieldOf(widget) : null;
  const expandedBy = [widget, field].find((e) => e?.hasAttribute("aria-expanded"));
  const { listbox, why } = kind ? shownListbox(widget, kind) : { listbox: null, why: "" };
  const elements = listbox ? optionElements(listbox) : [];
  const options = listbox ? elements.map(optionOf) : null;
  const found = label === null || !options ? null : optionLabelled(elements, options, label);
  const expanded = expandedBy ? expandedBy.getAttribute("aria-expanded") === "true" : null;
  const noneToPick = kind === "combobox" && !(options ?? []).some((o) => !o.hidden);
  return {
    kind,
    connected: el.isConnected && widget.isConnected,
    tag,
    enabled: isEnabled(widget),
    editable: field !== null && !field.readOnly && !field.disabled,
    expanded,
    options,
    notShown: options ? "" : why,
    emptyPopup: noneToPick ? emptyPopupOf(widget, popupOf(widget).listbox, expanded) : null,
    shows: kind === "combobox" ? shownBy(widget) : "",
    multiple: listbox?.getAttribute("aria-multiselectable") === "true",
    match: found?.match ?? "none",
    matchSelected: found?.selected ?? false,
  };
}

/** The shown, enabled option labelled `label`, scrolled into view within its list (for the driver to click); or null. */
export function ariaOptionNamed(el: Element, label: string): Element | null {
  const widget = widgetOf(el);
  const { listbox } = shownListbox(widget, dropdownKind(el).kind === "listbox" ? "listbox" : "combobox");
  if (!listbox) return null;
  const elements = optionElements(listbox);
  const option = optionLabelled(elements, elements.map(optionOf), label).element;
  option?.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
  return option;
}

/** Where a user clicks to open a combobox and types into it: its text field if it has one, else the combobox. */
export function ariaFieldOf(el: Element): Element {
  const widget = widgetOf(el);
  return fieldOf(widget) ?? widget;
}
