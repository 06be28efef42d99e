// The ARIA roles an element can have, from aria-query (the WAI-ARIA, DPUB and Graphics roles), abstract ones left out.
import { roles } from "aria-query";

/**
 * Every concrete role: what `the <role> named "…"` may name. Abstract roles (widget, landmark, …) are
 * left out because no element ever has one, so a phrase naming one could only ever find nothing.
 */
export const ARIA_ROLES: ReadonlySet<string> = new Set(
  [...roles.keys()].filter((role) => !roles.get(role)?.abstract).map(String),
);
