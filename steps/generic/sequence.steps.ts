// The sequence property: random sequences of ordinary steps (run through Cucumber's own definitions), checks after every action, an optional model of a list's items.
import { Then, type DataTable } from "@cucumber/cucumber";
import * as fc from "fast-check";
import { describeLocator as describe, describeSettle, type Locator } from "../../src/browser/session";
import { applyEffect, compareWithModel, entryOf } from "../../src/properties/collection-model";
import {
  CheckFailed,
  isProductFailure,
  messageOf,
  PropertyFailure,
  PropertyInputError,
} from "../../src/properties/errors";
import { restate } from "../../src/core/user-stack";
import { runProperty } from "../../src/properties/runner";
import {
  decodeSequence,
  instanceArbitrary,
  parseSequencePlan,
  raisedWaitRow,
  resolveAction,
  sequenceArbitrary,
  showSequence,
  stepTexts,
  waitWords,
  wholeAction,
  type ActionInstance,
  type SequenceOutcome,
  type SequencePlan,
} from "../../src/properties/step-sequences";
import { parseElementsPhrase } from "../../src/core/elements-phrase";
import { NO_STEP_TIMEOUT, propertyEnv, reportRuns } from "../support/property-env";
import { matchStep, runStep, stepArguments, type MatchedStep } from "../support/step-registry";
import type { SignoffWorld } from "../support/world";
import { pageSettled } from "../support/settle";
import { LIST_CHANGING, pageItems } from "../support/page-items";
import { withAssertionWait } from "../support/assertion-wait";
import { docPath } from "../../src/core/package";

const SEQUENCE_STEP = "these checks should hold after any sequence of these actions:";

/** What the last run of each sequence did, for the Gherkin a failure prints (fast-check hands the same array to show). */
const outcomes = new WeakMap<ActionInstance[], SequenceOutcome>();

/** The locators among a step's arguments (its {element}s). */
function locatorsIn(args: unknown[]): Locator[] {
  return args.filter(
    (a): a is Locator => typeof a === "object" && a !== null && typeof (a as { by?: unknown }).by === "string",
  );
}

function refuseProperty(m: MatchedStep): void {
  if (String(m.definition.pattern) === SEQUENCE_STEP || /property\.steps\.[jt]s$/.test(m.definition.uri))
    throw new PropertyInputError(`"${m.text}" is a property step itself; the rows of a property are ordinary steps`);
}

/** Matches every row's step once before any run, so a typo is one input error, not a failed property. */
function matchPlan(plan: SequencePlan): void {
  const where = (what: string) => `the sequence property (${what})`;
  for (const s of plan.start) refuseProperty(matchStep(s, where("start")));
  for (const c of plan.checks) refuseProperty(matchStep(c, where("check")));
  for (const a of plan.actions) {
    const [sample] = fc.sample(instanceArbitrary(a), { numRuns: 1, seed: 0 });
    for (const t of stepTexts(plan, sample)) refuseProperty(matchStep(t, where(`action in row ${a.row}`)));
  }
  if (plan.items !== undefined) {
    try {
      parseElementsPhrase(plan.items);
    } catch (err) {
      throw new PropertyInputError(`the sequence property (items): ${messageOf(err)}`);
    }
  }
}

/**
 * Runs one row's step. Its failure is the product's answer to the sequence (a CheckFailed), unless its type says the
 * environment or the test failed: that error goes on, type intact, naming the row, and ends the property.
 */
async function runLine(world: SignoffWorld, text: string, what: string): Promise<void> {
  try {
    await runRow(world, text, what);
  } catch (err) {
    if (err instanceof PropertyInputError) throw err;
    if (err instanceof Error && !isProductFailure(err)) throw fromRow(err, what, text);
    throw new CheckFailed(`${what}: "${text}" failed: ${messageOf(err)}`);
  }
}

/**
 * A start row: its failure keeps its type and says which row, as the step would in an ordinary scenario's Given (no
 * value of the property's was used yet: the runner stops the property with it, no counterexample).
 */
async function runStartLine(world: SignoffWorld, text: string): Promise<void> {
  try {
    await runRow(world, text, "start");
  } catch (err) {
    if (err instanceof PropertyInputError || !(err instanceof Error)) throw err;
    throw fromRow(err, "start", text);
  }
}

/** A row's step, run as Cucumber would run it. */
async function runRow(world: SignoffWorld, text: string, what: string): Promise<void> {
  const step = matchStep(text, what);
  await runStep(step, world, await stepArguments(step, world));
}

/** A row's error, its type intact, naming the row. */
function fromRow(err: Error, what: string, text: string): Error {
  return restate(err, `${err.message.split("\n")[0]} (${what}: "${text}")`);
}

/**
 * The runs of one property, one at a time: each a new visitor on the start page, then each applicable action
 * followed by every check (and the model).
 */
class SequenceRuns {
  private model: string[] = [];
  /** The current run's: made new by `start`, which the property runner calls right before each run's check. */
  outcome: SequenceOutcome = { ran: new Map() };
  /** Actions that ran, over every run. */
  actionsRun = 0;
  /** Runs that ran at least one action: only they count as runs of the property (reportRuns). */
  runsWithAction = 0;
  /** Whether the last run ran an action: one that did not is no run of the property (PropertySpec.counts). */
  lastRunActed = false;
  /** The action rows that ran at least once. */
  private readonly ranRows = new Set<number>();
  /** Whether a run's start (its checks included) has passed: a fresh browser is then no likely cause of a failing one. */
  private startPassed = false;
  /** Why each action row was skipped when it was (its element hidden, not on the page…), for a property that ran none. */
  private readonly skipped = new Map<number, Set<string>>();

  constructor(
    private readonly world: SignoffWorld,
    private readonly plan: SequencePlan,
    private readonly startUrl: string,
    private readonly items: Locator | undefined,
  ) {}

  /**
   * A run's start: a new visitor on the start page (no state from the previous run), its items read, and the checks
   * before any action. Those checks are the start's: no action of the run's sequence ran yet, so their failure is no
   * counterexample of it (the property runner stops the property with it, storing nothing).
   */
  async start(): Promise<void> {
    const { world, plan } = this;
    this.outcome = { ran: new Map() };
    await world.closeSession();
    await world.openSession();
    world.remembered.clear();
    if (plan.start.length === 0) await world.session.goto(this.startUrl);
    for (const s of plan.start) await runStartLine(world, s);
    if (this.items) this.model = (await this.startItems(this.items)).map(entryOf);
    // Assertions (the checks, and any in an action) wait up to the table's `check wait`, not the action timeout: a
    // failing one is paid for on every shrinking step.
    await withAssertionWait(world, plan.checkWaitMs, () => this.startChecks());
    this.startPassed = true;
  }

  /** The run after its start: each action, and the checks after it. */
  async run(seq: ActionInstance[]): Promise<void> {
    const before = this.actionsRun;
    for (const [i, inst] of seq.entries()) await this.act(i, inst);
    this.lastRunActed = this.actionsRun > before;
    if (this.lastRunActed) this.runsWithAction++;
  }

  /**
   * A property whose runs all passed without running one action checked only the start page: it says nothing
   * about the actions, so it does not pass. The error names each action and why it was skipped.
   */
  refuseNoAction(runs: number): void {
    if (this.actionsRun > 0) return;
    const rows = this.plan.actions.map((a, i) => {
      const why = [...(this.skipped.get(i) ?? [])];
      return `  ${a.title}: ${why.length > 0 ? `skipped, ${why.join("; ")}` : "never drawn"}`;
    });
    throw new PropertyFailure(
      `the sequence property ran no action in ${runs} run(s): only the start page was checked, so it proves nothing ` +
        `about the actions (an action whose element is hidden, disabled or not on the page is skipped):\n${rows.join("\n")}`,
    );
  }

  /**
   * The actions of a passing property that never ran, each with why it was skipped: the property says nothing about
   * them (a button the page always hides or disables passes unseen as long as another action runs).
   */
  neverRan(): string[] {
    return this.plan.actions.flatMap((a, i) => {
      if (this.ranRows.has(i)) return [];
      const why = [...(this.skipped.get(i) ?? [])];
      return [`${a.title}: ${why.length > 0 ? `skipped, ${why.join("; ")}` : "never drawn"}`];
    });
  }

  private skip(action: number, why: string): void {
    const set = this.skipped.get(action) ?? new Set<string>();
    set.add(why);
    this.skipped.set(action, set);
  }

  /**
   * The start page's items, read once it has settled: a page that loads them after it loads shows "Loading…"
   * first. Not settled within the check wait, its items cannot be told, and that is the table's wait, not a
   * counterexample.
   */
  private async startItems(items: Locator): Promise<string[]> {
    const wait = this.plan.checkWaitMs;
    const settled = await this.world.session.settle(wait);
    if (!settled.quiet)
      throw new PropertyInputError(
        `the sequence property could not read the start page's ${this.plan.items}: ${describeSettle(settled, wait)}; ` +
          `if the page is slow rather than stuck, raise the table's check wait (${waitWords(wait)}): ${raisedWaitRow(wait)}`,
      );
    const deadline = Date.now() + wait;
    for (;;) {
      const read = await pageItems(this.world.session, items);
      if (read) return read;
      if (Date.now() >= deadline)
        throw new PropertyInputError(
          `the sequence property could not read the start page's ${this.plan.items}: ${LIST_CHANGING}, for ` +
            `${waitWords(wait)}; if the page is slow rather than stuck, raise the table's check wait: ${raisedWaitRow(wait)}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async act(i: number, inst: ActionInstance): Promise<void> {
    const { world, plan } = this;
    const template = plan.actions[inst.action];
    const resolved = resolveAction(plan, inst, this.model);
    if (!resolved) return this.skip(inst.action, `no ${plan.items ?? "item"} to act on`); // {an item}, no items yet
    const first = matchStep(resolved.texts[0], "action");
    const absent: Locator[] = [];
    const disabled: Locator[] = [];
    for (const l of locatorsIn(await stepArguments(first, world)))
      if ((await world.session.count(l)) === 0) absent.push(l);
      // A control the page disables where it does not apply (a pager's "Previous" on page 1) is not applicable now,
      // as one it removes is: acting on it would fail a correct app.
      else if (!(await world.session.stateOf(l, "enabled"))) disabled.push(l);
    if (absent.length > 0 || disabled.length > 0) {
      if (template.required)
        throw new CheckFailed(
          `action ${i + 1} "${resolved.texts[0]}" is required, but ${[
            ...absent.map((l) => `${describe(l)} is not on the page`),
            ...disabled.map((l) => `${describe(l)} is disabled`),
          ].join(" and ")}`,
        );
      // Not applicable now (e.g. "delete" on an empty list). Whether hidden or absent is told for a property that
      // never ran an action: a button the page hides is a regression, a name no element has is the test's.
      for (const l of absent)
        this.skip(
          inst.action,
          `${describe(l)} ${"hidden" in (await world.session.shownText(l)) ? "is hidden" : "is not on the page"}`,
        );
      for (const l of disabled) this.skip(inst.action, `${describe(l)} is disabled`);
      return;
    }
    this.actionsRun++;
    this.ranRows.add(inst.action);
    this.outcome.ran.set(i, resolved.texts);
    try {
      for (const t of resolved.texts) await runLine(world, t, `action ${i + 1}`);
    } catch (err) {
      this.outcome.failedCheck = null; // it failed inside the action: the sequence ends there, no check after it
      throw err;
    }
    this.model = applyEffect(this.model, template.effect, resolved.named);
    await this.checkAll(`after action ${i + 1} ("${resolved.texts[0]}")`);
  }

  /**
   * The checks before any action. A failure keeps its type, as a Then right after the scenario's Givens would; until
   * one run's start has passed, it says that each run starts afresh: a check that held on the page the scenario's steps
   * left (a cart a Given filled, in cookies) fails on a new visitor.
   */
  private async startChecks(): Promise<void> {
    const what = "before any action";
    for (const check of this.plan.checks) {
      try {
        await runRow(this.world, check, what);
      } catch (err) {
        if (err instanceof PropertyInputError || !(err instanceof Error)) throw err;
        if (!isProductFailure(err)) throw fromRow(err, what, check);
        const first = err.message.split("\n")[0];
        throw restate(err, `${what}: "${check}" failed: ${first}${this.waitNote()}${this.freshStartNote()}`);
      }
    }
    if (this.items) await this.checkModel(what);
  }

  /** Why a check before any action can fail where the same check passed in the scenario, until a start has passed. */
  private freshStartNote(): string {
    if (this.startPassed) return "";
    const from =
      this.plan.start.length === 0
        ? `a fresh browser at ${this.startUrl}`
        : `a fresh browser and the table's \`start\` rows`;
    return (
      ` — each run starts from ${from}: the scenario's earlier steps are not repeated in a run; ` +
      `put those the checks need in \`start\` rows (${docPath("steps.md")})`
    );
  }

  private async checkAll(after: string): Promise<void> {
    for (const check of this.plan.checks) {
      try {
        await runLine(this.world, check, after);
      } catch (err) {
        this.outcome.failedCheck = check;
        if (err instanceof CheckFailed) throw new CheckFailed(`${err.message}${this.waitNote()}`);
        throw err;
      }
    }
    if (this.items) await this.checkModel(after);
  }

  /**
   * The page's items against the model, waiting for them to match like an assertion; a match counts once the page
   * has settled (an action that "changes nothing" may still change the list when its request is answered).
   */
  private async checkModel(after: string): Promise<void> {
    const deadline = Date.now() + this.world.parameters.timeouts.actionMs;
    let settled = false;
    for (;;) {
      const shown = await pageItems(this.world.session, this.items!);
      const difference = shown === undefined ? LIST_CHANGING : compareWithModel(shown, this.model);
      if (difference === undefined && settled) return;
      if (difference === undefined) {
        await pageSettled(this.world, Math.max(deadline - Date.now(), 0));
        settled = true;
        continue;
      }
      settled = false;
      if (Date.now() >= deadline) {
        this.outcome.modelNote = `${this.plan.items}: ${difference}`;
        throw new CheckFailed(`${after}: ${this.plan.items}: ${difference}${this.waitNote()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** What a failed check adds: the wait it had, and how to give a slow page more. */
  private waitNote(): string {
    const wait = this.plan.checkWaitMs;
    return ` (checks wait up to the table's check wait, ${waitWords(wait)}; for a page slower than that: ${raisedWaitRow(wait)})`;
  }
}

Then(SEQUENCE_STEP, NO_STEP_TIMEOUT, async function (this: SignoffWorld, table: DataTable) {
  const plan = parseSequencePlan(table.raw());
  matchPlan(plan);
  const startUrl = await this.session.url();
  if (plan.start.length === 0 && !/^https?:/.test(startUrl))
    throw new PropertyInputError(
      `open the page first (e.g. Given I open "/"), or give | start | rows; the browser is on ${startUrl}`,
    );
  const items = plan.items !== undefined ? parseElementsPhrase(plan.items) : undefined;
  const { env, key } = propertyEnv(this);
  const world = this;
  const runs = new SequenceRuns(world, plan, startUrl, items);
  const checks = [...plan.checks, ...(plan.items ? [`the model of ${plan.items}`] : [])];
  const result = await runProperty<ActionInstance[]>(
    {
      key,
      title: `${checks.join("; ")} — after any sequence of up to ${plan.maxActions} of: ${plan.actions.map(wholeAction).join(" | ")}`,
      arbitrary: () => sequenceArbitrary(plan),
      // Not under the check wait: the start rows are Givens, with the action timeout a Given has.
      start: () => runs.start(),
      check: (seq) => {
        outcomes.set(seq, runs.outcome);
        return withAssertionWait(world, plan.checkWaitMs, () => runs.run(seq));
      },
      encode: (seq) => seq,
      decode: (json) => decodeSequence(plan, json),
      show: (seq) => showSequence(plan, seq, outcomes.get(seq)),
      refusePass: (n) => runs.refuseNoAction(n),
      counts: { lastRun: () => runs.lastRunActed, otherwise: "ran no action" },
    },
    env,
  );
  const neverRan = runs.neverRan();
  if (neverRan.length > 0)
    env.log(
      `Note: ${neverRan.length} action(s) never ran, so the property says nothing of them:\n  ${neverRan.join("\n  ")}`,
    );
  // Runs that ran no action were replaced up to as many again as asked for; where even those ran none, fewer count.
  const wanted = env.settings.runs;
  if (runs.runsWithAction < wanted && env.settings.replay?.path === undefined)
    env.log(
      `Note: ${runs.runsWithAction} run(s) ran an action, of the ${wanted} asked for: a run whose every action was ` +
        `skipped where it did not apply was replaced by another, up to ${wanted} times, and still too few ran one; ` +
        `only those ${runs.runsWithAction} count toward the gate's properties.minRuns (make an action apply more ` +
        `often, or ask for more runs)`,
    );
  reportRuns(this, result, { runs: runs.runsWithAction, actionsRun: runs.actionsRun });
});
