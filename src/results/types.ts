// Normalised scenario results read from Cucumber messages: what the gate and the report consume.

export type ScenarioStatus =
  | "passed"
  | "failed"
  | "skipped"
  | "pending"
  | "undefined"
  | "ambiguous"
  | "unknown";

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
   * PROPERTY_RUNS_MEDIA_TYPE (see read-messages.ts). Undefined when none was attached.
   */
  propertyRuns?: number;
  /** First failing step's text and error message, if any. */
  failedStep?: string;
  error?: string;
  /**
   * The failing step's exception type as Cucumber records it (the thrown value's class name, e.g.
   * "SignoffAssertionError", "StagingError"): what the report classifies the failure by, never the message.
   */
  errorType?: string;
  /** Cucumber's id of the attempt this outcome is from (testCaseStarted.id): ties the scenario to its Allure result. */
  testCaseStartedId?: string;
}

/** Everything one messages file says. */
export interface TargetResults {
  target: string;
  file: string;
  /** testRunFinished was seen: the file is complete. */
  complete: boolean;
  success?: boolean;
  scenarios: ScenarioResult[];
}
