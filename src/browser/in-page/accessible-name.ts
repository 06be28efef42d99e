// An element's accessible name as the name rule compares it, and what describes it (runs in the page): dom-accessibility-api's, whitespace runs as one.
import { computeAccessibleDescription, computeAccessibleName } from "dom-accessibility-api";
import { normalizeName } from "../../core/name-match";

/** With `hidden`, the name a hidden element would have shown (accname gives a hidden element none). */
export const accessibleName = (el: Element, hidden = false): string =>
  normalizeName(computeAccessibleName(el, { computedStyleSupportsPseudoElements: true, hidden }));

/**
 * What a user is told of the element beside its name: its accessible description (aria-describedby, as a form
 * library ties a field's helper or error text to it; aria-description), then, while the element is invalid
 * (aria-invalid), the error message its aria-errormessage names. Whitespace runs as one.
 */
export function accessibleDescription(el: Element): string {
  const description = computeAccessibleDescription(el, { computedStyleSupportsPseudoElements: true });
  const invalid = (el.getAttribute("aria-invalid") ?? "false") !== "false";
  const errors = invalid
    ? (el.getAttribute("aria-errormessage") ?? "")
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? "")
    : [];
  return normalizeName([description, ...errors].join(" "));
}
