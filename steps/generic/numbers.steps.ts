// Generic steps: remember a number shown on the page and assert how it changed.
import { Then, When } from "@cucumber/cucumber";
import { describeLocator, type Locator } from "../../src/browser/session";
import { eventually } from "../support/eventually";
import { columnsFound, refuseUnknownColumn } from "../support/columns";
import { quotingThePage } from "../support/page-quote";
import { readNumber, shownNumber } from "../support/read-number";
import { settleOf } from "../support/settle";
import type { SignoffWorld } from "../support/world";
import { numberIn } from "../../src/core/numbers";
import { SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";

const readShownNumber = (world: SignoffWorld, el: Locator) =>
  readNumber(world.session, el, world.parameters.timeouts.actionMs);

function recall(world: SignoffWorld, name: string): number {
  const n = world.remembered.get(name);
  if (n === undefined) throw new TestDefinitionError(`no number remembered as "${name}" in this scenario`);
  return n;
}

When("I remember the number in {element} as {string}", async function (this: SignoffWorld, el: Locator, name: string) {
  this.remembered.set(name, await readShownNumber(this, el));
});

When("I remember the number in {element}", async function (this: SignoffWorld, el: Locator) {
  this.remembered.set(describeLocator(el), await readShownNumber(this, el));
});

/** `a + b` without the binary fraction's dust: 12.3 + 1 is 13.3, as the page shows it, not 13.299999999999999. */
function plus(a: number, b: number): number {
  const decimals = (x: number) => (String(x).split(".")[1] ?? "").length;
  return Number((a + b).toFixed(Math.min(Math.max(decimals(a), decimals(b)), 20)));
}

/** `unchanged`: a negative check, whose passing answer counts once the page has settled (it may still change). */
async function expectNumber(
  world: SignoffWorld,
  el: Locator,
  expected: number,
  how: string,
  unchanged = false,
): Promise<void> {
  await eventually(
    async () => numberIn(await world.session.textOf(el)),
    (n) => n === expected,
    (n, e) => `expected ${describeLocator(el)} to show ${expected} (${how}), it shows ${shownNumber(n, e)}`,
    world.parameters.timeouts.actionMs,
    { settle: unchanged ? settleOf(world) : undefined },
  );
}

Then(
  "the number in {element} should have increased by {int}",
  async function (this: SignoffWorld, el: Locator, by: number) {
    const before = recall(this, describeLocator(el));
    await expectNumber(this, el, plus(before, by), `${before} + ${by}`);
  },
);

Then("the number in {element} should not have changed", async function (this: SignoffWorld, el: Locator) {
  const before = recall(this, describeLocator(el));
  await expectNumber(this, el, before, "unchanged", true);
});

Then(
  "the number in {element} should be {string} plus {int}",
  async function (this: SignoffWorld, el: Locator, name: string, by: number) {
    const before = recall(this, name);
    await expectNumber(this, el, plus(before, by), `"${name}" (${before}) + ${by}`);
  },
);

Then("the number in {element} should be at least {int}", async function (this: SignoffWorld, el: Locator, min: number) {
  await eventually(
    async () => numberIn(await this.session.textOf(el)),
    (n) => n !== undefined && n >= min,
    (n, e) => `expected ${describeLocator(el)} to show at least ${min}, it shows ${shownNumber(n, e)}`,
    this.parameters.timeouts.actionMs,
  );
});

/**
 * Waits until the number shown in `el` equals what `count` finds of `of` (both read afresh each time), read once the
 * page has settled. A count of 0 counts only when the columns `of` names are there: cells of a misspelt column are 0
 * on any page.
 */
async function expectCount(
  world: SignoffWorld,
  el: Locator,
  of: Locator,
  what: string,
  count: () => Promise<number>,
): Promise<void> {
  let expected = 0;
  let said: string | undefined;
  // The page quoted on failure: what it shows beside the count ("0 shown", "Could not load products").
  await quotingThePage(
    world.session,
    of,
    () => said,
    eventually(
      async () => {
        expected = await count();
        return numberIn(await world.session.textOf(el));
      },
      (n) => n === expected,
      (n, e) =>
        (said = `expected ${describeLocator(el)} to show the count of ${what} (${expected}), it shows ${shownNumber(n, e)}`),
      world.parameters.timeouts.actionMs,
      // Both counts are of a page that may still be loading them ("0 shown" beside no rows yet): they count once it
      // has settled, and a wrong answer after that is waited on to the end (either may still be on its way).
      { settle: settleOf(world), keepWaiting: true },
    ),
  );
  if (expected === 0) await refuseUnknownColumn(world, of);
  else await columnsFound(world, of);
}

/** How many of the matches are (or are not) checked. */
async function countChecked(world: SignoffWorld, of: Locator, checked: boolean): Promise<number> {
  const n = await world.session.count(of);
  let found = 0;
  for (let i = 0; i < n; i++) if ((await world.session.stateOf({ ...of, nth: i }, "checked")) === checked) found++;
  return found;
}

Then(
  "the number in {element} should equal the count of {elements}",
  async function (this: SignoffWorld, el: Locator, of: Locator) {
    await expectCount(this, el, of, describeLocator(of), () => this.session.count(of));
  },
);

Then(
  "the number in {element} should equal the count of {elements} that are checked",
  async function (this: SignoffWorld, el: Locator, of: Locator) {
    await expectCount(this, el, of, `${describeLocator(of)} that are checked`, () => countChecked(this, of, true));
  },
);

Then(
  "the number in {element} should equal the count of {elements} that are not checked",
  async function (this: SignoffWorld, el: Locator, of: Locator) {
    await expectCount(this, el, of, `${describeLocator(of)} that are not checked`, () => countChecked(this, of, false));
  },
);

Then("the number in {element} should never decrease", async function (this: SignoffWorld, el: Locator) {
  // The lowest value it may show next is the one it showed last time this step ran in the scenario.
  const key = `never decrease: ${describeLocator(el)}`;
  const floor = this.remembered.get(key);
  // Read once the page has settled: a placeholder the page's script replaces ("0" before its fetch answers) would
  // pass every time and hide a number that really went down.
  const n = await readNumber(this.session, el, this.parameters.timeouts.actionMs, settleOf(this));
  if (floor !== undefined && n < floor)
    throw new SignoffAssertionError(`expected ${describeLocator(el)} never to decrease: it showed ${floor}, now ${n}`);
  this.remembered.set(key, n);
});
