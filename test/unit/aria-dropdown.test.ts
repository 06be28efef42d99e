// src/browser/aria-dropdown.ts: what a user does next with an ARIA drop-down, from one look, and why a choice failed.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  asSelectOptions,
  chooseOption,
  choiceFailure,
  choiceKept,
  clip,
  DropdownGoneError,
  GONE,
  nativeOptionFailure,
  nativeOptionKept,
  nextMove,
  OPEN_GRACE_MS,
  SETTLE_BEFORE_OPENING_MS,
  TYPE_GRACE_MS,
  readAriaOptions,
  readOptions,
  selectAriaOption,
  tookClick,
  type DropdownHands,
  type Progress,
} from "../../src/browser/aria-dropdown";
import type { AriaDropdownLook } from "../../src/browser/in-page/dropdown";
import { LocatorTimeoutError, type Locator } from "../../src/browser/session";

const option = (label: string, more: { selected?: boolean; disabled?: boolean; hidden?: boolean } = {}) => ({
  label,
  selected: false,
  disabled: false,
  hidden: false,
  ...more,
});

/** A closed select-only combobox whose popup is not on the page, unless `more` says otherwise. */
const look = (more: Partial<AriaDropdownLook> = {}): AriaDropdownLook => ({
  kind: "combobox",
  connected: true,
  tag: '<div role="combobox">',
  enabled: true,
  editable: false,
  expanded: false,
  options: null,
  notShown: 'its popup "list" is not on the page',
  emptyPopup: null,
  shows: "Question",
  multiple: false,
  match: "none",
  matchSelected: false,
  ...more,
});
const at = 10_000;
const started: Progress = { startedAt: at };
const shown = [option("Question", { selected: true }), option("Bug report"), option("Complaint", { disabled: true })];

test("an option shown and enabled is clicked; one a listbox or a multi-select popup has selected already is left", () => {
  assert.equal(nextMove(look({ options: shown, match: "enabled" }), started, at, true), "click-option");
  const selected = { options: shown, match: "enabled", matchSelected: true } as const;
  assert.equal(nextMove(look(selected), started, at, true), "click-option", "a single-select popup: the click chooses");
  assert.equal(nextMove(look({ ...selected, multiple: true }), started, at, true), "done");
  assert.equal(nextMove(look({ ...selected, kind: "listbox" }), started, at, true), "done");
});

test("a closed combobox is clicked open once; ArrowDown after the grace when the click left it closed", () => {
  assert.equal(nextMove(look(), started, at, true), "open");
  const clicked: Progress = { startedAt: at, clickedAt: at };
  assert.equal(nextMove(look(), clicked, at + OPEN_GRACE_MS - 1, true), "wait");
  assert.equal(nextMove(look(), clicked, at + OPEN_GRACE_MS, true), "arrow-down");
  assert.equal(nextMove(look(), { ...clicked, arrowedAt: at + OPEN_GRACE_MS }, at + 5000, true), "wait");
  // Open (aria-expanded) but its popup not there yet, as one that fetches its options: waited for, never clicked shut.
  assert.equal(nextMove(look({ expanded: true }), started, at + 5000, true), "wait");
  assert.equal(nextMove(look({ expanded: null, options: [] }), started, at, true), "wait", "a popup shown is open");
  // Closed by aria-expanded, its empty listbox still mounted (Downshift's useSelect, Carbon): clicked open.
  assert.equal(nextMove(look({ expanded: false, options: [] }), started, at, true), "open");
  assert.equal(nextMove(look({ expanded: false, options: [], editable: true }), started, at, true), "open");
});

test("a closed combobox whose empty listbox stays mounted reads as closed, and is opened to read", async () => {
  const mounted = look({ expanded: false, options: [] });
  assert.deepEqual(asSelectOptions(mounted), {
    combobox: { shows: "Question", editable: false, options: null, notShown: 'it is closed (aria-expanded="false")' },
  });
  const open = look({ expanded: true, options: shown });
  const { hands, did } = scripted([mounted, mounted, open, open, mounted]);
  assert.deepEqual(await readOptions(hands, true, 1000), asSelectOptions(open));
  assert.deepEqual(did, ["settle", "click", "settle", "Escape"]);
});

test("an editable combobox is typed into once: at once when the options shown lack the label, else after a short grace", () => {
  const editable = { editable: true, expanded: true } as const;
  assert.equal(nextMove(look({ ...editable, options: shown }), started, at, true), "type");
  assert.equal(nextMove(look({ ...editable }), started, at, true), "wait", "its popup may still come");
  assert.equal(nextMove(look({ ...editable }), started, at + TYPE_GRACE_MS - 1, true), "wait");
  assert.equal(nextMove(look({ ...editable }), started, at + TYPE_GRACE_MS, true), "type");
  assert.ok(TYPE_GRACE_MS < OPEN_GRACE_MS, "typing comes before a click-opened popup's whole grace");
  assert.equal(nextMove(look({ ...editable, options: shown }), { ...started, typedAt: at }, at + 9000, true), "wait");
  assert.equal(nextMove(look({ ...editable, options: shown, match: "disabled" }), started, at, true), "wait");
  // Reading its options (mayType false) never types: that would filter them.
  const closed = { editable: true, expanded: false } as const;
  assert.equal(nextMove(look(closed), { startedAt: at, clickedAt: at }, at + OPEN_GRACE_MS, false), "arrow-down");
});

test("a listbox is never opened or typed into; a disabled drop-down is waited for", () => {
  assert.equal(nextMove(look({ kind: "listbox", options: shown }), started, at + 9000, true), "wait");
  assert.equal(nextMove(look({ enabled: false }), started, at, true), "wait");
});

test("a failure names the options offered, a disabled one marked, and what typing left", () => {
  const offered = 'it offers "Question", "Bug report", "Complaint (disabled)"';
  assert.equal(choiceFailure(look({ options: shown }), started, "Narnia"), offered);
  assert.equal(
    choiceFailure(look({ options: shown, match: "disabled" }), started, "Complaint"),
    `the option "Complaint" is disabled; ${offered}`,
  );
  const typed: Progress = { startedAt: at, clickedAt: at, typedAt: at, before: shown };
  assert.equal(
    choiceFailure(look({ options: [] }), typed, "Narnia"),
    `${offered}; with "Narnia" typed into it, it offers no option`,
  );
  assert.equal(
    choiceFailure(look({ options: [option("Narnia road")] }), { ...typed, before: null }, "Narnia"),
    'with "Narnia" typed into it, it offers "Narnia road"',
  );
  assert.equal(
    choiceFailure(
      look({ notShown: "it names no popup (no aria-controls or aria-owns)" }),
      { ...typed, arrowedAt: at },
      "X",
    ),
    'its options did not show after a click and ArrowDown and typing "X": it names no popup (no aria-controls or aria-owns)',
  );
  assert.equal(choiceFailure(look({ enabled: false }), started, "X"), "it is disabled");
  assert.equal(
    choiceFailure(look({ options: shown, match: "enabled" }), started, "Bug report"),
    'the option "Bug report" shows but did not take the click',
  );
});

test("a combobox whose popup lists no option says what it shows, not that it names no popup", async () => {
  // MUI's Autocomplete with no match: aria-expanded="false", no aria-controls, "No cities found" in a popper.
  const none = look({
    editable: true,
    notShown: "it names no popup (no aria-controls or aria-owns)",
    emptyPopup: "No cities found",
  });
  const typed: Progress = { startedAt: at, clickedAt: at, typedAt: at, before: null };
  assert.equal(
    choiceFailure(none, typed, "Atlantis"),
    'with "Atlantis" typed into it, it shows no options ("No cities found")',
  );
  assert.equal(
    choiceFailure(none, { ...typed, before: shown }, "Atlantis"),
    'it offers "Question", "Bug report", "Complaint (disabled)"; with "Atlantis" typed into it, it shows no options ("No cities found")',
  );
  assert.equal(choiceFailure(none, started, "Atlantis"), 'it shows no options ("No cities found")');
  // Expanded, nothing drawn to quote.
  assert.equal(choiceFailure(look({ expanded: true, emptyPopup: "" }), started, "X"), "it shows no options");
  const read = await readOptions(scripted([none]).hands, true, 150);
  assert.deepEqual(read, {
    combobox: { shows: "Question", editable: true, options: null, notShown: 'it shows no options ("No cities found")' },
  });
});

test("a look as optionsOf answers it: a listbox's options, a combobox's state", () => {
  assert.deepEqual(asSelectOptions(look({ kind: "listbox", options: shown, multiple: true })), {
    options: shown,
    multiple: true,
    listbox: true,
  });
  assert.deepEqual(asSelectOptions(look()), {
    combobox: { shows: "Question", editable: false, options: null, notShown: 'its popup "list" is not on the page' },
  });
});

/** A scripted drop-down: its looks in turn (the last one repeats), recording what the procedure did. */
function scripted(looks: AriaDropdownLook[]): { hands: DropdownHands<string>; did: string[] } {
  const did: string[] = [];
  let i = 0;
  const hands: DropdownHands<string> = {
    look: async () => looks[Math.min(i++, looks.length - 1)],
    option: async (label) => `option ${label}`,
    clickOption: async (o) => (did.push(`click ${o}`), true),
    clickToOpen: async () => (did.push("click"), true),
    arrowDown: async () => void did.push("ArrowDown"),
    typeOver: async (text) => void did.push(`type ${text}`),
    escape: async () => void did.push("Escape"),
    settle: async () => void did.push("settle"),
  };
  return { hands, did };
}

test("chooseOption: open, then click the option once it shows, done once the click took", async () => {
  const { hands, did } = scripted([
    look(),
    look({ expanded: true, options: shown, match: "enabled" }),
    look({ shows: "Bug report" }),
  ]);
  assert.deepEqual(await chooseOption(hands, "Bug report", 1000), { why: "", matched: false });
  assert.deepEqual(did, ["click", "click option Bug report"]);
});

test("a click on a combobox's option counts when the popup closed, the option became selected, or it shows the label", () => {
  const before = look({ editable: true, expanded: true, options: shown, match: "enabled", shows: "Bug report" });
  assert.equal(tookClick(before, before, "Bug report"), false, "the typed text alone is no proof");
  assert.equal(tookClick(before, look({ shows: "Bug report", expanded: false }), "Bug report"), true);
  assert.equal(tookClick(before, { ...before, matchSelected: true }, "Bug report"), true);
  const selectOnly = look({ expanded: true, options: shown, match: "enabled" });
  assert.equal(tookClick(selectOnly, { ...selectOnly, shows: "Bug report" }, "Bug report"), true);
  const keyboardOn = { ...selectOnly, matchSelected: true };
  assert.equal(tookClick(keyboardOn, keyboardOn, "Bug report"), false, "aria-selected before the click is no proof");
  // The option already chosen, chosen again in a popup that stays open: a select-only combobox shows only its choice.
  const chosenAlready = { ...keyboardOn, shows: "Bug report" };
  assert.equal(tookClick(chosenAlready, chosenAlready, "Bug report"), true);
  assert.equal(
    tookClick({ ...chosenAlready, editable: true }, { ...chosenAlready, editable: true }, "Bug report"),
    false,
  );
});

test("chooseOption: an editable combobox whose option click does nothing fails, the typed text notwithstanding", async () => {
  const typed = look({
    editable: true,
    expanded: true,
    options: [option("Florence")],
    match: "enabled",
    shows: "Florence",
  });
  const { hands, did } = scripted([look({ editable: true, expanded: true, options: shown }), typed]);
  const t0 = Date.now();
  // An option that shows and takes no click is the page's doing: ElementNotUsableError, a product defect.
  assert.deepEqual(await chooseOption(hands, "Florence", 300), {
    why: 'the option "Florence" shows but did not take the click',
    matched: true,
  });
  assert.ok(Date.now() - t0 >= 290, "polled until the timeout");
  assert.deepEqual(did, ["type Florence", "click option Florence"], "clicked once within the grace");
});

test("chooseOption and readOptions: no call overruns the time left; a click is never given timeout 0", async () => {
  const hung: DropdownHands<string> = { ...scripted([look()]).hands, look: () => new Promise(() => undefined) };
  let t0 = Date.now();
  assert.deepEqual(await chooseOption(hung, "Bug report", 200), {
    why: "the page did not answer in time",
    matched: false,
  });
  assert.ok(Date.now() - t0 < 600, `took ${Date.now() - t0} ms`);
  const slowType = { ...scripted([look({ editable: true, expanded: true, options: shown })]).hands };
  slowType.typeOver = () => new Promise(() => undefined);
  t0 = Date.now();
  const notOffered = await chooseOption(slowType, "Narnia", 200);
  assert.match(notOffered.why, /^it offers "Question"/);
  assert.equal(notOffered.matched, false, "a label not offered is the step's");
  assert.ok(Date.now() - t0 < 600, `took ${Date.now() - t0} ms`);
  const timeouts: number[] = [];
  const slowOpen = { ...scripted([look()]).hands };
  slowOpen.clickToOpen = async (ms) => (timeouts.push(ms), await new Promise((r) => setTimeout(r, 60)), false);
  await readOptions(slowOpen, true, 50);
  await chooseOption(slowOpen, "X", 50);
  assert.ok(timeouts.length > 0 && timeouts.every((ms) => ms >= 1), `timeouts given: ${timeouts.join(", ")}`);
});

test("a drop-down that left the page fails with one message on both drivers (a disconnected look, a stale element)", async () => {
  const l: Locator = { by: "role", role: "combobox", name: "Topic" };
  const kindOf = async () => ({ kind: "combobox" as const, tag: '<div role="combobox">' });
  const disconnected = scripted([look({ connected: false })]).hands;
  const stale: DropdownHands<string> = { ...disconnected, look: () => Promise.reject(new DropdownGoneError()) };
  for (const hands of [disconnected, stale]) {
    const hold = async () => ({ hands });
    await assert.rejects(selectAriaOption(l, "Bug report", kindOf, hold, Date.now() + 1000, 5000), (err) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.equal(err.detail, GONE);
      return true;
    });
    await assert.rejects(readAriaOptions(l, { notASelect: "" }, kindOf, hold, true, Date.now() + 1000, 5000), (err) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.equal(err.detail, GONE);
      return true;
    });
  }
});

test("long labels and option texts are clipped in failures", () => {
  const long = "x".repeat(300);
  assert.equal(clip("Bug report"), "Bug report");
  assert.ok(clip(long).length < 100);
  const failure = choiceFailure(look({ options: [option(long)] }), started, long);
  assert.ok(failure.length < 200, failure);
});

test("readOptions: a closed combobox is opened, read once settled, and closed with Escape; an open one only read", async () => {
  const open = look({ expanded: true, options: shown });
  const { hands, did } = scripted([look(), look(), open, open, look()]);
  assert.deepEqual(await readOptions(hands, true, 1000), asSelectOptions(open));
  assert.deepEqual(did, ["settle", "click", "settle", "Escape"]);
  // The page opens it while it settles (a search debounced on the typing, QA15 #1): read as it is, not clicked or closed.
  const byThePage = scripted([look(), open]);
  assert.deepEqual(await readOptions(byThePage.hands, true, 1000), asSelectOptions(open));
  assert.deepEqual(byThePage.did, ["settle"]);
  // The wait before opening is bounded on its own, so a page that never settles leaves the step time to open it.
  const asked: number[] = [];
  const busy = scripted([look(), look(), open, open, look()]);
  busy.hands.settle = async (ms) => void asked.push(ms);
  await readOptions(busy.hands, true, 5000);
  assert.equal(asked[0], SETTLE_BEFORE_OPENING_MS);
  assert.ok(asked[1] > SETTLE_BEFORE_OPENING_MS, "once open, it settles in the time left");
  const already = scripted([open]);
  assert.deepEqual(await readOptions(already.hands, true, 1000), asSelectOptions(open));
  assert.deepEqual(already.did, []);
  const unasked = scripted([look()]);
  assert.deepEqual(await readOptions(unasked.hands, false, 1000), asSelectOptions(look()));
  assert.deepEqual(unasked.did, [], "without show nothing is clicked");
});

test("a native drop-down's failure says an option is disabled or hidden, its label written with any spacing", () => {
  const labels = ["Question", "Complaint (disabled)"];
  const offered = 'it offers "Question", "Complaint (disabled)"';
  assert.equal(nativeOptionFailure("Complaint", labels, "missing"), `the option "Complaint" is disabled; ${offered}`);
  // The page's labels are read with their spaces folded: a label written with others is the same option.
  assert.equal(
    nativeOptionFailure("  Complaint ", labels, "missing"),
    `the option "  Complaint " is disabled; ${offered}`,
  );
  assert.equal(nativeOptionFailure("Praise", labels, "missing"), offered);
  assert.equal(
    nativeOptionFailure("Choose", labels, "hidden"),
    `the option "Choose" is hidden: no user can choose it; ${offered}`,
  );
  // Disabled or hidden: the page keeps an option it has from use (a product defect); not offered: the step's label.
  assert.equal(nativeOptionKept("Complaint", labels, "missing"), true);
  assert.equal(nativeOptionKept("  Complaint ", labels, "missing"), true);
  assert.equal(nativeOptionKept("Choose", labels, "hidden"), true);
  assert.equal(nativeOptionKept("Praise", labels, "missing"), false);
});

test("an ARIA drop-down kept from use (disabled, an option disabled or taking no click) is the page's; one not offered is not", () => {
  assert.equal(choiceKept(look({ enabled: false })), true);
  assert.equal(choiceKept(look({ options: shown, match: "disabled" })), true);
  assert.equal(choiceKept(look({ options: shown, match: "enabled" })), true);
  assert.equal(choiceKept(look({ options: shown })), false);
  assert.equal(choiceKept(look({ expanded: true, emptyPopup: "" })), false);
});
