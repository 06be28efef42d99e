// How a number is read from page text: one rule for the generic number steps and the property models.
import { TestDefinitionError } from "./errors";

/**
 * The first number in a text shows more than one number, depending on the locale it was written for ("1.234" is
 * 1234 in de-DE and 1.234 in en-US): the step cannot tell which, so it reads none rather than a wrong one. A test
 * defect: the page is not wrong, the step cannot check it.
 */
export class AmbiguousNumberError extends TestDefinitionError {
  constructor(
    /** The digits and separators as the page shows them. */
    readonly shown: string,
    /** Why they are not one number. */
    readonly why: string,
  ) {
    super(`"${shown}" is not one number: ${why}`);
    this.name = "AmbiguousNumberError";
  }
}

/**
 * Marks that direct the text's reading order and show nothing (LRM, RLM, ALM, the embeddings and isolates):
 * Intl.NumberFormat puts them before or after the minus sign in ar, he, fa, ps, ur… ("\u200e-42").
 */
const BIDI_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
/** The minus signs Intl.NumberFormat writes: hyphen-minus (most locales), U+2212 MINUS SIGN (sv, fi, nb, et, fa…). */
const MINUS = "-\u2212";
/** Only ever between groups of digits: space, no-break space, narrow no-break space, apostrophes, Arabic ones. */
const GROUP_ONLY = " \u00a0\u202f'\u2019\u066c\u060c";
/** Only ever before the fraction: the Arabic decimal separator. */
const DECIMAL_ONLY = "\u066b";
/** Either, depending on the locale: "1,234.5" (en) or "1.234,5" (de). */
const EITHER = ".,";
const WHITESPACE = " \u00a0\u202f";

/** A currency between the sign and the digits ("-$42", "-US$ 42", "−€ 42", "-EUR 1,234.50"), as Intl writes it. */
const CURRENCY_SYMBOL = "(?:\\p{Lu}{1,3} ?)?\\p{Sc}(?:\\p{Lu}{1,3})?";
const ISO_CODES = new Set(Intl.supportedValuesOf("currency"));
const esc = (chars: string) => chars.replace(/[-\\\]^]/g, "\\$&");
/**
 * A sign (and a currency after it) directly before the first digit, then digits with single separators between
 * them. The sign and currency are optional, so the match starts at the sign when there is one.
 */
const NUMBER = new RegExp(
  // A space after the sign only after a currency ("-€ 42"): "Inbox - 3" is a dash and a 3.
  `(?:([${esc(MINUS)}])(?:(${CURRENCY_SYMBOL}|\\p{Lu}{3})[${esc(WHITESPACE)}]?)?)?` +
    `(\\p{Nd}(?:[${esc(GROUP_ONLY + DECIMAL_ONLY + EITHER)}]?\\p{Nd})*)` +
    // A minus sign after an amount, as fy writes one ("€ 42,00-"): not a hyphen ("5-star", "3-5"); numberIn takes it
    // only after a currency ("Chapter 3- Intro" and "Step 2-" are positive).
    `([${esc(MINUS)}](?![\\p{L}\\p{N}]))?`,
  "u",
);

/** A space that does not group thousands: one not followed by exactly three digits ("1 2 3" is three numbers). */
const SPACE_NOT_GROUPING = new RegExp(`[${esc(WHITESPACE)}](?!\\p{Nd}{3}(?!\\p{Nd}))`, "u");
/** A currency (symbol or three capitals) ending the text before a number's digits ("€ ", "USD "). */
const CURRENCY_BEFORE = new RegExp(`(\\p{Sc}|\\p{Lu}{3})[${esc(WHITESPACE)}]?$`, "u");

/** The value of a decimal digit of any script (Arabic-Indic "٤", Devanagari "४", fullwidth "４"…): 0 to 9. */
function digitValue(ch: string): number {
  // Unicode puts each script's digits in a row from 0 to 9 (some rows end to end): count the digits before it.
  let cp = ch.codePointAt(0) as number;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30; // ASCII, nearly every number a page shows
  let before = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
    cp--;
    before++;
  }
  return before % 10;
}
const asciiDigits = (s: string) => s.replace(/\p{Nd}/gu, (d) => String(digitValue(d)));

/** Integer digits in groups, as one locale or another writes them: "1,234,567" (3s), "12,34,567" (en-IN), "1234". */
function wellGrouped(groups: readonly string[]): boolean {
  if (groups.length === 1) return true;
  const [first, ...rest] = groups;
  if (first.length < 1 || first.length > 3 || (first.startsWith("0") && groups.join("") !== "0")) return false;
  const last = rest[rest.length - 1];
  if (last.length !== 3) return false;
  const middle = rest.slice(0, -1);
  return middle.every((g) => g.length === 3) || (first.length <= 2 && middle.every((g) => g.length === 2));
}

/**
 * Which separator is the decimal one in `seps` (the separators between the digit runs, in order): its index, -1 for
 * none; or, when no locale writes these separators so (or more than one would), why the number is ambiguous.
 */
function decimalAt(seps: readonly string[], runs: readonly string[]): number | string {
  if (seps.length === 0) return -1;
  const lastAt = seps.length - 1;
  const last = seps[lastAt];
  if (GROUP_ONLY.includes(last)) return -1;
  const once = seps.indexOf(last) === lastAt;
  if (DECIMAL_ONLY.includes(last)) return once ? lastAt : `two decimal separators "${last}"`;
  // "." or ",". Both: the last one is the decimal separator ("1.234,50" in de-DE, "1,234.50" in en-US).
  const other = last === "." ? "," : ".";
  if (seps.includes(other) || seps.some((s) => GROUP_ONLY.includes(s))) {
    return once ? lastAt : `"${last}" is both a group and a decimal separator in it`;
  }
  if (!once) return -1; // "1.234.567": a decimal separator comes once, so these group
  // One "." or "," alone: with exactly three digits after it, after one to three digits, it may be either.
  const [before, after] = runs;
  if (after.length !== 3 || before.length > 3 || before.startsWith("0")) return lastAt;
  // The rule docs/steps.md has always given: "1,234" is 1234.
  if (last === ",") return -1;
  const [b, a] = [asciiDigits(before), asciiDigits(after)];
  return `${b}${a} where "." groups thousands (de-DE, it-IT, pt-BR…), ${b}.${a} where it is the decimal point (en-US…)`;
}

/**
 * The first number in a text ("Visitor 1,234" → 1234, "1 234 visites" → 1234, "−42" → -42, "-$1,234.50" →
 * -1234.5, "1.234,50 €" → 1234.5); undefined when there is none. Every minus sign Intl.NumberFormat writes counts,
 * with the bidi marks of right-to-left locales around it, a currency between it and the digits, and after the
 * number ("€ 42,00-", fy). Digits of any script count ("٤٢"). "." and ","
 * are read as the locale that wrote them meant when only one reading fits ("1.234,50", "1,234.50", "1.234.567",
 * "3,5", "0.125"); a lone "," before three digits groups thousands ("1,234" → 1234); a lone "." before three
 * digits is either ("1.234": 1234 in de-DE, 1.234 in en-US) and throws AmbiguousNumberError, as do separators no
 * locale writes so ("1.2.3", "1,234,5.6").
 */
export function numberIn(text: string): number | undefined {
  const shown = text.replace(BIDI_MARKS, "");
  const m = NUMBER.exec(shown);
  if (!m) return undefined;
  const [, minus, currency, digits, minusAfter] = m;
  // Whitespace groups thousands only before three digits and no more: "1 234 visites" is one number, "1 2 3" three.
  const spaced = SPACE_NOT_GROUPING.exec(digits);
  // Three capitals after the sign are a currency only if they are one's code ("-EUR 5"; "X-RAY 5" is 5).
  const signBefore =
    minus !== undefined && (currency === undefined || /\p{Sc}/u.test(currency) || ISO_CODES.has(currency));
  // After the number only in an amount: a currency right before its digits ("€ 42,00-", "USD 42,00-"), not "Step 2-".
  const before = CURRENCY_BEFORE.exec(shown.slice(0, m.index + m[0].indexOf(digits)));
  const amount = before !== null && (/\p{Sc}/u.test(before[1]) || ISO_CODES.has(before[1]));
  const sign = signBefore || (minusAfter !== undefined && !spaced && amount);
  const token = spaced ? digits.slice(0, spaced.index) : digits;
  const runs = token.split(/[^\p{Nd}]/u);
  const seps = [...token.replace(/\p{Nd}/gu, "")];
  const at = decimalAt(seps, runs);
  if (typeof at === "string") throw new AmbiguousNumberError(token, at);
  const integerRuns = at < 0 ? runs : runs.slice(0, at + 1);
  const groupSeps = at < 0 ? seps : seps.slice(0, at);
  const groupedBy = [...new Set(groupSeps)];
  if (groupedBy.length > 1)
    throw new AmbiguousNumberError(token, `no locale groups digits with both "${groupedBy.join('" and "')}"`);
  if (!wellGrouped(integerRuns)) throw new AmbiguousNumberError(token, "no locale groups digits so");
  const fraction = at < 0 ? "" : `.${runs[at + 1]}`;
  const n = Number(asciiDigits(integerRuns.join("") + fraction));
  if (!Number.isFinite(n)) return undefined;
  return sign && n !== 0 ? -n : n;
}
