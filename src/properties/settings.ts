// How many runs, how long, which seed: config defaults, overridden per scenario by tags, or a replay.
import { parseDurationMs } from "../core/duration";
import { PROPERTY_SETTING_TAG } from "../core/tags";
import { PropertyInputError } from "./errors";

/** What the run passes to every worker (WorldParameters.properties). */
export interface PropertyDefaults {
  runs: number;
  /** Absent: RUN_BUDGET_MS for each run the step makes. */
  timeBudgetMs?: number;
  seed?: number;
  /** `signoff run --replay <seed:path>`: rerun exactly that case in every property step of the run. */
  replay?: string;
  /** Staging is Signoff's bundled example app (a new port each run), not a base URL the run was given. */
  bundledApp?: boolean;
}

export interface ReplayToken {
  seed: number;
  /** fast-check's counterexample path ("3:0:1"); absent = rerun the whole property with this seed. */
  path?: string;
  /** fc.commands' replay hint, needed to walk a model-based path ("<counts>:<changes>", base64). */
  replayPath?: string;
}

export interface PropertySettings {
  runs: number;
  timeBudgetMs: number;
  /** The budget is RUN_BUDGET_MS for each run (none was set): fewer runs get no more time each. */
  budgetPerRun?: true;
  seed: number;
  /** Where the seed came from, for the log line. */
  seedFrom: "@seed tag" | "config" | "random" | "--replay";
  replay?: ReplayToken;
  /** As in PropertyDefaults: the base URL is the bundled app's, so a rerun line does not name it. */
  bundledApp?: boolean;
}

const SEED_RANGE = 0x7fffffff;

/**
 * A property step's budget for each of its runs when none is set. A fixed budget for the whole step made a correct
 * app fail its gate on a slow target (a 25-run sequence property took 66 s on Selenium × Pixel 7 on a shared 2-core
 * machine, against 60 s); a run's own waits are bounded by the action and navigation timeouts, so the budget only
 * caps a step's total time, which grows with the runs asked for (@runs:N).
 */
export const RUN_BUDGET_MS = 10_000;

/** `<seed>` or `<seed>:<path>` or `<seed>:<path>,<replayPath>` (the form printed on failure). */
export function parseReplay(token: string): ReplayToken {
  const m = /^\s*(-?\d+)(?::(\d+(?::\d+)*))?(?:,([A-Za-z0-9+/]*:[A-Za-z0-9+/]*))?\s*$/.exec(token);
  if (!m) {
    throw new PropertyInputError(
      `--replay "${token}": expected <seed>:<path> as printed by a failed property, e.g. --replay 1234:5:0:1 (or just a seed)`,
    );
  }
  const seed = Number(m[1]);
  if (!Number.isSafeInteger(seed) || Math.abs(seed) > SEED_RANGE)
    throw new PropertyInputError(`--replay "${token}": the seed must be a 32-bit integer`);
  return { seed, path: m[2], replayPath: m[3] };
}

export function formatReplay(t: ReplayToken): string {
  return `${t.seed}${t.path ? `:${t.path}` : ""}${t.path && t.replayPath ? `,${t.replayPath}` : ""}`;
}

function wholeNumber(tag: string, value: string, what: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new PropertyInputError(`tag ${tag}: ${what}`);
  }
  return Number(value);
}

/** Reads @runs:N, @seed:N and @time-budget:D from a scenario's tags (feature tags included). */
export function tagOverrides(tags: readonly string[]): { runs?: number; seed?: number; timeBudgetMs?: number } {
  const out: { runs?: number; seed?: number; timeBudgetMs?: number } = {};
  for (const tag of tags) {
    const m = PROPERTY_SETTING_TAG.exec(tag);
    if (!m) continue;
    const name = m[1].toLowerCase();
    const value = m[2] ?? "";
    if (name === "runs")
      out.runs = wholeNumber(tag, value, "expected a whole number of runs of at least 1, e.g. @runs:200", 1);
    else if (name === "seed") {
      if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > SEED_RANGE) {
        throw new PropertyInputError(`tag ${tag}: expected an integer seed, e.g. @seed:42`);
      }
      out.seed = Number(value);
    } else {
      const ms = parseDurationMs(value);
      if (ms === undefined)
        throw new PropertyInputError(
          `tag ${tag}: expected a duration with a unit, e.g. @time-budget:10s, @time-budget:500ms, @time-budget:2m`,
        );
      out.timeBudgetMs = ms;
    }
  }
  return out;
}

export function randomSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * SEED_RANGE)) & SEED_RANGE;
}

/** Tags beat the config; a replay beats both (it names its own seed). */
export function resolveSettings(
  base: PropertyDefaults,
  tags: readonly string[],
  newSeed = randomSeed,
): PropertySettings {
  const t = tagOverrides(tags);
  const runs = t.runs ?? base.runs;
  const settings: PropertySettings = {
    runs,
    timeBudgetMs: t.timeBudgetMs ?? base.timeBudgetMs ?? runs * RUN_BUDGET_MS,
    ...(t.timeBudgetMs === undefined && base.timeBudgetMs === undefined ? { budgetPerRun: true as const } : {}),
    seed: t.seed ?? base.seed ?? newSeed(),
    seedFrom: t.seed !== undefined ? "@seed tag" : base.seed !== undefined ? "config" : "random",
    ...(base.bundledApp ? { bundledApp: true } : {}),
  };
  if (base.replay) {
    settings.replay = parseReplay(base.replay);
    settings.seed = settings.replay.seed;
    settings.seedFrom = "--replay";
  }
  return settings;
}
