// Generic steps: assertions about form fields a user fills in: a drop-down's options and the one selected, native validity.
import { Then, type DataTable } from "@cucumber/cucumber";
import { describeLocator, type FieldValidity, type Locator, type SelectOptions } from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { docPath } from "../../src/core/package";
import { eventually, probeSays } from "../support/eventually";
import { settleOf } from "../support/settle";
import { sameText } from "../support/text";
import type { SignoffWorld } from "../support/world";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

const quoted = (labels: readonly string[]) => labels.map((l) => `"${l}"`).join(", ");

/** A native drop-down's options, as optionsOf reads them. */
type Dropdown = Extract<SelectOptions, { options: unknown }>;

/** The labels of the options a drop-down shows in its list. */
const offered = (d: Dropdown) => d.options.filter((o) => !o.hidden).map((o) => o.label);

/**
 * Polls a drop-down's options until `holds`. An element that is no native drop-down ends the wait at once: an ARIA
 * combobox's options are elements of their own, which this step cannot read (a test defect, saying what to write).
 */
async function expectOptions(
  world: SignoffWorld,
  el: Locator,
  holds: (d: Dropdown) => boolean,
  describe: (d: Dropdown | undefined, error?: unknown) => string,
): Promise<void> {
  const last = await eventually(
    () => world.session.optionsOf(el),
    (o) => "notASelect" in o || holds(o),
    (o, e) => describe(o && "options" in o ? o : undefined, e),
    wait(world),
  );
  if ("notASelect" in last)
    throw new TestDefinitionError(
      `${describeLocator(el)} is ${last.notASelect}, not a native drop-down (<select>): its options are elements of ` +
        `their own; check them as elements, e.g. the "…" option should have the attribute "aria-selected" with the ` +
        `value "true" (see ${docPath("steps.md")}, "{element} should have the selected option {string}")`,
    );
}

Then(
  "{element} should have the selected option {string}",
  async function (this: SignoffWorld, el: Locator, label: string) {
    await expectOptions(
      this,
      el,
      ({ options }) => options.some((o) => o.selected && sameText(o.label, label)),
      (o, e) => {
        const expected = `expected ${describeLocator(el)} to have the selected option "${label}", `;
        if (!o) return expected + (e ? probeSays(e) : "it has no options to read");
        const selected = o.options.filter((x) => x.selected).map((x) => x.label);
        const shows =
          selected.length === 0
            ? "no option is selected"
            : `the selected option${selected.length > 1 ? "s are" : " is"} ${quoted(selected)}`;
        return o.options.some((x) => sameText(x.label, label))
          ? expected + shows
          : `${expected}${shows}, and it offers no option "${label}" (it offers ${quoted(offered(o)) || "none"})`;
      },
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
    (o) => {
      const shown = offered(o);
      return shown.length === wanted.length && shown.every((l, i) => sameText(l, wanted[i]));
    },
    (o, e) => {
      const expected = `expected ${describeLocator(el)} to offer ${quoted(wanted)}, in this order; `;
      if (!o) return expected + (e ? probeSays(e) : "it has no options to read");
      const shown = offered(o);
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
 * Polls the element's native validity until it is `valid`. "Valid" is a negative check (no constraint fails): an app
 * that checks a field after a pause or a request sets its verdict later, so it counts once the page has settled. An
 * element the constraint validation API does not judge ends the wait at once, a test defect saying what to write.
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
    { settle: valid ? settleOf(world) : undefined },
  );
  if ("notAField" in last)
    throw new TestDefinitionError(
      `${describeLocator(el)} is ${last.notAField}, which native form validation does not judge; a field that marks ` +
        `itself invalid with aria-invalid is checked with: … should have the attribute "aria-invalid" with the ` +
        `value "true" (see ${docPath("steps.md")}, "{element} should be invalid")`,
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
