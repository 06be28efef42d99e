// Randomized input: any text of a described shape typed into a field leaves the page usable —
// the field keeps the text or visibly refuses it, and submitting it shows no error page or leak.
import * as fc from "fast-check";
import { describeLocator, type BrowserSession, type Locator } from "../browser/session";
import { CheckFailed, isEnvironmentFailure, isProductFailure, messageOf } from "./errors";
import { describeLeaks, findLeaks } from "./leaks";
import { sizedString } from "./sizes";
import { cellError, listIn, readTable, type Cell } from "./table";
import { docPath } from "../core/package";
import { restate } from "../core/user-stack";

export const INPUT_TABLE_NAMES = ["text", "submit with", "error page shows"] as const;

export interface InputPlan {
  text: fc.Arbitrary<string>;
  textShape: string;
  /** Element to click after typing, or a key ("press Enter"). */
  submit?: { click: Locator } | { press: string };
  /** Phrases that mark an error page, beyond the built-in ones. */
  errorPhrases: string[];
}

const BUILTIN_ERROR_PHRASES = [
  "internal server error",
  "something went wrong",
  "an unexpected error",
  "an error occurred",
  "bad gateway",
  "service unavailable",
  "gateway timeout",
  "application error",
];

/** A printable BMP character a keyboard (and WebDriver's sendKeys) can type: no controls, surrogates, private use. */
function typable(c: number): boolean {
  return (
    c >= 0x20 &&
    !(c >= 0x7f && c <= 0x9f) &&
    !(c >= 0xd800 && c <= 0xf8ff) &&
    !(c >= 0xfdd0 && c <= 0xfdef) &&
    c !== 0xfffe &&
    c !== 0xffff &&
    // line and paragraph separators would be line breaks in a one-line field
    c !== 0x2028 &&
    c !== 0x2029
  );
}

const asciiChar = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const anyChar = fc.oneof(
  { weight: 3, arbitrary: asciiChar },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 0xa0, max: 0xfffd })
      .filter(typable)
      .map((c) => String.fromCharCode(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "<",
      ">",
      "&",
      '"',
      "'",
      "\\",
      "%",
      "{",
      "}",
      "$",
      "`",
      "\u00a0",
      "\u200b",
      "\u202e",
      "\u0301",
      "é",
      "ß",
      "中",
      "☺",
    ),
  },
);
const letterChar = fc.oneof(
  fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")),
  fc.constantFrom(..."éèêëàâäôöûüçñßøåæœÉÀÖÜÇÑ".split("")),
);
const digitChar = fc.constantFrom(..."0123456789".split(""));

/** "any text up to 100 characters", "any ASCII text of 1 to 20 characters", "any letters", "any digits up to 12 characters". */
export function parseTextShape(cell: Cell): fc.Arbitrary<string> {
  const m = /^any (text|ascii text|letters|digits)(?: (?:up to (\d+)|of (\d+) to (\d+)) characters?)?$/i.exec(
    cell.value.trim(),
  );
  if (!m)
    throw cellError(
      cell,
      `is not a text shape; write e.g. "any text up to 100 characters", "any ASCII text of 1 to 20 characters", "any letters", "any digits up to 12 characters"`,
    );
  const minLength = m[3] !== undefined ? Number(m[3]) : 0;
  const maxLength = m[2] !== undefined ? Number(m[2]) : m[4] !== undefined ? Number(m[4]) : 50;
  if (minLength > maxLength || maxLength > 10_000)
    throw cellError(cell, `asks for ${minLength} to ${maxLength} characters; keep it within 0 to 10000`);
  const unit = { text: anyChar, "ascii text": asciiChar, letters: letterChar, digits: digitChar }[
    m[1].toLowerCase() as "text"
  ];
  return sizedString(unit, minLength, maxLength);
}

export function parseInputPlan(
  raw: readonly (readonly string[])[] | undefined,
  parseElement: (phrase: string) => Locator,
): InputPlan {
  const t = readTable(raw, INPUT_TABLE_NAMES, "the typing property");
  const textCell = t.get("text");
  const text = textCell
    ? parseTextShape(textCell)
    : parseTextShape({ name: "text", value: "any text up to 50 characters", row: 0 });
  let submit: InputPlan["submit"];
  const submitCell = t.get("submit with");
  if (submitCell) {
    const key = /^(?:pressing |press |the key )?"?(Enter|Tab)"?(?: key)?$/i.exec(submitCell.value);
    if (key) submit = { press: key[1][0].toUpperCase() + key[1].slice(1).toLowerCase() };
    else {
      try {
        submit = { click: parseElement(submitCell.value) };
      } catch {
        throw cellError(submitCell, `is neither an element (e.g. the "Send" button) nor "pressing Enter"`);
      }
    }
  }
  const errorCell = t.get("error page shows");
  const errorPhrases = errorCell ? listIn(errorCell) : [];
  return { text, textShape: textCell?.value ?? "any text up to 50 characters", submit, errorPhrases };
}

export function showText(text: string): string {
  const quoted = JSON.stringify(text);
  const escaped = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${quoted} (${text.length} character${text.length === 1 ? "" : "s"})${escaped !== text ? `\nas escapes: "${escaped.replace(/"/g, '\\"')}"` : ""}`;
}

/** After a submit: waits until the page settled (BrowserSession.settle), then until it stops changing (URL and text the same twice in a row). */
async function settle(s: BrowserSession, timeoutMs: number): Promise<{ url: string; body: string; title: string }> {
  const deadline = Date.now() + timeoutMs;
  // First what the page still does after the submit (a fetch, a short timer), as a negative check waits for it: two
  // equal looks 150 ms apart came before an error an answer 600 ms later showed, and the run passed.
  try {
    await s.settle(timeoutMs);
  } catch (err) {
    if (isEnvironmentFailure(err)) throw err;
    // mid-navigation: the looks below wait it out
  }
  let last = "";
  for (;;) {
    let now: { url: string; body: string; title: string } | undefined;
    try {
      now = { url: await s.url(), body: await s.bodyText(), title: await s.title() };
    } catch (err) {
      if (isEnvironmentFailure(err)) throw err; // a crashed browser, a gone staging: not the product's answer
      // mid-navigation: try again
    }
    const key = now ? JSON.stringify(now) : "";
    if (now && key === last) return now;
    last = key;
    if (Date.now() > deadline) {
      if (now) return now;
      throw new CheckFailed(`the page did not settle within ${timeoutMs} ms after submitting`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function errorPageProblem(
  page: { body: string; title: string },
  typed: string,
  extra: readonly string[],
): string | undefined {
  const strip = (s: string) => (typed.length >= 1 ? s.split(typed).join(" ") : s).toLowerCase();
  const body = strip(page.body);
  const title = strip(page.title);
  for (const phrase of [...BUILTIN_ERROR_PHRASES, ...extra.map((p) => p.toLowerCase())]) {
    if (title.includes(phrase) || body.includes(phrase))
      return `an error page ("${phrase}" in the ${title.includes(phrase) ? "title" : "page"})`;
  }
  const leaks = findLeaks(page.body, [typed]);
  if (leaks.length > 0) return `a page that shows ${describeLeaks(leaks)}`;
  return undefined;
}

/**
 * The property's start, for each run: the start page loaded again from its URL and the field found on it, as an
 * ordinary step finds it (a field named wrong fails with its own type, a test defect at the first run, not a
 * counterexample of the first text tried). The load drops what the scenario's steps did on the page (a wizard's first
 * step, an opened dialog): when the field showed before the first load and is not usable after it, its error says so
 * and names the sequence property, whose start rows can repeat those steps (the error's type is kept).
 */
export function typingPageOpener(session: () => BrowserSession, startUrl: string, field: Locator): () => Promise<void> {
  let shownBefore: boolean | undefined;
  let opened = false;
  return async () => {
    const s = session();
    // One look, never waited for, at the page as the scenario's steps left it: before the first load only.
    shownBefore ??= await s.isVisible(field).catch((err: unknown) => {
      if (isEnvironmentFailure(err)) throw err;
      return false; // the field as named is found by valueOf below, which says why it is not
    });
    await s.goto(startUrl);
    try {
      await s.valueOf(field);
    } catch (err) {
      if (!opened && shownBefore && err instanceof Error && !isEnvironmentFailure(err))
        throw restate(err, reopenedMessage(err.message, startUrl, field));
      throw err;
    }
    opened = true;
  };
}

/** The field's error, its first line (the one the property's failure keeps) saying the page was loaded again and what to write instead. */
function reopenedMessage(message: string, startUrl: string, field: Locator): string {
  const [first, ...rest] = message.split("\n");
  const hint =
    ` — each run of this property loads ${startUrl} again, which loses what the scenario's steps did on the page: ` +
    `${describeLocator(field)} showed before the first run's load; for a field that shows only after steps (a ` +
    `wizard's later step, an opened dialog), use "these checks should hold after any sequence of these actions:" ` +
    `with a | start | row opening the page and | and | rows repeating those steps, and an | action | row typing ` +
    `"{any text up to 50 characters}" into the field (${docPath("steps.md")})`;
  return [`${first}${hint}`, ...rest].join("\n");
}

/** One run on a freshly loaded start page (the property's start): type, look; optionally submit and look again. */
export async function checkTyping(
  s: BrowserSession,
  ctx: { field: Locator; plan: InputPlan; settleMs: number },
  text: string,
): Promise<void> {
  const where = describeLocator(ctx.field);
  try {
    await s.fill(ctx.field, text);
  } catch (err) {
    // A crashed browser or a malformed locator is not the product's answer: the runner ends the property with it.
    if (!isProductFailure(err)) throw err;
    throw new CheckFailed(`typing into ${where} failed: ${messageOf(err)}`);
  }
  const value = await s.valueOf(ctx.field);
  // Canonically equivalent text is the same text (Unicode's rule): chromedriver hands the page the composed form
  // (NFC) of what it types, U+F900 as U+8C48, which shows the same; cut at the field's maxlength too.
  const [shown, typed] = [value.normalize("NFC"), text.normalize("NFC")];
  const kept = value === text || shown === typed;
  const truncated = !kept && value.length < text.length && (text.startsWith(value) || typed.startsWith(shown));
  const markedInvalid = async () =>
    (await s.count({ by: "css", selector: ":invalid:not(form):not(fieldset), [aria-invalid='true']" })) > 0 ||
    (await s.count({ by: "role", role: "alert" })) > 0;
  if (!kept && !truncated && !(await markedInvalid())) {
    throw new CheckFailed(
      `${where} silently changed the text: typed ${JSON.stringify(text)}, it shows ${JSON.stringify(value)}, and nothing on the page says why`,
    );
  }
  if (!ctx.plan.submit) return;
  if ("click" in ctx.plan.submit) await s.click(ctx.plan.submit.click);
  else await s.press(ctx.plan.submit.press, ctx.field);
  const page = await settle(s, ctx.settleMs);
  const problem = errorPageProblem(page, text, ctx.plan.errorPhrases);
  if (problem)
    throw new CheckFailed(
      `after typing the text into ${where} and submitting, the browser shows ${problem} (${page.url})`,
    );
  if (page.body.trim() === "") throw new CheckFailed(`after submitting, the page is blank (${page.url})`);
  // Back on the form: the field must still take input.
  if ((await s.count(ctx.field)) > 0) {
    try {
      await s.fill(ctx.field, "ok");
    } catch (err) {
      if (!isProductFailure(err)) throw err;
      throw new CheckFailed(`after submitting, ${where} no longer takes input: ${messageOf(err)}`);
    }
  }
}
