// Generic steps: assertions about what the page shows; each waits until it holds or times out (a negative one, for the page to settle too).
import { Then } from "@cucumber/cucumber";
import {
  BrowserCrashedError,
  describeLocator,
  LocatorTimeoutError,
  notUsableInTime,
  problemLine,
  type ElementStateName,
  type Locator,
  type PageProblem,
} from "../../src/browser/session";
import { eventually, probeSays } from "../support/eventually";
import { columnsFound, refuseUnknownColumn } from "../support/columns";
import { pageSettled, settleOf, waitsAs, type Waits } from "../support/settle";
import { containsText, excerpt, normalizeText, sameText } from "../../src/core/text-quote";
import { quotingThePage } from "../support/page-quote";
import { notingHeaderRow } from "../support/header-row";
import type { SignoffWorld } from "../support/world";
import { SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";
import { restate } from "../../src/core/user-stack";
import { roleWord } from "../../src/core/role-words";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

/**
 * A positive check passes at its first right answer, as a user glancing at the page would; one written "still"
 * (`I should still see …`) is a state the page must keep after an action (a Cancel that must not delete): it counts
 * only once read after the page settled, so a request the action started and that changes it is seen.
 */
const stillWaits = (still: boolean): Waits => (still ? "held" : "plain");

async function seeText(world: SignoffWorld, text: string, still: boolean): Promise<void> {
  await eventually(
    () => world.session.bodyText(),
    (body) => containsText(body, text),
    (body) =>
      `expected the page to ${still ? "still " : ""}show "${text}"; it shows ${body === undefined ? "nothing readable" : excerpt(body, text)}`,
    wait(world),
    waitsAs(world, stillWaits(still)),
  );
}

Then("I should see {string}", async function (this: SignoffWorld, text: string) {
  await seeText(this, text, false);
});

Then("I should still see {string}", async function (this: SignoffWorld, text: string) {
  await seeText(this, text, true);
});

Then("I should not see {string}", async function (this: SignoffWorld, text: string) {
  await eventually(
    () => this.session.bodyText(),
    (body) => !containsText(body, text),
    (body, e) =>
      `expected the page not to show "${text}", ${e ? probeSays(e) : body === undefined ? "nothing readable" : `it does: ${excerpt(body, text)}`}`,
    wait(this),
    { settle: settleOf(this) },
  );
});

/** A failed wait for an element says what the page has instead (the same words as an action's timeout). */
async function explained(world: SignoffWorld, el: Locator, waiting: Promise<unknown>): Promise<void> {
  try {
    await waiting;
  } catch (err) {
    if (err instanceof BrowserCrashedError) throw err;
    const why = await world.session.explain(el).catch(() => "");
    if (why && err instanceof Error) restate(err, `${err.message}; ${why}`);
    throw err;
  }
}

async function seeElement(world: SignoffWorld, el: Locator, still: boolean): Promise<void> {
  await explained(
    world,
    el,
    eventually(
      () => world.session.isVisible(el),
      (v) => v,
      () => `expected to ${still ? "still " : ""}see ${describeLocator(el)}`,
      wait(world),
      waitsAs(world, stillWaits(still)),
    ),
  );
  await columnsFound(world, el);
}

Then("I should see {element}", async function (this: SignoffWorld, el: Locator) {
  await seeElement(this, el, false);
});

Then("I should still see {element}", async function (this: SignoffWorld, el: Locator) {
  await seeElement(this, el, true);
});

Then("I should not see {element}", async function (this: SignoffWorld, el: Locator) {
  await eventually(
    () => this.session.isVisible(el),
    (v) => !v,
    () => `expected not to see ${describeLocator(el)}`,
    wait(this),
    { settle: settleOf(this) },
  );
  await refuseUnnamedLookalike(this, el);
  await refuseUnknownColumn(this, el);
});

// A toast, a spinner or a banner meant to go by itself: waited for to go up to the step's timeout (where `I should
// not see` gives what it rules out 1 s once the page settled), its absence counted only once the page settled, so
// a toast the action's request brings, not there yet at the first look, is not taken for one already gone.
Then("I should no longer see {string}", async function (this: SignoffWorld, text: string) {
  await eventually(
    () => this.session.bodyText(),
    (body) => !containsText(body, text),
    (body, e) =>
      `expected the page to no longer show "${text}", ${e ? probeSays(e) : body === undefined ? "nothing readable" : `it still does: ${excerpt(body, text)}`}`,
    wait(this),
    waitsAs(this, "held"),
  );
});

Then("I should no longer see {element}", async function (this: SignoffWorld, el: Locator) {
  await eventually(
    () => this.session.isVisible(el),
    (v) => !v,
    () => `expected to no longer see ${describeLocator(el)}, it is still shown`,
    wait(this),
    waitsAs(this, "held"),
  );
  await refuseUnnamedLookalike(this, el);
  await refuseUnknownColumn(this, el);
});

/**
 * `the "Error" alert` means an alert *named* "Error", and an alert takes its name from aria-label, never from its
 * text (so do a status, a dialog, a list…). Absent by name while an element of that role shows the words, the
 * check would pass with the very thing on screen it was written to rule out: it fails instead, saying what to write.
 */
async function refuseUnnamedLookalike(world: SignoffWorld, el: Locator): Promise<void> {
  if (el.by !== "role" || el.name === undefined || el.hasText !== undefined) return;
  const { name, ...byRole } = el;
  const lookalike: Locator = { ...byRole, hasText: name };
  if (!(await world.session.isVisible(lookalike))) return;
  const word = roleWord(el.role);
  throw new TestDefinitionError(
    `cannot tell: no ${word} is named "${name}", but the page shows ${describeLocator(lookalike)} ` +
      `(a ${word}'s name comes from aria-label or its label, not always from its text); ` +
      `to check its text, write: the ${word} containing "${name}"`,
  );
}

/**
 * A count counts once the page has settled: 0 errors, or 3 of 5 items, at the first look of a page still loading
 * them is no answer. 0 is a negative check (what it rules out, seen after the page settled, fails it after a short
 * grace); any other number is waited for to the end.
 */
Then("I should see {int} of {element}", async function (this: SignoffWorld, n: number, el: Locator) {
  let said: string | undefined;
  await quotingThePage(
    this.session,
    el,
    () => said,
    eventually(
      () => this.session.count(el),
      (c) => c === n,
      (c) => (said = `expected ${n} of ${describeLocator(el)}, found ${c ?? "none"}`),
      wait(this),
      { settle: settleOf(this), keepWaiting: n !== 0 },
    ),
  );
  if (n === 0) await refuseUnknownColumn(this, el);
  else await columnsFound(this, el);
});

/** How an element's text must read: what it must hold (`fits`), in the failure's words (`to …`). */
interface TextRule {
  fits: (shown: string, text: string) => boolean;
  words: (text: string) => string;
}

const CONTAINS: TextRule = { fits: containsText, words: (text) => `contain "${text}"` };
const HAS_EXACTLY: TextRule = { fits: sameText, words: (text) => `have exactly the text "${text}"` };

/** An element's text checked by `rule`; `still`: as a state the page must keep after an action (stillWaits). */
async function textReads(
  world: SignoffWorld,
  el: Locator,
  text: string,
  rule: TextRule,
  still: boolean,
): Promise<void> {
  let said: string | undefined;
  const texts = new TextsRead();
  await notingHeaderRow(
    world.session,
    el,
    () => said,
    eventually<string>(
      () => texts.of(world.session.textOf(el)),
      (t) => rule.fits(t, text),
      (t, e) =>
        (said = `expected ${describeLocator(el)} to ${still ? "still " : ""}${rule.words(text)}, ${e ? probeSays(e) : texts.said(t ?? "", text)}`),
      wait(world),
      waitsAs(world, stillWaits(still)),
    ),
  );
}

/** Why an element read before could not be read at the end: its lookup's reason, else the probe's message. */
function wentBecause(err: unknown): string {
  return err instanceof LocatorTimeoutError && err.detail ? `it was gone: ${err.detail}` : probeSays(err);
}

/**
 * What a text check read of one element while it waited, for its failure: a toast that showed the wrong text, then
 * hid itself before the wait ended, was quoted as showing it still, or as "(no visible text)", whichever its last
 * look got (which of two targets told of the wrong text was luck).
 */
class TextsRead {
  private last = "";
  private before = "";
  /** The probe failed after the last read (the element went). */
  private goneBy: unknown;

  async of(read: Promise<string>): Promise<string> {
    try {
      const t = await read;
      this.goneBy = undefined;
      if (normalizeText(t) !== normalizeText(this.last)) {
        if (normalizeText(this.last) !== "") this.before = this.last;
        this.last = t;
      }
      return t;
    } catch (err) {
      this.goneBy = err;
      throw err;
    }
  }

  /** `it shows …`, with what it showed before that, or that it could not be read since. */
  said(last: string, expected: string): string {
    if (this.goneBy !== undefined) return `it showed ${excerpt(last, expected)}, then ${wentBecause(this.goneBy)}`;
    const other = normalizeText(this.before) !== "" && normalizeText(this.before) !== normalizeText(last);
    return `it shows ${excerpt(last, expected)}${other ? `; before, it showed ${excerpt(this.before, expected)}` : ""}`;
  }
}

Then("{element} should contain {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await textReads(this, el, text, CONTAINS, false);
});

Then("{element} should still contain {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await textReads(this, el, text, CONTAINS, true);
});

/**
 * The text `el` shows, read at once in one look at the page (session.shownText): its first visible match's, or none
 * ("") when it is on the page but hidden (an emptied live region has no size). An element that is not on the page at
 * all is a LocatorTimeoutError, as reading its text is (ElementNotUsableError for one the page keeps from users, as
 * an open dialog's aria-hidden does). What is read is never waited for, so the check's last answer is the page as it
 * was then.
 */
async function shownText(world: SignoffWorld, el: Locator): Promise<string> {
  const shown = await world.session.shownText(el);
  if ("shows" in shown) return shown.shows;
  if ("hidden" in shown) return "";
  const why = shown.absent || "nothing on the page matches it";
  throw notUsableInTime(el, wait(world), "to be on the page", { why, matched: shown.matched === true });
}

Then("{element} should not contain {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await eventually(
    () => shownText(this, el),
    (t) => !containsText(t, text),
    (t, e) =>
      `expected ${describeLocator(el)} not to contain "${text}", ${e ? probeSays(e) : `it shows ${excerpt(t ?? "", text)}`}`,
    wait(this),
    { settle: settleOf(this) },
  );
});

Then("{element} should have the text {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await textReads(this, el, text, HAS_EXACTLY, false);
});

Then("{element} should still have the text {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await textReads(this, el, text, HAS_EXACTLY, true);
});

/** Polls one element state until it is `wanted`. */
async function expectState(
  world: SignoffWorld,
  el: Locator,
  state: ElementStateName,
  wanted: boolean,
  words: string,
  waits: Waits = "plain",
): Promise<void> {
  await eventually(
    () => world.session.stateOf(el, state),
    (v) => v === wanted,
    (v, e) =>
      `expected ${describeLocator(el)} to be ${words}, ${e ? probeSays(e) : `it is ${v === undefined ? "not readable" : "not"}`}`,
    wait(world),
    waitsAs(world, waits),
  );
}

Then("{element} should be checked", async function (this: SignoffWorld, el: Locator) {
  await expectState(this, el, "checked", true, "checked", "held");
});

Then("{element} should not be checked", async function (this: SignoffWorld, el: Locator) {
  await expectState(this, el, "checked", false, "unchecked", "negative");
});

Then("{element} should be enabled", async function (this: SignoffWorld, el: Locator) {
  await expectState(this, el, "enabled", true, "enabled");
});

Then("{element} should be disabled", async function (this: SignoffWorld, el: Locator) {
  await expectState(this, el, "enabled", false, "disabled");
});

Then("{element} should be focused", async function (this: SignoffWorld, el: Locator) {
  await expectState(this, el, "focused", true, "focused");
});

Then(
  "{element} should have the attribute {string} with the value {string}",
  async function (this: SignoffWorld, el: Locator, name: string, value: string) {
    await eventually(
      () => this.session.attributeOf(el, name),
      (v) => v === value,
      (v, e) =>
        `expected ${describeLocator(el)} to have ${name}="${value}", ${e ? probeSays(e) : v === null || v === undefined ? `it has no ${name}` : `it has ${name}="${v}"`}`,
      wait(this),
    );
  },
);

const classes = (v: string | null) => (v ?? "").split(/\s+/).filter(Boolean);

Then("{element} should have the class {string}", async function (this: SignoffWorld, el: Locator, name: string) {
  await eventually(
    () => this.session.attributeOf(el, "class"),
    (v) => classes(v).includes(name),
    (v, e) =>
      `expected ${describeLocator(el)} to have the class "${name}", ${e ? probeSays(e) : `its classes are "${classes(v ?? null).join(" ")}"`}`,
    wait(this),
  );
});

Then("{element} should not have the class {string}", async function (this: SignoffWorld, el: Locator, name: string) {
  await eventually(
    () => this.session.attributeOf(el, "class"),
    (v) => !classes(v).includes(name),
    (v, e) =>
      `expected ${describeLocator(el)} not to have the class "${name}", ${e ? probeSays(e) : `its classes are "${classes(v ?? null).join(" ")}"`}`,
    wait(this),
    { settle: settleOf(this) },
  );
});

Then(
  "{element} should have the style {string} set to {string}",
  async function (this: SignoffWorld, el: Locator, property: string, value: string) {
    await eventually(
      () => this.session.styleOf(el, property),
      (v) => v.trim() === value,
      (v, e) =>
        `expected ${describeLocator(el)} to have ${property}: ${value}, ${e ? probeSays(e) : `it has ${property}: ${v}`}`,
      wait(this),
    );
  },
);

Then("a dialog saying {string} should have opened", async function (this: SignoffWorld, text: string) {
  await eventually(
    () => this.session.dialogs(),
    (seen) => seen.some((d) => containsText(d.message, text)),
    (seen) =>
      `expected a dialog saying "${text}"; ${seen && seen.length ? `the dialogs said: ${seen.map((d) => `"${d.message}"`).join(", ")}` : "no dialog opened"}`,
    wait(this),
  );
});

Then("{element} should have the value {string}", async function (this: SignoffWorld, el: Locator, value: string) {
  await eventually(
    () => this.session.valueOf(el),
    (v) => v === value,
    (v, e) => `expected ${describeLocator(el)} to have the value "${value}", ${e ? probeSays(e) : `it has "${v}"`}`,
    wait(this),
    waitsAs(this, "held"),
  );
});

// A field's helper or error text tied to it (aria-describedby, aria-errormessage), not merely somewhere on the page:
// "I should see" passed with two fields' error texts swapped.
Then("{element} should have the description {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  // Every description contains "": the check could not fail.
  if (text.trim() === "")
    throw new TestDefinitionError(`give the text ${describeLocator(el)}'s description must contain (it was empty)`);
  await eventually(
    () => this.session.descriptionOf(el),
    (d) => containsText(d, text),
    (d, e) =>
      `expected ${describeLocator(el)} to have the description "${text}", ${e ? probeSays(e) : d === "" || d === undefined ? "its description is empty (no aria-describedby, aria-description or error message gives it any text)" : `its description reads "${d}"`}`,
    wait(this),
    waitsAs(this, "held"),
  );
});

Then("the page title should be {string}", async function (this: SignoffWorld, title: string) {
  await eventually(
    () => this.session.title(),
    (t) => t === title,
    (t) => `expected the page title "${title}", it is "${t}"`,
    wait(this),
  );
});

Then("the page title should contain {string}", async function (this: SignoffWorld, part: string) {
  await eventually(
    () => this.session.title(),
    (t) => t.includes(part),
    (t) => `expected the page title to contain "${part}", it is "${t}"`,
    wait(this),
  );
});

// A URL is a state the page keeps, not one it passes through: a route that renders and then sends the user on (a
// stray redirect, a guard that runs after the render) was right only at its first look. So a URL check counts only
// once read after the page settled, as the other kept states do; a URL seen for a moment is rarely what a scenario means.
Then("the URL path should be {string}", async function (this: SignoffWorld, path: string) {
  await eventually(
    async () => new URL(await this.session.url()).pathname,
    (p) => p === path,
    (p) => `expected the URL path "${path}", it is "${p}"`,
    wait(this),
    waitsAs(this, "held"),
  );
});

Then("the URL should contain {string}", async function (this: SignoffWorld, part: string) {
  await eventually(
    () => this.session.url(),
    (u) => u.includes(part),
    (u) => `expected the URL to contain "${part}", it is "${u}"`,
    wait(this),
    waitsAs(this, "held"),
  );
});

/** The page problems of some kinds, as lines for a failure message, once the requests under way have ended. */
async function problemsOf(world: SignoffWorld, kinds: PageProblem["kind"][]): Promise<string[]> {
  await pageSettled(world, wait(world));
  return (await world.session.pageProblems()).filter((p) => kinds.includes(p.kind)).map(problemLine);
}

Then("the page should have had no errors", async function (this: SignoffWorld) {
  const found = await problemsOf(this, ["page error", "console error"]);
  if (found.length)
    throw new SignoffAssertionError(
      `expected no page errors, the page had ${found.length} during the scenario:\n  ${found.join("\n  ")}`,
    );
});

Then("no request should have failed", async function (this: SignoffWorld) {
  const found = await problemsOf(this, ["failed request"]);
  this.failedRequestsListed = found.length > 0;
  if (found.length)
    throw new SignoffAssertionError(
      `expected no failed requests, ${found.length} failed during the scenario:\n  ${found.join("\n  ")}`,
    );
});
