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
