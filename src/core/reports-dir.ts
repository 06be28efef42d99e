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
 * Where a new run into the dir moves an earlier run's verdict: out of the way of `verify --verdict
 * reports/verdict.intoto.jsonl` (it judged results that are gone), kept for whoever needs it — a signed
 * verdict with its sign-offs may still be the record of a promotion. Named by when it was written
 * (`verdict.intoto.jsonl.2026-12-02T18-31-05Z`), so no verdict ever replaces another.
 */
export function previousVerdictName(writtenAt: Date, taken: (name: string) => boolean): string {
  const base = `${VERDICT_FILE}.${writtenAt
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-")}`;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}
