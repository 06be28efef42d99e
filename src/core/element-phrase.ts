// Parses the way QA names an element in a step ("the 2nd "Delete" button in the row containing "Invoice 42"") into a port Locator.
import type { Locator, LocatorBase } from "./locator";
import { ARIA_ROLES } from "./aria-roles";
import { closestName, didYouMean } from "./did-you-mean";
import { TestDefinitionError } from "./errors";
import { docPath } from "./package";
import { NAMELESS_ROLES, ROLE_WORDS, roleWord } from "./role-words";

export { ROLE_WORDS };

/** Where a phrase that cannot be read is explained. */
export function seeNamingElements(): string {
  return `see ${docPath("steps.md")}, "Naming elements"`;
}

const QUOTED = `"([^"]*)"`;
const ROLE_ALTERNATION = Object.keys(ROLE_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/[-\s]/g, (c) => (c === " " ? "\\s" : "\\-")))
  .join("|");
const ORDINAL = `first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\\d+(?:st|nd|rd|th)`;
const ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** A CSS string of `text`: a backslash in a title would otherwise escape the character after it. */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, "\\$&")}"`;

/** What may follow `the ` (and an ordinal), each with how it becomes a locator. Order matters: first match wins. */
const BASES: Array<[string, (m: string[]) => LocatorBase]> = [
  [`field labell?ed ${QUOTED}`, (m) => ({ by: "label", text: m[0] })],
  [`field with placeholder ${QUOTED}`, (m) => ({ by: "placeholder", text: m[0] })],
  [`text ${QUOTED}`, (m) => ({ by: "text", text: m[0] })],
  [`element with test id ${QUOTED}`, (m) => ({ by: "testId", id: m[0] })],
  [`element matching ${QUOTED}`, (m) => ({ by: "css", selector: m[0] })],
  [
    `frame titled ${QUOTED}`,
    (m) => ({ by: "css", selector: `iframe[title=${cssString(m[0])}], frame[title=${cssString(m[0])}]` }),
  ],
  [`${QUOTED} (${ROLE_ALTERNATION})`, (m) => ({ by: "role", role: ROLE_WORDS[m[1]], name: m[0] })],
  // A role word of two (`the list item named "Done"`, as messages describe it) or any one word, an ARIA role.
  [
    `(${ROLE_ALTERNATION}|[a-z]+(?:-[a-z]+)*) named ${QUOTED}`,
    (m) => ({ by: "role", role: namedRole(m[0], m[1]), name: m[1] }),
  ],
  [`(${ROLE_ALTERNATION})`, (m) => ({ by: "role", role: ROLE_WORDS[m[0]] })],
];

/**
 * The role of `the <word> named "…"`: an ARIA role, or one of the vocabulary's own words (`image` → img).
 * Anything else is refused: a role no element has finds nothing, so `I should not see the buton named "Sign in"`
 * would pass on any page; so is a role that takes no name (`the paragraph named "…"`), for the same reason.
 */
function namedRole(word: string, name: string): string {
  if (NAMELESS_ROLES.has(word))
    throw new TestDefinitionError(
      `a ${word} takes no name, so "the ${word} named" finds none: write the ${word} containing "${name}"; ${seeNamingElements()}`,
    );
  if (ARIA_ROLES.has(word)) return word;
  const own = ROLE_WORDS[word];
  if (own !== undefined) return own;
  throw new TestDefinitionError(
    `"${word}" is not an ARIA role${didYouMean(word, new Set([...ARIA_ROLES, ...Object.keys(ROLE_WORDS)]))}; ${seeNamingElements()}`,
  );
}

/** Captureless copy of a pattern, for the one regexp Cucumber sees. */
const captureless = (re: string) => re.replace(/\((?!\?)/g, "(?:");

/**
 * Any ARIA role by its own name, longest first. Such a role word needs `containing "…"` after it (`the paragraph
 * containing "Revenue"`, `the 2nd rowheader containing "Dune"`): bare, `the time` or `the search` would make a
 * project's own step of those words (`I should see the time`) ambiguous with the generic steps.
 */
const ANY_ROLE = [...ARIA_ROLES].sort((a, b) => b.length - a.length).join("|");

/** One element without its container: `the [ordinal] <base> [containing "text"]`, or `… <any role> containing "text"`. */
const SINGLE =
  `the (?:(?:${ORDINAL}) )?` +
  `(?:(?:${BASES.map(([re]) => captureless(re)).join("|")})(?: containing "[^"]*")?|(?:${ANY_ROLE}) containing "[^"]*")`;

/**
 * A table cell by its column header: `the [ordinal] cell in the "Price" column [containing "…"]`, then its row (or
 * any container) after `of`, `in` or `inside`. Its own `in the` is no container, so it is read before containers are.
 * `the cells in the "Price" column …` (no position) is the same phrase, read where several are counted
 * (`I should see 3 of the cells in the "Price" column`).
 */
const COLUMN = `the (?:(?:(?:${ORDINAL}) )?cell|cells) in the "[^"]*" column(?: containing "[^"]*")?`;
const COLUMN_PARTS = new RegExp(
  `^the (?:(?:(${ORDINAL}) )?cell|cells) in the ${QUOTED} column(?: containing ${QUOTED})?(?: (?:of|in|inside) (the .*))?$`,
);

/**
 * One regular expression (no capturing groups, so Cucumber hands the whole phrase to the
 * transformer) that matches every phrase parseElementPhrase accepts: an element, then any number
 * of containers, each after `in` or `inside` (after a column's cell, `of` too).
 */
export const ELEMENT_PHRASE_REGEXP = new RegExp(
  `(?:${SINGLE} (?:in|inside) |${COLUMN} (?:of|in|inside) )*(?:${SINGLE}|${COLUMN})`,
);

const SINGLE_PARTS = new RegExp(`^the (?:(${ORDINAL}) )?(.*?)(?: containing ${QUOTED})?$`);

function readOrdinal(word: string): number | "last" {
  if (word === "last") return "last";
  const i = ORDINAL_WORDS.indexOf(word);
  if (i >= 0) return i;
  const n = Number.parseInt(word, 10);
  if (n < 1) throw new TestDefinitionError(`"${word}": positions count from 1st`);
  return n - 1;
}

/** Splits at the first ` in the ` / ` inside the ` that is not inside quotes. */
function splitContainer(phrase: string): [string, string | undefined] {
  let quoted = false;
  for (let i = 0; i < phrase.length; i++) {
    if (phrase[i] === '"') quoted = !quoted;
    if (quoted || phrase[i] !== " ") continue;
    const rest = phrase.slice(i);
    const m = /^ (?:in|inside) (?=the )/.exec(rest);
    if (m) return [phrase.slice(0, i), phrase.slice(i + m[0].length)];
  }
  return [phrase, undefined];
}

function parseSingle(phrase: string, whole: string): Locator {
  const parts = SINGLE_PARTS.exec(phrase);
  if (parts) {
    const [, ordinal, base, hasText] = parts;
    for (const [re, build] of BASES) {
      const m = new RegExp(`^${re}$`).exec(base);
      if (!m) continue;
      const l: Locator = build(m.slice(1));
      if (hasText !== undefined) l.hasText = hasText;
      if (ordinal !== undefined) l.nth = readOrdinal(ordinal);
      return l;
    }
    if (hasText !== undefined && ARIA_ROLES.has(base)) {
      const l: Locator = { by: "role", role: base, hasText };
      if (ordinal !== undefined) l.nth = readOrdinal(ordinal);
      return l;
    }
  }
  throw new TestDefinitionError(`cannot read "${whole}" as an element${roleWordHint(phrase)}; ${seeNamingElements()}`);
}

/** A word (or two) right after a quoted name, where a phrase like `the "Send" button` has its role word. */
const AFTER_A_NAME = /"[^"]*" ([a-z]+)(?:[ -]([a-z]+))?/g;
/** `the "Price" columnheader`: an element phrase's shape, an ARIA role's name where its role word goes. */
const ROLE_AFTER_A_NAME = /\bthe "([^"]*)" ([a-z]+)\b/g;
/** `the caption`, `the 2nd paragraph`: a word after "the" (and a position), with the word after it. */
const BARE_ROLE = new RegExp(`\\bthe (?:(?:${ORDINAL}) )?([a-z]+)\\b(?: ([a-z]+))?`, "g");
/** `the list items`: one or two words after "the" that may be a role word's plural. */
const PLURAL_AFTER_THE = /\bthe ([a-z]+(?: [a-z]+)?s)\b/g;

/**
 * `: "buton" is not a role word (did you mean "button"?)` when a word after a quoted name is a near miss of a
 * role word; for an ARIA role with no short form (`the "Price" columnheader`), how to write it; else nothing. Such a
 * phrase matches no element pattern, so the step it stands in matches no step either: without this, its author
 * learns only that the whole step is unknown.
 */
export function roleWordHint(text: string): string {
  for (const [, name, role] of text.matchAll(ROLE_AFTER_A_NAME)) {
    if (ROLE_WORDS[role] !== undefined || !ARIA_ROLES.has(role)) continue;
    const word = roleWord(role);
    if (NAMELESS_ROLES.has(role)) return `: a ${role} takes no name: write the ${role} containing "${name}"`;
    return word === role
      ? `: "${role}" is an ARIA role with no short form: write the ${role} named "${name}"`
      : `: the ${role} role is written "${word}": the "${name}" ${word}`;
  }
  // `the paragraph`, `the caption`: a role of its own name is followed by what it contains (or its name).
  for (const [, role, next] of text.matchAll(BARE_ROLE)) {
    if (ROLE_WORDS[role] !== undefined || !ARIA_ROLES.has(role) || next === "containing" || next === "named") continue;
    return NAMELESS_ROLES.has(role)
      ? `: "${role}" is an ARIA role with no short form: write the ${role} containing "…"`
      : `: "${role}" is an ARIA role with no short form: write the ${role} named "…" or the ${role} containing "…"`;
  }
  for (const [, first, second] of text.matchAll(AFTER_A_NAME)) {
    const words = second === undefined ? [first] : [`${first} ${second}`, first];
    // A role word itself, or its plural (`I see "5" rows` in a project's own step): no near miss to point at.
    if (words.some((w) => ROLE_WORDS[w] !== undefined || ROLE_WORDS[w.replace(/s$/, "")] !== undefined)) continue;
    for (const w of words) {
      const meant = closestName(w, Object.keys(ROLE_WORDS));
      if (meant !== undefined) return `: "${w}" is not a role word (did you mean "${meant}"?)`;
    }
  }
  // `I should see 10 of the list items in …`: a kind of element is named in the singular, counted or not.
  for (const [, plural] of text.matchAll(PLURAL_AFTER_THE)) {
    if (plural === "cells") continue; // `the cells in the "Price" column`: a column's cells are counted as such
    const one = [plural.replace(/es$/, ""), plural.replace(/s$/, "")].find((w) => ROLE_WORDS[w] !== undefined);
    if (one !== undefined) return `: a kind of element is named in the singular, even when counted: "the ${one}"`;
  }
  return "";
}

export function parseElementPhrase(phrase: string): Locator {
  const column = COLUMN_PARTS.exec(phrase);
  if (column) {
    const [, ordinal, name, hasText, container] = column;
    const l: Locator = { by: "column", column: name };
    if (hasText !== undefined) l.hasText = hasText;
    if (ordinal !== undefined) l.nth = readOrdinal(ordinal);
    if (container !== undefined) l.within = parseElementPhrase(container);
    return l;
  }
  const [own, container] = splitContainer(phrase);
  const l = parseSingle(own, phrase);
  if (container !== undefined) l.within = parseElementPhrase(container);
  return l;
}
