// The results model every area shares: scenario results, statuses and their one severity order.

/** Scenario statuses from best to worst: the one order every area aggregates with (the worst one wins). */
export const STATUS_SEVERITY = ["passed", "skipped", "pending", "undefined", "ambiguous", "unknown", "failed"] as const;

export type ScenarioStatus = (typeof STATUS_SEVERITY)[number];

/** A requirement × target cell: a scenario that passed only on a retry is "flaky", between passed and skipped. */
export type CellStatus = ScenarioStatus | "flaky";

/** Cell statuses from best to worst. */
export const CELL_SEVERITY: readonly CellStatus[] = ["passed", "flaky", ...STATUS_SEVERITY.slice(1)];

// Maps, so a status named like an Object.prototype member is never a rank; anything unlisted ranks worst (fail closed).
const STATUS_RANK = new Map<string, number>(STATUS_SEVERITY.map((s, i) => [s, i]));
const CELL_RANK = new Map<string, number>(CELL_SEVERITY.map((s, i) => [s, i]));

/** How bad a status is: higher is worse. */
export function statusRank(status: ScenarioStatus): number {
  return STATUS_RANK.get(status) ?? STATUS_SEVERITY.length;
}

/** How bad a cell status is: higher is worse. */
export function cellRank(status: CellStatus): number {
  return CELL_RANK.get(status) ?? CELL_SEVERITY.length;
}

/** True for a real status name (input from a results index or a messages file is hostile). */
export function isScenarioStatus(x: unknown): x is ScenarioStatus {
  return typeof x === "string" && STATUS_RANK.has(x);
}

/** The cell status of one scenario. */
export function cellOf(s: { status: ScenarioStatus; flaky: boolean }): CellStatus {
  return s.status === "passed" && s.flaky ? "flaky" : s.status;
}

/** Media type of the attachment in which a property step records how many runs it made. */
export const PROPERTY_RUNS_MEDIA_TYPE = "application/vnd.signoff.property-runs+json";

export interface ScenarioResult {
  /** Stable across runs and targets: "<uri> › <scenario name>[ › <example row values>]" */
  key: string;
  uri: string;
  line: number;
  feature: string;
  name: string;
  tags: string[];
  /** Requirement ids from tags with the requirement prefix, without "@", e.g. "REQ-COUNTER-1". */
  requirements: string[];
  target: string;
  /** Outcome of the last attempt. */
  status: ScenarioStatus;
  attempts: number;
  /** Passed on a later attempt after failing. */
  flaky: boolean;
  durationMs: number;
  /**
   * Property scenarios: the fewest runs any of its properties made, from attachments of media type
   * PROPERTY_RUNS_MEDIA_TYPE. Undefined when none was attached.
   */
  propertyRuns?: number;
  /** First failing step's text (the pickle step's: an outline row's values filled in) and error message, if any. */
  failedStep?: string;
  /**
   * Where the failing step is written in `uri` (its line; `line` stays the scenario's): a Background step's own
   * line, and for a row of a Scenario Outline the outline's step (the row is `line`). Undefined when the failure is
   * a hook's, or the results do not record it (a results index written by an older Signoff).
   */
  failedStepLine?: number;
  error?: string;
  /**
   * The failing step's exception type as Cucumber records it (the thrown value's class name, e.g.
   * "SignoffAssertionError", "StagingError"): what the report classifies the failure by, never the message.
   */
  errorType?: string;
  /** Cucumber's id of the attempt this outcome is from (testCaseStarted.id): ties the scenario to its Allure result. */
  testCaseStartedId?: string;
  /**
   * A scenario with no steps: Cucumber passed it, Signoff does not (status "undefined": it checks nothing). Set only
   * then, so a run Cucumber calls successful is not read as one contradicting its scenarios.
   */
  noSteps?: true;
}

/** Where a scenario's failing step is written, `features/x.feature:12`; undefined when that is not known (a hook). */
export function failedStepLocation(s: Pick<ScenarioResult, "uri" | "failedStepLine">): string | undefined {
  return s.failedStepLine === undefined ? undefined : `${s.uri}:${s.failedStepLine}`;
}

/**
 * The failing step as one phrase, the same in the gate's reasons and `signoff run`'s summary: its location, then its
 * text in quotes — `features/x.feature:12 "I should see "Ada""` — or the quoted text alone when its line is not known
 * (`"(hook)"`). Undefined when no step failed.
 */
export function failedStepPhrase(s: Pick<ScenarioResult, "uri" | "failedStep" | "failedStepLine">): string | undefined {
  if (s.failedStep === undefined) return undefined;
  const at = failedStepLocation(s);
  return at ? `${at} "${s.failedStep}"` : `"${s.failedStep}"`;
}

/** A scenario the run parsed but gave no test case: a tag expression or a `file:line` selection left it out. */
export interface NotRunScenario {
  uri: string;
  /** The scenario's line (an example row's, for a row of a Scenario Outline): with the uri, what names it. */
  line: number;
  name: string;
  tags: string[];
}

/** Everything one messages file says. */
export interface TargetResults {
  target: string;
  file: string;
  /** testRunFinished was seen: the file is complete. */
  complete: boolean;
  success?: boolean;
  scenarios: ScenarioResult[];
  /** SHA-256 (hex) of each feature file's text as the run parsed it (Cucumber's `source` messages), by uri. */
  sources: Readonly<Record<string, string>>;
  /** The scenarios it parsed and did not run. */
  notRun: NotRunScenario[];
}
