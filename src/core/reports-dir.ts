// The names of what lands in a reports dir besides the results: the gate's verdict and `signoff report`'s outputs.

/** The gate's verdict when no --out is given (in the first results dir). */
export const VERDICT_FILE = "verdict.intoto.jsonl";

/** `signoff report`'s outputs in the reports dir. */
export const REPORT_OUTPUTS = {
  summary: "summary.md",
  junit: "junit.xml",
  overview: "overview.html",
  /** The Allure HTML report's directory (unless --output names another). */
  allureReport: "allure-report",
} as const;

/**
 * Where a new run into the dir moves the last run's verdict: out of the way of `verify --verdict
 * reports/verdict.intoto.jsonl` (it judged results that are gone), kept for whoever still needs it.
 */
export const PREVIOUS_VERDICT_FILE = `${VERDICT_FILE}.previous-run`;
