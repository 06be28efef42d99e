// src/core/numbers.ts: the one way a number is read from page text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AmbiguousNumberError, numberIn } from "../../src/core/numbers";

test("the first integer, with the group separators pages use", () => {
  assert.equal(numberIn("Visitor 1,234"), 1234);
  assert.equal(numberIn("1\u202f234 visites"), 1234, "narrow no-break space (fr-FR)");
  assert.equal(numberIn("1\u00a0234"), 1234);
  assert.equal(numberIn("balance -42 today, 7 tomorrow"), -42);
});

test("no digits: no number", () => {
  assert.equal(numberIn("no visitors yet"), undefined);
  assert.equal(numberIn(""), undefined);
});

test("every minus sign counts: U+2212 (sv-SE, fi-FI…) and the bidi marks right-to-left locales put around it", () => {
  assert.equal(numberIn("Balance: \u221242"), -42, "U+2212 MINUS SIGN");
  assert.equal(numberIn("Balance: -42"), -42);
  assert.equal(numberIn("\u200e-42"), -42, "LRM (he, ar)");
  assert.equal(numberIn("\u200f\u200e-1,234.50\u00a0\u20ac"), -1234.5, "RLM LRM (he currency)");
  assert.equal(numberIn("\u061c-\u0664\u0662"), -42, "ALM, Arabic-Indic digits (ar-EG)");
  assert.equal(numberIn("\u200e-\u200e\u06f4\u06f2"), -42, "LRM on both sides (ps)");
  // A currency between the sign and the digits is still a negative amount.
  assert.equal(numberIn("-$42"), -42);
  assert.equal(numberIn("-US $1,234.50"), -1234.5);
  assert.equal(numberIn("-EUR\u00a01,234.50"), -1234.5);
  assert.equal(numberIn("\u2212\u20ac\u00a012"), -12);
  // Three capitals that are no currency's code are a word: its hyphen is no sign.
  assert.equal(numberIn("X-RAY 5"), 5);
  assert.equal(numberIn("-$US\u00a042.00"), -42, "qu");
  assert.equal(numberIn("\u20ac\u00a042,00-"), -42, "a minus after the amount (fy)");
  assert.equal(numberIn("a 5-star hotel, pages 3-5"), 5, "a hyphen after a number is no minus");
  assert.equal(numberIn("-0"), 0);
  assert.ok(!Object.is(numberIn("-0"), -0));
});

test("a dash that separates words is no minus sign: only one right before the digits, or after an amount", () => {
  for (const [text, n] of [
    ["Inbox - 3", 3],
    ["Total: - 42", 42],
    ["Step 2-", 2],
    ["Chapter 3- Intro", 3],
    ["5-star", 5],
    ["3-5", 3],
    ["X-RAY 5", 5],
    ["-€ 42", -42],
    ["€ 42,00-", -42],
    ["Balance: € 42,00-\n", -42],
  ] as const)
    assert.equal(numberIn(text), n, text);
});

test("decimal and group separators: read as the locale meant when only one reading fits", () => {
  assert.equal(numberIn("1.234,50 \u20ac"), 1234.5, "de-DE");
  assert.equal(numberIn("1,234.50"), 1234.5, "en-US");
  assert.equal(numberIn("1.234.567"), 1234567, "a decimal separator comes once: these group");
  assert.equal(numberIn("1,234,567"), 1234567);
  assert.equal(numberIn("12,34,567.50"), 1234567.5, "en-IN");
  assert.equal(numberIn("1'234.50"), 1234.5, "de-CH");
  assert.equal(numberIn("1\u2019234.50"), 1234.5, "de-CH, newer CLDR");
  assert.equal(numberIn("1\u00a0234,50"), 1234.5, "fr-CA");
  assert.equal(numberIn("3,5"), 3.5, "not three digits after it: a decimal separator");
  assert.equal(numberIn("3.75"), 3.75);
  assert.equal(numberIn("0.125"), 0.125, "a group never starts with 0");
  assert.equal(numberIn("1234.567"), 1234.567, "four digits before it: no group separator");
  assert.equal(numberIn("1,234"), 1234, "a lone comma before three digits groups thousands, as docs/steps.md says");
  assert.equal(numberIn("\u06f1\u066c\u06f2\u06f3\u06f4\u066b\u06f5"), 1234.5, "Persian digits and separators");
  // Whitespace groups only before three digits: these are separate numbers.
  assert.equal(numberIn("1 2 3"), 1);
  assert.equal(numberIn("Page 2 of 10"), 2);
  assert.equal(numberIn("10:30"), 10);
});

test("what is not one number fails as ambiguous, naming both readings, never a wrong number", () => {
  assert.throws(
    () => numberIn("1.234 Besucher"),
    (e: unknown) =>
      e instanceof AmbiguousNumberError &&
      e.name === "AmbiguousNumberError" &&
      e.message ===
        '"1.234" is not one number: 1234 where "." groups thousands (de-DE, it-IT, pt-BR…), 1.234 where it is the decimal point (en-US…)',
  );
  for (const text of ["1.2.3", "1,2,3", "05.12.2026", "1,234.5.6", "1.234,5,6", "1,234\u00a0567"]) {
    assert.throws(() => numberIn(text), AmbiguousNumberError, text);
  }
});

/** Every locale Node's ICU formats numbers for. */
const LOCALES = (() => {
  const a = "abcdefghijklmnopqrstuvwxyz";
  const codes = [...a].flatMap((x) => [...a].map((y) => x + y));
  return Intl.NumberFormat.supportedLocalesOf([...codes, "ars", "ckb", "fa-AF", "de-CH", "de-AT", "fr-CH", "en-IN"]);
})();

const FORMATS: Intl.NumberFormatOptions[] = [
  { minimumFractionDigits: 2 },
  { style: "currency", currency: "EUR" },
  { style: "currency", currency: "USD" },
  { style: "currency", currency: "USD", currencyDisplay: "code" },
];

test("Intl.NumberFormat's own output, every locale: read back as the number it formatted", () => {
  assert.ok(LOCALES.length > 100, `only ${LOCALES.length} locales`);
  const seen = new Set<string>();
  for (const locale of LOCALES) {
    for (const options of FORMATS) {
      for (const value of [-42, -1234.5, 1234567.25, -0.75, 12.5]) {
        const text = new Intl.NumberFormat(locale, options).format(value);
        for (const ch of text) seen.add(ch);
        assert.equal(numberIn(`Balance: ${text} today`), value, `${locale} ${JSON.stringify(options)}: ${text}`);
      }
    }
  }
  // The test covers the signs and marks the fix is about (an ICU that stopped writing them would make it moot).
  for (const ch of ["\u2212", "\u200e", "\u200f", "\u061c", "\u066b", "\u066c"])
    assert.ok(seen.has(ch), `no locale wrote U+${ch.codePointAt(0)?.toString(16)}`);
});

test("Intl.NumberFormat's integers, every locale: the number, or ambiguous only for a lone '.' before three digits", () => {
  const ambiguous: string[] = [];
  for (const locale of LOCALES) {
    for (const value of [-42, 7, 1234, -98765, 1234567]) {
      const text = new Intl.NumberFormat(locale).format(value);
      try {
        assert.equal(numberIn(text), value, `${locale}: ${text}`);
      } catch (e) {
        if (!(e instanceof AmbiguousNumberError)) throw e;
        assert.match(e.shown, /^\p{Nd}{1,3}\.\p{Nd}{3}$/u, `${locale}: ${text}`);
        ambiguous.push(locale);
      }
    }
  }
  assert.ok(ambiguous.includes("de"), "de writes 1234 as 1.234");
  assert.ok(!ambiguous.includes("en"));
});
