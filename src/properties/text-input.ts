// Randomized input: any text of a described shape typed into a field leaves the page usable —
// the field keeps the text or visibly refuses it, and submitting it brings no error, leak, 5xx or exception.
import * as fc from "fast-check";
import {
  describeLocator,
  ElementNotUsableError,
  LocatorTimeoutError,
  NavigationTimeoutError,
  type BrowserSession,
  type Locator,
} from "../browser/session";
import { CheckFailed, isEnvironmentFailure, isProductFailure, messageOf } from "./errors";
import { errorPhraseShown, leakShown, serverOrScriptFailure, type PageLook } from "./submit-outcome";
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

/** What the page is after a submit: where, its text and title, its markup; and the requests it never got an answer to. */
interface AfterSubmit extends PageLook {
  url: string;
  html: string;
  /** The submit's requests still in flight at the deadline (SettleOutcome.overdue). */
  overdue: string[];
}

/**
 * After a submit: waits until the page settled (BrowserSession.settle), the submit's own requests however long they
 * take up to `timeoutMs`, then until it stops changing (URL and text the same twice in a row).
 */
async function settle(s: BrowserSession, timeoutMs: number, submittedAt: number): Promise<AfterSubmit> {
  const deadline = Date.now() + timeoutMs;
  // First what the page still does after the submit (a fetch, a short timer), as a negative check waits for it: two
  // equal looks 150 ms apart came before an error an answer 600 ms later showed, and the run passed. The submit's own
  // request is waited for past the settle rule's long-lived limit (2 s): an error a slow answer brings is the answer.
  let overdue: string[] = [];
  try {
    overdue = (await s.settle(timeoutMs, { waitForRequestsSince: submittedAt })).overdue ?? [];
  } catch (err) {
    if (isEnvironmentFailure(err)) throw err;
    // mid-navigation: the looks below wait it out
  }
  let last = "";
  for (;;) {
    let now: AfterSubmit | undefined;
    try {
      const look = { url: await s.url(), body: await s.bodyText(), title: await s.title() };
      now = { ...look, html: await s.pageSource(), overdue };
    } catch (err) {
      if (isEnvironmentFailure(err)) throw err; // a crashed browser, a gone staging: not the product's answer
      // mid-navigation: try again
    }
    const key = now ? JSON.stringify([now.url, now.body, now.title]) : "";
    if (now && key === last) return now;
    last = key;
    if (Date.now() > deadline) {
      if (now) return now;
      throw new CheckFailed(`the page did not settle within ${timeoutMs} ms after submitting`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
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
        throw restate(theReloadsFault(err), reopenedMessage(err.message, startUrl, field));
      throw err;
    }
    opened = true;
  };
}

/**
 * The steps had shown the field, and after the property's own load it is not usable: the load is the cause, so a
 * field there but kept from use is the property's defect (a test defect), not the product's: an ElementNotUsableError
 * becomes the LocatorTimeoutError it extends.
 */
function theReloadsFault(err: Error): Error {
  return err instanceof ElementNotUsableError
    ? new LocatorTimeoutError(err.locator, err.timeoutMs, err.what, err.detail)
    : err;
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

/** What on the page says the field refuses a text: its own invalid state, and the alerts the page shows. */
interface Marks {
  ariaInvalid: boolean;
  /** The constraints the field fails (FieldValidity.failing), valueMissing left out (see refusalShown). */
  failing: string[];
  /** The texts the visible alerts (role=alert) show. */
  alerts: string[];
}

const ALERT: Locator = { by: "role", role: "alert" };

async function marksOf(s: BrowserSession, field: Locator): Promise<Marks> {
  const validity = await s.validityOf(field);
  const alerts: string[] = [];
  const n = await s.count(ALERT);
  for (let nth = 0; nth < n; nth++) {
    const shown = await s.shownText({ ...ALERT, nth });
    if ("shows" in shown && shown.shows.trim() !== "") alerts.push(shown.shows.trim());
  }
  return {
    ariaInvalid: (await s.attributeOf(field, "aria-invalid")) === "true",
    // An empty required field is invalid whatever was typed: a field that dropped the whole text is, too.
    failing: "failing" in validity ? validity.failing.filter((f) => f !== "valueMissing") : [],
    alerts,
  };
}

/**
 * Whether the page says the field refused the text: a mark on the field itself, or an alert, that typing brought
 * (was not there before). A mark elsewhere (another required field still empty, an always-present live region) says
 * nothing about this text.
 */
function refusalShown(before: Marks, after: Marks): boolean {
  return (
    (after.ariaInvalid && !before.ariaInvalid) ||
    after.failing.some((f) => !before.failing.includes(f)) ||
    after.alerts.some((a) => !before.alerts.includes(a))
  );
}

/**
 * Whether `value` is `text` cut at the field's maxlength (`maxLength`, the attribute as read): a non-empty start of
 * it exactly that long. Canonically equivalent text is the same text (Unicode's rule): a page or an input method
 * may keep the composed form (NFC) of what was typed, U+F900 as U+8C48, which shows the same.
 */
export function keptOrCut(text: string, value: string, maxLength: string | null): "kept" | "cut" | "changed" {
  const [shown, typed] = [value.normalize("NFC"), text.normalize("NFC")];
  if (value === text || shown === typed) return "kept";
  const max = maxLength !== null && /^\s*\d+\s*$/.test(maxLength) ? Number(maxLength) : undefined;
  if (max === undefined || value === "") return "changed";
  if ((value.length === max && text.startsWith(value)) || (shown.length === max && typed.startsWith(shown)))
    return "cut";
  return "changed";
}

/** One run on a freshly loaded start page (the property's start): type, look; optionally submit and look again. */
export async function checkTyping(
  s: BrowserSession,
  ctx: { field: Locator; plan: InputPlan; settleMs: number },
  text: string,
): Promise<void> {
  const where = describeLocator(ctx.field);
  const before = await marksOf(s, ctx.field);
  try {
    await s.fill(ctx.field, text);
  } catch (err) {
    // A crashed browser or a malformed locator is not the product's answer: the runner ends the property with it.
    if (!isProductFailure(err)) throw err;
    throw new CheckFailed(`typing into ${where} failed: ${messageOf(err)}`);
  }
  let value = await s.valueOf(ctx.field);
  const maxLength = async () => s.attributeOf(ctx.field, "maxlength");
  if (keptOrCut(text, value, await maxLength()) === "changed") {
    // What the page says about the text may come a moment later (a debounced check): judged once it settled.
    await s.settle(ctx.settleMs);
    value = await s.valueOf(ctx.field);
    if (keptOrCut(text, value, await maxLength()) === "changed" && !refusalShown(before, await marksOf(s, ctx.field)))
      throw new CheckFailed(
        `${where} silently changed the text: typed ${JSON.stringify(text)}, it shows ${JSON.stringify(value)}, and nothing on the page says why`,
      );
  }
  if (!ctx.plan.submit) return;
  const shownBefore: PageLook = { body: await s.bodyText(), title: await s.title() };
  // The session records every problem since it began (earlier runs' too): this run's are those after this mark.
  const problemsBefore = (await s.pageProblems()).length;
  const submittedAt = Date.now();
  try {
    if ("click" in ctx.plan.submit) await s.click(ctx.plan.submit.click);
    else await s.press(ctx.plan.submit.press, ctx.field);
  } catch (err) {
    // A form sent as a page load (no fetch) whose answer never comes: the server's answer to this text, as an
    // unanswered fetch is (below); elsewhere a page load that never ends is staging's problem.
    if (!(err instanceof NavigationTimeoutError)) throw err;
    throw new CheckFailed(`after typing the text into ${where} and submitting, ${messageOf(err).split("\n")[0]}`);
  }
  const page = await settle(s, ctx.settleMs, submittedAt);
  const afterSubmitting = `after typing the text into ${where} and submitting`;
  if (page.overdue.length > 0)
    throw new CheckFailed(
      `${afterSubmitting}, the page still waited for ${page.overdue.join(", ")} after ${ctx.settleMs} ms (timeouts.actionMs) (${page.url})`,
    );
  const failure = serverOrScriptFailure((await s.pageProblems()).slice(problemsBefore));
  if (failure) throw new CheckFailed(`${afterSubmitting}, ${failure} (${page.url})`);
  const problem = errorPhraseShown(shownBefore, page, text, ctx.plan.errorPhrases) ?? leakShown(page.html, text);
  if (problem) throw new CheckFailed(`${afterSubmitting}, the browser shows ${problem} (${page.url})`);
  if (page.body.trim() === "") throw new CheckFailed(`after submitting, the page is blank (${page.url})`);
  // Back on the form: the field must still take input, read back as typed.
  const probe = (await s.count(ctx.field)) > 0 ? probeText(await s.attributeOf(ctx.field, "type")) : undefined;
  if (probe !== undefined) {
    try {
      await s.fill(ctx.field, probe);
    } catch (err) {
      if (!isProductFailure(err)) throw err;
      throw new CheckFailed(`after submitting, ${where} no longer takes input: ${messageOf(err)}`);
    }
    const shows = await s.valueOf(ctx.field);
    if (keptOrCut(probe, shows, await maxLength()) === "changed")
      throw new CheckFailed(
        `after submitting, ${where} no longer takes input: typed ${JSON.stringify(probe)}, it shows ${JSON.stringify(shows)}`,
      );
  }
}

/**
 * What to type to see that a field still takes input, by its `type`: a number field takes "1" (it drops "ok"); a date,
 * time, colour or range field takes a whole value in its own format, not typing, so none is typed into it.
 */
function probeText(type: string | null): string | undefined {
  const t = (type ?? "text").toLowerCase();
  if (t === "number") return "1";
  return ["date", "time", "month", "week", "datetime-local", "color", "range"].includes(t) ? undefined : "ok";
}
