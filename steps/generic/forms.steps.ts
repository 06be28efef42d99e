// Generic steps: assertions about form fields a user fills in: a drop-down's options and the one chosen (native or ARIA), native validity.
import { Then, type DataTable } from "@cucumber/cucumber";
import {
  describeLocator,
  NotADropdownError,
  type FieldValidity,
  type Locator,
  type SelectOptions,
} from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { docPath } from "../../src/core/package";
import { eventually, probeSays } from "../support/eventually";
import { waitsAs, type Waits } from "../support/settle";
import { excerpt, sameText } from "../../src/core/text-quote";
import type { SignoffWorld } from "../support/world";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

const quoted = (labels: readonly string[]) => labels.map((l) => `"${l}"`).join(", ");

/** A drop-down's options as optionsOf reads them: a native <select>'s or an ARIA listbox's, or an ARIA combobox's. */
type Dropdown = Exclude<SelectOptions, { notASelect: string }>;

/** The labels of the options a drop-down shows in its list; null for a combobox whose popup is not shown. */
function offered(d: Dropdown): string[] | null {
  const options = "combobox" in d ? d.combobox.options : d.options;
  return options && options.filter((o) => !o.hidden).map((o) => o.label);
}

/**
 * Polls a drop-down's options until `holds`; with `show`, a closed ARIA combobox is opened to read them and closed
 * again (optionsOf). An element that is no drop-down ends the wait at once: a test defect naming what it is. Waits
 * as `waits` says (waitsAs).
 */
async function expectOptions(
  world: SignoffWorld,
  el: Locator,
  show: boolean,
  holds: (d: Dropdown) => boolean,
  describe: (d: Dropdown | undefined, error?: unknown) => string,
  waits: Waits = "plain",
): Promise<void> {
  const last = await eventually(
    () => world.session.optionsOf(el, { show }),
    (o) => "notASelect" in o || holds(o),
    (o, e) => describe(o && !("notASelect" in o) ? o : undefined, e),
    wait(world),
    waitsAs(world, waits),
  );
  if ("notASelect" in last)
    throw new NotADropdownError(
      el,
      last.notASelect,
      `it has no options to read (see ${docPath("steps.md")}, "{element} should have the selected option {string}")`,
    );
}

/** What a drop-down has chosen, for a failure: the options selected, or what a combobox shows. */
function chosen(d: Dropdown): string {
  // A select-only combobox's text may be long (a description beside the choice): quoted in part.
  if ("combobox" in d) return d.combobox.shows ? `it shows ${excerpt(d.combobox.shows)}` : "it shows no option";
  const selected = d.options.filter((x) => x.selected).map((x) => x.label);
  if (selected.length === 0) return "no option is selected";
  return `the selected option${selected.length > 1 ? "s are" : " is"} ${quoted(selected)}`;
}

Then(
  "{element} should have the selected option {string}",
  async function (this: SignoffWorld, el: Locator, label: string) {
    await expectOptions(
      this,
      el,
      false,
      // A combobox has chosen what it shows; a <select> or a listbox the options selected.
      (d) =>
        "combobox" in d
          ? sameText(d.combobox.shows, label)
          : d.options.some((o) => o.selected && sameText(o.label, label)),
      (d, e) => {
        const expected = `expected ${describeLocator(el)} to have the selected option "${label}", `;
        if (!d) return expected + (e ? probeSays(e) : "it has no options to read");
        // Which options it has is known when they show: a closed combobox's are not read (that would open it).
        const options = "combobox" in d ? d.combobox.options : d.options;
        return options === null || options.some((o) => sameText(o.label, label))
          ? expected + chosen(d)
          : `${expected}${chosen(d)}, and it offers no option "${label}" (it offers ${quoted(offered(d) ?? []) || "none"})`;
      },
      "held",
    );
  },
);

Then("{element} should offer these options:", async function (this: SignoffWorld, el: Locator, table: DataTable) {
  const rows = table.raw();
  if (rows.some((r) => r.length !== 1))
    throw new TestDefinitionError(
      `"${describeLocator(el)} should offer these options:" takes a table of one column, one option per row; this one has ${rows[0].length} columns`,
    );
  const wanted = rows.map((r) => r[0]);
  await expectOptions(
    this,
    el,
    true,
    (d) => {
      const shown = offered(d);
      return shown !== null && shown.length === wanted.length && shown.every((l, i) => sameText(l, wanted[i]));
    },
    (d, e) => {
      const expected = `expected ${describeLocator(el)} to offer ${quoted(wanted)}, in this order; `;
      if (!d) return expected + (e ? probeSays(e) : "it has no options to read");
      const shown = offered(d);
      if (shown === null) return expected + ("combobox" in d ? d.combobox.notShown : "its options do not show");
      return `${expected}it offers ${quoted(shown) || "none"}${listDifference(wanted, shown)}`;
    },
  );
});

/** What differs between the options expected and those offered: the ones missing, the ones not expected, or the order. */
function listDifference(wanted: readonly string[], shown: readonly string[]): string {
  const has = (list: readonly string[], l: string) => list.some((x) => sameText(x, l));
  const missing = wanted.filter((l) => !has(shown, l));
  const extra = shown.filter((l) => !has(wanted, l));
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${quoted(missing)}`);
  if (extra.length > 0) parts.push(`not expected ${quoted(extra)}`);
  if (parts.length === 0)
    parts.push(shown.length === wanted.length ? "the same options in another order" : "some twice");
  return ` (${parts.join("; ")})`;
}

/** A field's (or form's) validity, as validityOf reads it. */
type Validity = Extract<FieldValidity, { valid: boolean }>;

/**
 * Polls the element's validity (native, or the page's aria-invalid) until it is `valid`. "Valid" is a negative check
 * (nothing fails): an app that checks a field after a pause or a request sets its verdict later, so it counts once
 * the page has settled. An element nothing judges (no field, no widget role, no aria-invalid) ends the wait at once,
 * a test defect saying what to name.
 */
async function expectValidity(world: SignoffWorld, el: Locator, valid: boolean): Promise<void> {
  const words = valid ? "valid" : "invalid";
  const last = await eventually(
    () => world.session.validityOf(el),
    (v) => "notAField" in v || v.valid === valid,
    (v, e) => {
      const expected = `expected ${describeLocator(el)} to be ${words}, `;
      if (!v || "notAField" in v) return expected + (e ? probeSays(e) : "its validity could not be read");
      return expected + describeValidity(v);
    },
    wait(world),
    waitsAs(world, valid ? "negative" : "plain"),
  );
  if ("notAField" in last)
    throw new TestDefinitionError(
      `${describeLocator(el)} is ${last.notAField}: no form field, no widget role and no aria-invalid, so nothing ` +
        `says whether it is valid; name the field itself (see ${docPath("steps.md")}, "{element} should be invalid")`,
    );
}

function describeValidity(v: Validity): string {
  if (!v.valid) return `it is invalid${v.failing.length ? `: ${v.failing.join(", ")}` : ""}`;
  return `it is valid${v.notValidated ? ` (the browser does not validate it: ${v.notValidated})` : ""}`;
}

Then("{element} should be invalid", async function (this: SignoffWorld, el: Locator) {
  await expectValidity(this, el, false);
});

Then("{element} should be valid", async function (this: SignoffWorld, el: Locator) {
  await expectValidity(this, el, true);
});
