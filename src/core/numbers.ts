// How a number is read from page text: one rule for the generic number steps and the property models.

/** Digits with the group separators pages use: comma, space, no-break space, narrow no-break space (fr-FR). */
const INTEGER = /-?\d[\d,\u00a0\u202f ]*/;
const SEPARATORS = /[,\u00a0\u202f ]/g;

/** The first integer in a text ("Visitor 1,234" → 1234, "1 234 visites" → 1234); undefined when there is none. */
export function numberIn(text: string): number | undefined {
  const m = INTEGER.exec(text);
  if (!m) return undefined;
  const n = Number(m[0].replace(SEPARATORS, ""));
  return Number.isFinite(n) ? n : undefined;
}
