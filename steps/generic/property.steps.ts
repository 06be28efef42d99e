// Generic property steps: fast-check underneath, the property described in the step and its table.
// Each runs many generated cases (config properties.runs, @runs:N), prints its seed, tries stored
// counterexamples first, and on failure reports the shrunk case with a replay command.
import { Before, BeforeStep, Then, type DataTable } from "@cucumber/cucumber";
import * as allure from "allure-js-commons";
import { describeLocator as describe, type Locator } from "../../src/browser/session";
import { actionFromSpec, actionSequences, parseCounterPlan, replayPathOf, runActions, showActions, specsOf, type ActionSpec, type CommandList } from "../../src/properties/counter-model";
import { checkRequest, decodeRequest, parseRequestShape, showRequest } from "../../src/properties/http-shapes";
import { runProperty, type PropertyEnv, type PropertyResult } from "../../src/properties/runner";
import { resolveSettings } from "../../src/properties/settings";
import { openStore } from "../../src/properties/store";
import { checkTyping, parseInputPlan, showText } from "../../src/properties/text-input";
import { CheckFailed, messageOf, PropertyInputError } from "../../src/properties/errors";
import { decodeSequence, instanceArbitrary, parseSequencePlan, sequenceArbitrary, showSequence, stepTexts, type ActionInstance, type SequencePlan } from "../../src/properties/step-sequences";
import { PROPERTY_RUNS_MEDIA_TYPE } from "../../src/results/read-messages";
import { parseElementPhrase } from "../support/element-phrase";
import { matchStep, runStep, stepArguments, type MatchedStep } from "../support/step-registry";
import type { SignoffWorld } from "../support/world";
import * as fc from "fast-check";

interface ScenarioInfo {
  uri: string;
  name: string;
  line?: number;
  tags: string[];
  step?: string;
}

/** What property steps need to know about the running scenario (set by the hooks below). */
const scenarios = new WeakMap<object, ScenarioInfo>();

function lineOf(gherkinDocument: any, astNodeIds: readonly string[]): number | undefined {
  const find = (children: any[]): number | undefined => {
    for (const c of children ?? []) {
      if (c.rule) {
        const inRule = find(c.rule.children);
        if (inRule !== undefined) return inRule;
      }
      const sc = c.scenario;
      if (sc && sc.id === astNodeIds[0]) {
        for (const ex of sc.examples ?? []) {
          const row = (ex.tableBody ?? []).find((r: any) => r.id === astNodeIds[1]);
          if (row) return row.location.line;
        }
        return sc.location.line;
      }
    }
    return undefined;
  };
  return find(gherkinDocument?.feature?.children ?? []);
}

// Property scenarios run alone under --parallel: see steps/support/parallel.ts.

Before({ name: "property steps: note the scenario" }, function (this: SignoffWorld, { pickle, gherkinDocument }) {
  scenarios.set(this, {
    uri: pickle.uri,
    name: pickle.name,
    line: lineOf(gherkinDocument, pickle.astNodeIds),
    tags: pickle.tags.map((t) => t.name),
  });
});

BeforeStep(function (this: SignoffWorld, { pickleStep }) {
  const info = scenarios.get(this);
  if (info) info.step = pickleStep.text;
});

function propertyEnv(world: SignoffWorld): { env: PropertyEnv; key: string } {
  const info = scenarios.get(world) ?? { uri: "(unknown feature)", name: "(unknown scenario)", tags: [] };
  const settings = resolveSettings(world.parameters.properties, info.tags);
  const target = world.parameters.target?.name ?? "(no target)";
  const env: PropertyEnv = {
    settings,
    store: openStore(),
    target,
    baseUrl: world.parameters.baseUrl,
    rerunCommand: `signoff run ${info.uri}${info.line ? `:${info.line}` : ""} --targets ${target}`,
    graceMs: (world.parameters.timeouts?.navigationMs ?? 15_000) + 5_000,
    log: (line) => {
      world.log(line);
      process.stdout.write(`\n${line.split("\n").map((l) => `  ${l}`).join("\n")}\n`);
    },
    attach: async (name, text) => {
      await allure.attachment(name, text, "text/plain");
    },
  };
  void allure.parameter("property seed", String(settings.seed), { excluded: true });
  return { env, key: `${info.uri} › ${info.name} › ${info.step ?? "(step)"}` };
}

/** Tells the gate how many cases a passing property ran (policy: properties.minRuns for @property scenarios). */
function reportRuns(world: SignoffWorld, r: PropertyResult): void {
  world.attach(JSON.stringify({ runs: r.runs + r.storedTried, generated: r.runs, stored: r.storedTried, seed: r.seed }), PROPERTY_RUNS_MEDIA_TYPE);
}

function timeouts(world: SignoffWorld) {
  return { actionMs: world.parameters.timeouts?.actionMs ?? 5_000, navigationMs: world.parameters.timeouts?.navigationMs ?? 15_000 };
}

// The step's own time budget (plus grace) bounds it; Cucumber's step timeout would cut it short.
const NO_STEP_TIMEOUT = { timeout: -1 };

Then(
  "the number in {element} should count every page load of {string} under any sequence of these actions:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, element: Locator, page: string, table: DataTable) {
    const plan = parseCounterPlan(table.raw());
    const { env, key } = propertyEnv(this);
    const world = this;
    const lastSeen: { value?: number } = {};
    const visitors = {
      session: () => world.session,
      newVisitor: async () => {
        await world.closeSession();
        await world.openSession();
      },
      resolveUrl: (p: string) => world.resolveUrl(p),
      requestTimeoutMs: timeouts(world).navigationMs,
    };
    const result = await runProperty<CommandList>(
      {
        key,
        title: `the number in ${describe(element)} counts every page load of "${page}" under up to ${plan.maxActions} of: ${plan.actions.join(", ")}`,
        arbitrary: (replayPath) => actionSequences(plan, replayPath),
        check: (cmds) => runActions(cmds, { visitors, element, page, otherPage: plan.otherPage, lastSeen }),
        encode: (cmds) => specsOf(cmds),
        decode: (json) => {
          if (!Array.isArray(json)) throw new Error("not a list of actions");
          return (json as ActionSpec[]).map((a) => actionFromSpec(a, plan));
        },
        show: (cmds) => showActions(specsOf(cmds)),
        replayPathOf,
      },
      env,
    );
    reportRuns(this, result);
  },
);

Then(
  "staging should answer any request of these shapes without a 5xx, a hang or a leak:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, table: DataTable) {
    const shape = parseRequestShape(table.raw());
    const { env, key } = propertyEnv(this);
    const baseUrl = this.parameters.baseUrl;
    const result = await runProperty(
      {
        key,
        title: `any request (${shape.summary}) is answered below 500 within ${shape.timeLimitMs} ms with no stack trace or internal path`,
        arbitrary: () => shape.arbitrary,
        check: (r) => checkRequest(baseUrl, r, shape.timeLimitMs),
        encode: (r) => r,
        decode: decodeRequest,
        show: showRequest,
      },
      env,
    );
    reportRuns(this, result);
  },
);

Then(
  "any text of this shape typed into {element} should leave the page usable:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, field: Locator, table: DataTable) {
    const plan = parseInputPlan(table.raw(), parseElementPhrase);
    const startUrl = await this.session.url();
    if (!/^https?:/.test(startUrl)) {
      throw new PropertyInputError(`open the page with the field first (e.g. Given I open "/feedback"); the browser is on ${startUrl}`);
    }
    const { env, key } = propertyEnv(this);
    const world = this;
    const result = await runProperty(
      {
        key,
        title: `${plan.textShape} typed into ${describe(field)}${plan.submit ? " and submitted" : ""} leaves the page usable`,
        arbitrary: () => plan.text,
        check: (text) => checkTyping(world.session, { startUrl, field, plan, settleMs: timeouts(world).actionMs }, text),
        encode: (text) => text,
        decode: (json) => {
          if (typeof json !== "string") throw new Error("not a text");
          return json;
        },
        show: showText,
      },
      env,
    );
    reportRuns(this, result);
  },
);

const SEQUENCE_STEP = "these checks should hold after any sequence of these actions:";

/** What the last run of a sequence did, for the Gherkin a failure prints: the actions that ran, the check that failed. */
const outcomes = new WeakMap<ActionInstance[], { ran: Set<number>; failedCheck?: string | null }>();

/** The locators among a step's arguments (its {element}s). */
function locatorsIn(args: unknown[]): Locator[] {
  return args.filter((a): a is Locator => typeof a === "object" && a !== null && typeof (a as { by?: unknown }).by === "string");
}

/**
 * Assertions (the checks, and any in an action) wait for the page to settle up to the table's `check
 * wait`, not the full action timeout: a failing one is paid for on every shrinking step. (The generic
 * assertions read the wait from the world's parameters, so it is lent there for the run.)
 */
async function withAssertionWait<R>(world: SignoffWorld, ms: number, fn: () => Promise<R>): Promise<R> {
  const params = world.parameters as { timeouts: SignoffWorld["parameters"]["timeouts"] };
  const saved = params.timeouts;
  params.timeouts = { ...saved, actionMs: ms };
  try {
    return await fn();
  } finally {
    params.timeouts = saved;
  }
}

/** Matches every row's step once before any run, so a typo is one input error, not a failed property. */
function matchPlan(plan: SequencePlan): void {
  const where = (what: string) => `the sequence property (${what})`;
  for (const s of plan.start) refuseProperty(matchStep(s, where("start")));
  for (const c of plan.checks) refuseProperty(matchStep(c, where("check")));
  for (const a of plan.actions) {
    const [sample] = fc.sample(instanceArbitrary(a), { numRuns: 1, seed: 0 });
    for (const t of stepTexts(plan, sample)) refuseProperty(matchStep(t, where(`action "${a.title}"`)));
  }
}

function refuseProperty(m: MatchedStep): void {
  if (String(m.definition.pattern) === SEQUENCE_STEP || m.definition.uri === __filename)
    throw new PropertyInputError(`"${m.text}" is a property step itself; the rows of a property are ordinary steps`);
}

async function runLine(world: SignoffWorld, text: string, what: string): Promise<void> {
  const step = matchStep(text, what);
  try {
    await runStep(step, world, await stepArguments(step, world));
  } catch (err) {
    if (err instanceof PropertyInputError) throw err;
    throw new CheckFailed(`${what}: "${text}" failed: ${messageOf(err)}`);
  }
}

Then(SEQUENCE_STEP, NO_STEP_TIMEOUT, async function (this: SignoffWorld, table: DataTable) {
  const plan = parseSequencePlan(table.raw());
  matchPlan(plan);
  const startUrl = await this.session.url();
  if (plan.start.length === 0 && !/^https?:/.test(startUrl))
    throw new PropertyInputError(`open the page first (e.g. Given I open "/"), or give | start | rows; the browser is on ${startUrl}`);
  const { env, key } = propertyEnv(this);
  const world = this;

  const checkAll = async (seq: ActionInstance[], after: string) => {
    for (const check of plan.checks) {
      try {
        await runLine(world, check, after);
      } catch (err) {
        const o = outcomes.get(seq);
        if (o) o.failedCheck = check;
        throw err;
      }
    }
  };

  const runCase = async (seq: ActionInstance[]) => {
    const outcome: { ran: Set<number>; failedCheck?: string | null } = { ran: new Set<number>() };
    outcomes.set(seq, outcome);
    // Every run starts as a new visitor on the start page: no state from the previous run.
    await world.closeSession();
    await world.openSession();
    world.remembered.clear();
    if (plan.start.length === 0) await world.session.goto(startUrl);
    for (const s of plan.start) await runLine(world, s, "start");
    await checkAll(seq, "before any action");
    for (const [i, inst] of seq.entries()) {
      const texts = stepTexts(plan, inst);
      const first = matchStep(texts[0], "action");
      const absent = [];
      for (const l of locatorsIn(await stepArguments(first, world))) if ((await world.session.count(l)) === 0) absent.push(describe(l));
      if (absent.length > 0) {
        if (plan.actions[inst.action].required) throw new CheckFailed(`action ${i + 1} "${texts[0]}" is required, but ${absent.join(" and ")} is not on the page`);
        continue; // not applicable now (e.g. "delete" on an empty list)
      }
      outcome.ran.add(i);
      try {
        for (const t of texts) await runLine(world, t, `action ${i + 1}`);
      } catch (err) {
        outcome.failedCheck = null; // it failed inside the action: the sequence ends there, no check after it
        throw err;
      }
      await checkAll(seq, `after action ${i + 1} ("${texts[0]}")`);
    }
  };

  const result = await runProperty<ActionInstance[]>(
    {
      key,
      title: `${plan.checks.join("; ")} — after any sequence of up to ${plan.maxActions} of: ${plan.actions.map((a) => a.title).join(" | ")}`,
      arbitrary: () => sequenceArbitrary(plan),
      check: (seq) => withAssertionWait(world, plan.checkWaitMs, () => runCase(seq)),
      encode: (seq) => seq,
      decode: (json) => decodeSequence(plan, json),
      show: (seq) => {
        const o = outcomes.get(seq);
        return showSequence(plan, seq, o?.ran, o?.failedCheck);
      },
    },
    env,
  );
  reportRuns(this, result);
});
