// An element's accessible name as the name rule compares it, and what describes it (runs in the page): dom-accessibility-api's, with Playwright's rules where the two differ; whitespace runs as one.
import { computeAccessibleDescription, computeAccessibleName } from "dom-accessibility-api";
import { normalizeName } from "../../core/name-match";
import { NAMELESS_ROLES } from "../../core/role-words";
import { ariaRole } from "./aria-role";

/**
 * With `hidden`, the name a hidden element would have shown (accname gives a hidden element none). A role that takes
 * no name (a caption, a paragraph) has none, as Playwright reads it: dom-accessibility-api names one by its text.
 */
export function accessibleName(el: Element, hidden = false): string {
  if (NAMELESS_ROLES.has(ariaRole(el) ?? "")) return "";
  if (!hidden && holdsWhatItsNameSkips(el)) return normalizeName(contentName(el));
  return normalizeName(computeAccessibleName(el, { computedStyleSupportsPseudoElements: true, hidden }));
}

// Name from content, as Playwright (and Chrome) compute it: what a descendant holds goes into the name only through
// roles that pass their content on. dom-accessibility-api takes all of it, so an expanded tree item was named
// "Tea Green tea Black tea" (its nested group's items too), where Playwright says "Tea".
const NAMED_BY_CONTENT =
  "button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox menuitemradio option radio row rowheader switch tab tooltip treeitem".split(
    " ",
  );
const PASSES_CONTENT_ON = new Set([
  "", // no role: a <span>, a <div>
  ...NAMED_BY_CONTENT,
  ..."caption code contentinfo definition deletion emphasis insertion list listitem mark none paragraph presentation region rowgroup section strong subscript superscript table term time".split(
    " ",
  ),
]);
/** Roles a descendant has that name it by what it holds or is set to (dom-accessibility-api's rules apply then). */
const NAMED_OTHERWISE = [
  "textbox",
  "searchbox",
  "combobox",
  "listbox",
  "progressbar",
  "scrollbar",
  "slider",
  "spinbutton",
  "meter",
  "img",
];

const isHidden = (el: Element): boolean =>
  el.closest('[aria-hidden="true"]') !== null || !el.checkVisibility({ visibilityProperty: true });

/** A descendant whose content its name skips (a tree item's nested group, a menu item's submenu), drawn. */
function holdsWhatItsNameSkips(el: Element): boolean {
  if (el.hasAttribute("aria-labelledby") || (el.getAttribute("aria-label") ?? "").trim()) return false;
  if (!NAMED_BY_CONTENT.includes(ariaRole(el) ?? "")) return false;
  return Array.from(el.querySelectorAll("[role], nav, aside, form, dialog, fieldset, details, select, ul, ol")).some(
    (d) => {
      const role = ariaRole(d) ?? "";
      return !PASSES_CONTENT_ON.has(role) && !NAMED_OTHERWISE.includes(role) && !isHidden(d);
    },
  );
}

/** The element's text, its descendants' as they pass it on: a label for one named by aria-label, nothing for one hidden. */
function contentName(el: Element): string {
  let text = "";
  for (const node of Array.from(el.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? "";
    if (!(node instanceof Element) || isHidden(node)) continue;
    const role = ariaRole(node) ?? "";
    const label = node.hasAttribute("aria-labelledby") || (node.getAttribute("aria-label") ?? "").trim();
    const own =
      label || NAMED_OTHERWISE.includes(role)
        ? computeAccessibleName(node, { computedStyleSupportsPseudoElements: true })
        : PASSES_CONTENT_ON.has(role)
          ? contentName(node)
          : (node.getAttribute("title") ?? "");
    const block = getComputedStyle(node).display !== "inline" || node.localName === "br";
    text += block ? ` ${own} ` : own;
  }
  return text;
}

/**
 * What a user is told of the element beside its name: its accessible description (aria-describedby, as a form
 * library ties a field's helper or error text to it; aria-description), then, while the element is invalid
 * (aria-invalid), the error message its aria-errormessage names. Whitespace runs as one.
 */
export function accessibleDescription(el: Element): string {
  const description = computeAccessibleDescription(el, { computedStyleSupportsPseudoElements: true });
  // ARIA: an empty aria-invalid is "false"; an error message a user cannot see tells them nothing.
  const invalid = !["", "false"].includes((el.getAttribute("aria-invalid") ?? "").trim().toLowerCase());
  const errors = invalid
    ? (el.getAttribute("aria-errormessage") ?? "")
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => el.ownerDocument.getElementById(id))
        .filter((e): e is HTMLElement => e instanceof HTMLElement && e.checkVisibility())
        .map((e) => e.innerText)
    : [];
  return normalizeName([description, ...errors].join(" "));
}
