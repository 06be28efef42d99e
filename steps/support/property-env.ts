// What every property step needs from the running scenario: its identity, settings, store, logging and the run count the gate reads.
import { Before, BeforeStep } from "@cucumber/cucumber";
import * as allure from "allure-js-commons";
import type { PropertyEnv, PropertyResult } from "../../src/properties/runner";
import { resolveSettings } from "../../src/properties/settings";
import { openStore } from "../../src/properties/store";
import { PROPERTY_RUNS_MEDIA_TYPE } from "../../src/core/results-model";
import { pickleLine } from "../../src/core/gherkin";
import { shellQuote } from "../../src/core/safe-text";
import type { SignoffWorld } from "./world";

interface ScenarioInfo {
  uri: string;
  name: string;
  line?: number;
  tags: string[];
  step?: string;
}

/** What property steps need to know about the running scenario (set by the hooks below). */
const scenarios = new WeakMap<object, ScenarioInfo>();

// Property scenarios run alone under --parallel: see steps/support/parallel.ts.

Before({ name: "property steps: note the scenario" }, function (this: SignoffWorld, { pickle, gherkinDocument }) {
  scenarios.set(this, {
    uri: pickle.uri,
    name: pickle.name,
    line: pickleLine(gherkinDocument, pickle.astNodeIds),
    tags: pickle.tags.map((t) => t.name),
  });
});

BeforeStep(function (this: SignoffWorld, { pickleStep }) {
  const info = scenarios.get(this);
  if (info) info.step = pickleStep.text;
});

export function propertyEnv(world: SignoffWorld): { env: PropertyEnv; key: string } {
  const info = scenarios.get(world) ?? { uri: "(unknown feature)", name: "(unknown scenario)", tags: [] };
  const settings = resolveSettings(world.parameters.properties, info.tags);
  const target = world.parameters.target?.name ?? "(no target)";
  const env: PropertyEnv = {
    settings,
    store: openStore(),
    target,
    baseUrl: world.parameters.baseUrl,
    rerunCommand: `npx signoff run ${shellQuote(`${info.uri}${info.line ? `:${info.line}` : ""}`)} --targets ${shellQuote(target)}`,
    graceMs: (world.parameters.timeouts?.navigationMs ?? 15_000) + 5_000,
    log: (line) => {
      world.log(line);
      process.stdout.write(
        `\n${line
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n")}\n`,
      );
    },
    attach: async (name, text) => {
      await allure.attachment(name, text, "text/plain");
    },
  };
  void allure.parameter("property seed", String(settings.seed), { excluded: true });
  return { env, key: `${info.uri} › ${info.name} › ${info.step ?? "(step)"}` };
}

/**
 * Tells the gate how many cases a passing property ran (policy: properties.minRuns for @property scenarios): `runs`,
 * the one number the gate reads. A sequence property gives `exercised`: its runs that ran at least one action (a run
 * whose actions were all skipped checked only the start page, and does not count), and the actions run in all.
 */
export function reportRuns(
  world: SignoffWorld,
  r: PropertyResult,
  exercised?: { runs: number; actionsRun: number },
): void {
  const all = r.runs + r.storedTried;
  world.attach(
    JSON.stringify({
      runs: exercised ? exercised.runs : all,
      generated: r.runs + (r.uncounted ?? 0),
      stored: r.storedTried,
      ...(exercised
        ? { withoutAction: all + (r.uncounted ?? 0) - exercised.runs, actionsRun: exercised.actionsRun }
        : {}),
      seed: r.seed,
    }),
    PROPERTY_RUNS_MEDIA_TYPE,
  );
}

export function timeouts(world: SignoffWorld) {
  return {
    actionMs: world.parameters.timeouts?.actionMs ?? 5_000,
    navigationMs: world.parameters.timeouts?.navigationMs ?? 15_000,
  };
}

// The step's own time budget (plus grace) bounds it; Cucumber's step timeout would cut it short.
export const NO_STEP_TIMEOUT = { timeout: -1 };
