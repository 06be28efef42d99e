// An element's accessible name as the name rule compares it (runs in the page): dom-accessibility-api's, whitespace runs as one.
import { computeAccessibleName } from "dom-accessibility-api";
import { normalizeName } from "../../core/name-match";

export const accessibleName = (el: Element): string =>
  normalizeName(computeAccessibleName(el, { computedStyleSupportsPseudoElements: true }));
