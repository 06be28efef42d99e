// Choosing and reading options of ARIA comboboxes and listboxes as a user does: one procedure for both adapters, which only click and type.
//
// The page says what the drop-down shows (in-page/dropdown.ts, one look); what to do next is decided here from
// that look alone (nextMove), so Playwright and Selenium take the same steps and fail with the same words.
import { normalizeName } from "../core/name-match";
import type { AriaDropdownLook } from "./in-page/dropdown";
import type { DropdownKind, NativeChoiceRefused } from "./in-page/elements";
import {
  LocatorTimeoutError,
  NotADropdownError,
  notUsableInTime,
  offeredOptions,
  type Explanation,
  type Locator,
  type SelectOption,
  type SelectOptions,
} from "./session";

/**
 * How long a combobox gets to show its options after a click (or ArrowDown) before the next way is tried: typing
 * into an editable one, ArrowDown on one a click did not open. Long enough for a popup that fetches its options
 * or animates in (a few hundred ms); a popup later than that is still waited for, up to the action timeout.
 */
export const OPEN_GRACE_MS = 1000;

/**
 * How long an editable combobox that shows no options gets before the label is typed into it: typing is what a user
 * does there, and it opens and filters the popup without losing the option wanted, so it need not wait the whole
 * grace (a second of each action's time, which a loaded machine may not have).
 */
export const TYPE_GRACE_MS = 250;

/** How long closing a popup the read opened may take before the read stops waiting for it. */
const CLOSE_WAIT_MS = 1000;

/** How often the drop-down is looked at while waiting. */
const POLL_MS = 50;

/**
 * How long a read waits for the page to settle before it opens a closed combobox itself: a search debounced on the
 * typing (up to the 1 s timers settling waits for), its request and the quiet after it; a page that never settles
 * leaves the rest of the step's time to open it.
 */
export const SETTLE_BEFORE_OPENING_MS = 1500;

/** How much of a label or an option's text a failure quotes. */
const LABEL_CHARS = 80;

/** A label clipped for a message: a long option text (a description in the option) is not quoted whole. */
export const clip = (text: string): string =>
  text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1)}… (${text.length} characters)`;

/**
 * Thrown by an adapter's hands when the drop-down it resolved left the page (a re-render replaced it, it was removed):
 * Selenium's stale element, or a look on Playwright that finds it disconnected. The procedure fails with GONE.
 */
export class DropdownGoneError extends Error {
  constructor() {
    super("the drop-down left the page");
    this.name = "DropdownGoneError";
  }
}

/** The failure when the drop-down left the page after it was found, the same on both drivers. */
export const GONE = "it left the page after it was found (removed or drawn anew), so nothing was chosen";

/** The failure when the page did not answer a look or an action within the time left (a busy page). */
const NO_ANSWER = "the page did not answer in time";

/** Raised by `within` when the time left ran out first. */
class OutOfTime extends Error {}

/** `work`, or OutOfTime once `ms` have passed: no call of the procedure overruns the action timeout. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new OutOfTime()), Math.max(1, ms));
  });
  work.catch(() => undefined); // answered after the time: nobody waits for it any more
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A look whose drop-down left the page is a failure at once (GONE), as Selenium's stale element is. */
async function lookAt<E>(hands: DropdownHands<E>, label: string | null, ms: number): Promise<AriaDropdownLook> {
  const look = await within(hands.look(label), ms);
  if (!look.connected) throw new DropdownGoneError();
  return look;
}

/**
 * Open as a user reads it: aria-expanded="false" says closed whatever is mounted (Downshift and Carbon keep an empty
 * listbox on the page while closed); else open when its popup shows or aria-expanded says so.
 */
export const isOpen = (look: AriaDropdownLook): boolean =>
  look.expanded !== false && (look.options !== null || look.expanded === true);

/** Its options show and it is open: what a read waits for. */
const showsOptions = (look: AriaDropdownLook): boolean => look.options !== null && isOpen(look);

/**
 * Whether a click on the option of a combobox's popup did something a user sees: the popup closed, the option became
 * selected, or the combobox came to show the label. An editable combobox shows the label already when it was typed,
 * and the keyboard may have the option aria-selected already: there only a change counts. A select-only combobox
 * shows only what was chosen: showing the label, it has it (the option chosen again, in a popup that stays open).
 */
export function tookClick(before: AriaDropdownLook, after: AriaDropdownLook, label: string): boolean {
  if (!isOpen(after)) return true;
  if (after.matchSelected && !before.matchSelected) return true;
  const showsLabel = after.shows === normalizeName(label);
  return showsLabel && (!after.editable || before.shows !== after.shows);
}

/** What an adapter does for the procedure, on the drop-down it resolved once (a popup may hide it from locators). */
export interface DropdownHands<E> {
  /** One look (in-page ariaDropdown), at the option labelled `label` when one is wanted. */
  look(label: string | null): Promise<AriaDropdownLook>;
  /** The shown, enabled option labelled so, scrolled into view (in-page ariaOptionNamed). */
  option(label: string): Promise<E | null>;
  /** A user's click on the option; false when it did not take it (gone, covered): look again. */
  clickOption(option: E, timeoutMs: number): Promise<boolean>;
  /** A user's click where the combobox opens (its text field, if it has one); false when it did not take it. */
  clickToOpen(timeoutMs: number): Promise<boolean>;
  /** ArrowDown with the focus on the combobox (its text field): how the keyboard opens one. */
  arrowDown(): Promise<void>;
  /** Types the text into the combobox's text field, over what it holds (selected first), key by key. */
  typeOver(text: string): Promise<void>;
  /** Escape, where the focus is (the combobox or its popup): how a user closes a popup. */
  escape(): Promise<void>;
  /** Waits for the page to settle (the port's settle), up to `ms`. */
  settle(ms: number): Promise<void>;
}

/** What was done so far, and when (Date.now()). */
export interface Progress {
  startedAt: number;
  clickedAt?: number;
  arrowedAt?: number;
  typedAt?: number;
  /** The options shown just before typing, which the failure lists (typing filters them). */
  before?: SelectOption[] | null;
  /** A combobox's option was clicked then (the look before the click with it): its effect is waited for. */
  optionClicked?: { at: number; before: AriaDropdownLook };
}

export type Move = "done" | "click-option" | "open" | "arrow-down" | "type" | "wait";

/**
 * The next thing a user would do, from one look. An option shown and enabled is clicked, unless a listbox (or a
 * multi-select popup) has it selected already: a click would unselect it there, while in a combobox's single-select
 * popup aria-selected may mark only where the keyboard is, and the click is what chooses. A closed combobox is clicked open;
 * one the click left closed gets ArrowDown after OPEN_GRACE_MS. An editable one (`mayType`) whose options do not
 * show the label (filtered by the text it holds, a long list drawn in part), or that shows none after that time,
 * gets the label typed into it, once. Otherwise: wait and look again.
 */
export function nextMove(look: AriaDropdownLook, p: Progress, now: number, mayType: boolean): Move {
  if (!look.enabled) return "wait";
  if (look.match === "enabled")
    return look.matchSelected && (look.kind === "listbox" || look.multiple) ? "done" : "click-option";
  if (look.kind !== "combobox") return "wait";
  const open = isOpen(look);
  if (!open && p.clickedAt === undefined) return "open";
  const since = now - Math.max(p.startedAt, p.clickedAt ?? 0, p.arrowedAt ?? 0);
  const waited = since >= OPEN_GRACE_MS;
  if (mayType && look.editable) {
    if (p.typedAt !== undefined || look.match === "disabled") return "wait";
    const someShown = look.options?.some((o) => !o.hidden) ?? false;
    return someShown || since >= TYPE_GRACE_MS ? "type" : "wait";
  }
  return !open && p.arrowedAt === undefined && waited ? "arrow-down" : "wait";
}

/** What was done to open it, for a message: "a click and ArrowDown". */
function tried(p: Progress, label: string): string {
  const done = [
    p.clickedAt !== undefined ? "a click" : "",
    p.arrowedAt !== undefined ? "ArrowDown" : "",
    p.typedAt !== undefined ? `typing "${clip(label)}"` : "",
  ].filter(Boolean);
  return done.join(" and ");
}

/** The labels a failure lists: the options shown, a disabled one marked (as a native select's are). */
function shownLabels(options: readonly SelectOption[] | null | undefined): string[] {
  return (options ?? [])
    .filter((o) => !o.hidden)
    .map((o) => (o.disabled ? `${clip(o.label)} (disabled)` : clip(o.label)));
}

/**
 * Why a native <select> has no option `label` to choose, from its options' labels as in-page optionLabels reads
 * them (a disabled one marked "(disabled)") and the last refusal (in-page selectByLabel): that the option is hidden
 * or disabled, first, as for an ARIA drop-down; then what it offers.
 */
export function nativeOptionFailure(label: string, labels: readonly string[], refused: NativeChoiceRefused): string {
  if (refused === "hidden")
    return `the option "${clip(label)}" is hidden: no user can choose it; ${offeredOptions(labels)}`;
  const wanted = label.replace(/\s+/g, " ").trim(); // as in-page selectByLabel compares it with the labels
  const disabled = labels.includes(`${wanted} (disabled)`) && !labels.includes(wanted);
  return `${disabled ? `the option "${clip(label)}" is disabled; ` : ""}${offeredOptions(labels)}`;
}

/**
 * Whether a native <select> kept an option it offers from being chosen (hidden, or disabled): the product's state,
 * not the step's label (ElementNotUsableError); a label it does not offer at all is the step's (LocatorTimeoutError).
 */
export function nativeOptionKept(label: string, labels: readonly string[], refused: NativeChoiceRefused): boolean {
  const wanted = label.replace(/\s+/g, " ").trim();
  return refused === "hidden" || (labels.includes(`${wanted} (disabled)`) && !labels.includes(wanted));
}

/**
 * `it shows no options ("No cities found")`: what a combobox whose popup lists none shows a user (the look's
 * emptyPopup), rather than how its ARIA falls short (a popup that drops its listbox drops aria-controls too).
 */
export function showsNoOptions(says: string): string {
  return `it shows no options${says ? ` ("${clip(says)}")` : ""}`;
}

/**
 * Whether the last look found the drop-down, or the option, there and kept from use (disabled; an option that shows
 * and takes no click): the product's state (ElementNotUsableError), not the step's label.
 */
export function choiceKept(look: AriaDropdownLook): boolean {
  return !look.enabled || look.match === "enabled" || look.match === "disabled";
}

/** Why the label could not be chosen, from the last look: the detail of the LocatorTimeoutError. */
export function choiceFailure(look: AriaDropdownLook, p: Progress, label: string): string {
  if (!look.enabled) return "it is disabled";
  if (look.match === "enabled") return `the option "${clip(label)}" shows but did not take the click`;
  if (look.match === "disabled")
    return `the option "${clip(label)}" is disabled; ${offeredOptions(shownLabels(look.options))}`;
  if (look.emptyPopup !== null) {
    const none = showsNoOptions(look.emptyPopup);
    if (p.typedAt === undefined) return none;
    const before = shownLabels(p.before);
    const after = `with "${clip(label)}" typed into it, ${none}`;
    return before.length > 0 ? `${offeredOptions(before)}; ${after}` : after;
  }
  if (!look.options) {
    const how = tried(p, label);
    return `its options did not show${how ? ` after ${how}` : ""}: ${look.notShown}`;
  }
  if (p.typedAt === undefined) return offeredOptions(shownLabels(look.options));
  const after = `with "${clip(label)}" typed into it, ${offeredOptions(shownLabels(look.options))}`;
  const before = shownLabels(p.before);
  return before.length > 0 ? `${offeredOptions(before)}; ${after}` : after;
}

/** chooseOption's answer once the option is chosen. */
const CHOSEN: Explanation = Object.freeze({ why: "", matched: false });

function whyNotChosen(look: AriaDropdownLook, p: Progress, label: string): Explanation {
  return { why: choiceFailure(look, p, label), matched: choiceKept(look) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Chooses the option labelled `label` as a user does (nextMove), within `timeoutMs`: CHOSEN (no `why`) once it clicked
 * it and the click took (tookClick: in a combobox's popup), or found it selected in a listbox; else why not
 * (choiceFailure, choiceKept).
 * Every call to the page is bounded by the time left. Throws DropdownGoneError when the drop-down left the page.
 */
export async function chooseOption<E>(hands: DropdownHands<E>, label: string, timeoutMs: number): Promise<Explanation> {
  const deadline = Date.now() + timeoutMs;
  const p: Progress = { startedAt: Date.now() };
  const left = () => Math.max(1, deadline - Date.now());
  let look: AriaDropdownLook | undefined;
  try {
    for (;;) {
      look = await lookAt(hands, label, left());
      const clicked = p.optionClicked;
      if (clicked && tookClick(clicked.before, look, label)) return CHOSEN;
      // A click that did nothing a user sees is tried again after the grace (a list drawn anew as it was clicked).
      if (clicked && Date.now() - clicked.at >= OPEN_GRACE_MS) p.optionClicked = undefined;
      const move = p.optionClicked ? "wait" : nextMove(look, p, Date.now(), true);
      if (move === "done") return CHOSEN;
      if (move === "click-option") {
        const option = await within(hands.option(label), left());
        if (option && (await within(hands.clickOption(option, Math.min(left(), OPEN_GRACE_MS)), left()))) {
          if (look.kind !== "combobox") return CHOSEN;
          p.optionClicked = { at: Date.now(), before: look };
        }
      } else if (move === "open") {
        if (await within(hands.clickToOpen(Math.min(left(), OPEN_GRACE_MS)), left())) p.clickedAt = Date.now();
      } else if (move === "arrow-down") {
        await within(hands.arrowDown(), left());
        p.arrowedAt = Date.now();
      } else if (move === "type") {
        p.before = look.options;
        await within(hands.typeOver(label), left());
        p.typedAt = Date.now();
      }
      if (Date.now() >= deadline) return whyNotChosen(look, p, label);
      await sleep(Math.min(POLL_MS, left()));
    }
  } catch (err) {
    if (!(err instanceof OutOfTime)) throw err;
    return look ? whyNotChosen(look, p, label) : { why: NO_ANSWER, matched: false };
  }
}

/** A look as the port's optionsOf answers it. */
export function asSelectOptions(look: AriaDropdownLook): SelectOptions {
  if (look.kind === "listbox") return { options: look.options ?? [], multiple: look.multiple, listbox: true };
  // A closed one whose (empty) listbox stays mounted shows no options: aria-expanded="false" says it is closed.
  const closed = look.options !== null && !isOpen(look);
  return {
    combobox: {
      shows: look.shows,
      editable: look.editable,
      options: closed ? null : look.options,
      notShown: closed ? 'it is closed (aria-expanded="false")' : look.notShown,
    },
  };
}

/**
 * An ARIA drop-down's options (asSelectOptions). With `show`, a combobox whose popup is not shown (isOpen) once the
 * page settled is opened as chooseOption opens it (never by typing: that would filter them), read once the options
 * show and the page settled (a popup may fetch them as it opens), and closed again with Escape; one that was open is
 * read as it is. Every call to the page is bounded by the time left. Throws DropdownGoneError when the drop-down left
 * the page.
 */
export async function readOptions<E>(
  hands: DropdownHands<E>,
  show: boolean,
  timeoutMs: number,
): Promise<SelectOptions> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let look = await lookAt(hands, null, left());
  if (!show || look.kind !== "combobox" || showsOptions(look)) return asSelectOptions(look);
  // A popup the page is about to open (a search debounced on the typing just done) is waited for, not opened over:
  // opened over, it was then closed with Escape and read as one that does not open (QA15 #1). One the page opened
  // meanwhile is read as it is and left open, as one that was open.
  try {
    await within(hands.settle(Math.min(left(), SETTLE_BEFORE_OPENING_MS)), left());
    look = await lookAt(hands, null, left());
  } catch (err) {
    if (!(err instanceof OutOfTime)) throw err;
  }
  if (showsOptions(look)) return asSelectOptions(look);
  if (!look.enabled)
    return asSelectOptions({ ...look, options: null, notShown: "it is disabled, so it does not open" });
  const p: Progress = { startedAt: Date.now() };
  const notOpened = (last: AriaDropdownLook) => {
    if (last.emptyPopup !== null)
      return asSelectOptions({ ...last, options: null, notShown: showsNoOptions(last.emptyPopup) });
    const how = tried(p, "");
    const why = last.notShown || 'aria-expanded is "false"';
    return asSelectOptions({
      ...last,
      options: null,
      notShown: `it did not open${how ? ` after ${how}` : ""}: ${why}`,
    });
  };
  try {
    while (!showsOptions(look)) {
      const move = nextMove(look, p, Date.now(), false);
      if (move === "open" && (await within(hands.clickToOpen(Math.min(left(), OPEN_GRACE_MS)), left())))
        p.clickedAt = Date.now();
      if (move === "arrow-down") {
        await within(hands.arrowDown(), left());
        p.arrowedAt = Date.now();
      }
      if (Date.now() >= deadline) return notOpened(look);
      await sleep(Math.min(POLL_MS, left()));
      look = await lookAt(hands, null, left());
    }
    await within(hands.settle(left()), left());
    const read = await lookAt(hands, null, left());
    await close(hands, read);
    return asSelectOptions(read);
  } catch (err) {
    if (!(err instanceof OutOfTime)) throw err;
    return notOpened(look);
  }
}

/** Escape on a popup the read opened, then a short wait for it to go; one that stays is left as it is. */
async function close<E>(hands: DropdownHands<E>, look: AriaDropdownLook): Promise<void> {
  if (!showsOptions(look)) return;
  await within(hands.escape(), CLOSE_WAIT_MS);
  const until = Date.now() + CLOSE_WAIT_MS;
  while (Date.now() < until && showsOptions(await lookAt(hands, null, until - Date.now()))) await sleep(POLL_MS);
}

/** What an element is as a drop-down (in-page dropdownKind). */
export interface FoundDropdown {
  kind: DropdownKind;
  tag: string;
}

/** The hands on the drop-down an adapter resolved, and how it lets go of it afterwards. */
export interface Held<E> {
  hands: DropdownHands<E>;
  release?: () => void;
}

/** The failure of a step on an ARIA drop-down, with the same words on both drivers. */
function failed(l: Locator, actionTimeoutMs: number, what: string, detail: string): LocatorTimeoutError {
  return new LocatorTimeoutError(l, actionTimeoutMs, what, detail);
}

/**
 * `act` on the drop-down `hold` resolves, released after; `none` answers for an element that is no ARIA drop-down
 * (kindOf: in-page dropdownKind). A drop-down that left the page is a LocatorTimeoutError saying so (GONE).
 */
async function onAriaDropdown<E, T>(
  l: Locator,
  what: string,
  kindOf: () => Promise<FoundDropdown>,
  hold: (timeoutMs: number) => Promise<Held<E>>,
  deadline: number,
  actionTimeoutMs: number,
  none: (found: FoundDropdown) => T,
  act: (hands: DropdownHands<E>, timeoutMs: () => number) => Promise<T>,
): Promise<T> {
  const left = () => Math.max(1, deadline - Date.now());
  try {
    const found = await kindOf();
    if (found.kind === null || found.kind === "select") return none(found);
    const { hands, release } = await hold(left());
    try {
      return await act(hands, left);
    } finally {
      release?.();
    }
  } catch (err) {
    if (!(err instanceof DropdownGoneError)) throw err;
    throw failed(l, actionTimeoutMs, what, GONE);
  }
}

/**
 * The select step on an element that is no native <select>, the same on both adapters: NotADropdownError for an
 * element that is no drop-down; else chooseOption, a LocatorTimeoutError saying why when it could not choose (the
 * drop-down left the page included). `deadline`: Date.now() when the action times out.
 */
export async function selectAriaOption<E>(
  l: Locator,
  label: string,
  kindOf: () => Promise<FoundDropdown>,
  hold: (timeoutMs: number) => Promise<Held<E>>,
  deadline: number,
  actionTimeoutMs: number,
): Promise<void> {
  const what = `to offer the option "${clip(label)}"`;
  const failure = await onAriaDropdown(
    l,
    what,
    kindOf,
    hold,
    deadline,
    actionTimeoutMs,
    (found) => {
      throw new NotADropdownError(l, found.tag, `it has no option "${clip(label)}" to choose`);
    },
    (hands, left) => chooseOption(hands, label, left()),
  );
  if (failure.why) throw notUsableInTime(l, actionTimeoutMs, what, failure);
}

/**
 * The options of an element that is no native <select> (optionsOf), the same on both adapters: `native` (its
 * notASelect answer) for an element that is no drop-down; else readOptions, a LocatorTimeoutError when the drop-down
 * left the page.
 */
export function readAriaOptions<E>(
  l: Locator,
  native: SelectOptions,
  kindOf: () => Promise<FoundDropdown>,
  hold: (timeoutMs: number) => Promise<Held<E>>,
  show: boolean,
  deadline: number,
  actionTimeoutMs: number,
): Promise<SelectOptions> {
  return onAriaDropdown(
    l,
    "to be visible",
    kindOf,
    hold,
    deadline,
    actionTimeoutMs,
    () => native,
    (hands, left) => readOptions(hands, show, left()),
  );
}
