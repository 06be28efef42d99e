// The preflight dry run's formatter: judges the messages as Cucumber emits them and prints one JSON line of findings (preflight-findings.ts reads it).
import { Formatter, formatterHelpers, type IFormatterOptions } from "@cucumber/cucumber";
import { TestStepResultStatus, type Envelope } from "@cucumber/messages";
import { PropertyTableChecks } from "./property-table-checks";
import { TARGETS_OPTION, type PreflightFindings } from "./preflight-findings";
import { StepProblems } from "./step-problems";
import { DryRunSteps } from "./dry-run-steps";

/**
 * Judged here, in the dry run's process, rather than from a messages file: writing every message of every scenario
 * and parsing it again in the runner was ≈ 0.15 s of the runner's CPU at 500 scenarios (bench/RESULTS.md). Snippets
 * are made by Cucumber's own parser of test case attempts, and only when a step is undefined (the run then stops).
 */
export default class PreflightFormatter extends Formatter {
  static override readonly documentation = "Signoff's preflight: undefined, ambiguous and unreadable steps as JSON";
  private readonly steps: StepProblems;

  constructor(options: IFormatterOptions) {
    super(options);
    const index = new DryRunSteps();
    const steps = new StepProblems(index, targetNames(options.parsedArgvOptions[TARGETS_OPTION]));
    this.steps = steps;
    const tables = new PropertyTableChecks(index, options.supportCodeLibrary);
    options.eventBroadcaster.on("envelope", (envelope: Envelope) => {
      if (envelope.testRunFinished) {
        const report = steps.report();
        const findings: PreflightFindings = {
          steps: report,
          tables: tables.problems(),
          snippets: report.undefined.length > 0 ? this.snippets() : "",
        };
        this.log(`${JSON.stringify(findings)}\n`);
        return;
      }
      index.add(envelope);
      steps.add(envelope);
      tables.add(envelope);
    });
  }

  /**
   * What Cucumber's `snippets` formatter prints: every undefined step's snippet, in order, a blank line apart; but none
   * for a step that nearly matches one that exists (a typo: its line says which step was meant, and a snippet would
   * invite defining the typo as a new step).
   */
  private snippets(): string {
    const snippets: string[] = [];
    for (const testCaseAttempt of this.eventDataCollector.getTestCaseAttempts()) {
      const parsed = formatterHelpers.parseTestCaseAttempt({
        snippetBuilder: this.snippetBuilder,
        supportCodeLibrary: this.supportCodeLibrary,
        testCaseAttempt,
      });
      for (const step of parsed.testSteps)
        if (
          step.result.status === TestStepResultStatus.UNDEFINED &&
          step.snippet &&
          !this.steps.hasStepMeant(step.text ?? "")
        )
          snippets.push(step.snippet);
    }
    return snippets.join("\n\n");
  }
}

/**
 * The configured targets' names, which the preflight always passes: without them an unknown `@target:` tag would go
 * unchecked, so anything else stops Cucumber before the dry run (the runner then stops the run: "cucumber could not
 * start: …", exit 2).
 */
function targetNames(option: unknown): string[] {
  if (!Array.isArray(option) || !option.every((t) => typeof t === "string"))
    throw new TypeError(`the preflight formatter needs the format option ${TARGETS_OPTION}: a list of target names`);
  return option;
}
