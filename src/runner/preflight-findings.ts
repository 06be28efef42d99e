// What the preflight's formatter (in the dry run's process) and the runner share: the findings' shape, their reader and the option naming the targets. Loads no Cucumber: the runner must not.
import { UsageError } from "../core/errors";
import type { StepProblemReport } from "./step-problems";

/** The format option naming the configured targets (a `@target:` tag naming none of them is a problem). */
export const TARGETS_OPTION = "signoffTargets";

/** The formatter's one line. */
export interface PreflightFindings {
  steps: StepProblemReport;
  /** The property steps' tables that do not read (property-table-checks.ts). */
  tables: string[];
  /** Cucumber's snippets for the undefined steps, as its `snippets` formatter prints them; "" when none. */
  snippets: string;
}

/** Why no findings could be read: the dry run ended (a write error, an early return) before it judged every scenario. */
const NO_FINDINGS = "cucumber's dry run ended before it judged every scenario (no scenario was run)";

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((e) => typeof e === "string");

/**
 * The findings the dry run's process sent, or a UsageError (exit 2) when there are none whole: nothing, a
 * truncated line or another shape never lets the run go on as if the dry run had found nothing.
 */
export function parseFindings(text: string): PreflightFindings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(NO_FINDINGS);
  }
  const f = value as Partial<PreflightFindings> | null;
  const steps = f?.steps;
  const whole =
    typeof f?.snippets === "string" &&
    isStrings(f.tables) &&
    typeof steps?.scenarios === "number" &&
    [steps.undefined, steps.ambiguous, steps.unreadable, steps.unknownTargets].every(isStrings);
  if (!whole) throw new UsageError(NO_FINDINGS);
  return f as PreflightFindings;
}
