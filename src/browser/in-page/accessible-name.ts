// An element's accessible name as the name rule compares it (runs in the page): dom-accessibility-api's, whitespace runs as one.
import { computeAccessibleName } from "dom-accessibility-api";
import { normalizeName } from "../../core/name-match";

/** With `hidden`, the name a hidden element would have shown (accname gives a hidden element none). */
export const accessibleName = (el: Element, hidden = false): string =>
  normalizeName(computeAccessibleName(el, { computedStyleSupportsPseudoElements: true, hidden }));
