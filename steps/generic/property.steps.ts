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
import { PropertyInputError } from "../../src/properties/errors";
import { PROPERTY_RUNS_MEDIA_TYPE } from "../../src/results/read-messages";
import { parseElementPhrase } from "../support/element-phrase";
import type { SignoffWorld } from "../support/world";

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
