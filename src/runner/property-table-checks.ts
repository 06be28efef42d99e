// The preflight's check of the property steps' tables (property-tables.ts), and of the step a `within`/`for` time is given to, over the dry run's messages, one envelope at a time.
import type { IFormatterOptions } from "@cucumber/cucumber";
import type { Envelope } from "@cucumber/messages";
import { rowStepProblem, tableProblems, type StepMatcher } from "./property-tables";
import { boundedStepText, FOR_STEP, givenTimeProblem, repeatedActionProblem, WITHIN_STEP } from "../core/time-bounds";
import type { ParameterRegexps } from "./nearest-step";
import type { DryRunSteps } from "./dry-run-steps";

/** The patterns (as StepMatcher.pattern gives a regular expression's) of the steps that give another a time. */
const TIME_BOUNDS: ReadonlySet<string> = new Set([WITHIN_STEP.source, FOR_STEP.source]);

/**
 * Run by the preflight's formatter, not in `signoff run`'s process, because a table's rows are step texts to be
 * matched by the step definitions the run will use, the project's and their parameter types included: only the
 * process that loaded them has them (Cucumber hands a formatter its support code library). The dry run transforms
 * no argument, so nothing is run; the table parsers are the steps' own.
 */
export class PropertyTableChecks {
  private readonly matchers = new Map<string, StepMatcher>();
  private readonly definitions: StepMatcher[];
  private readonly parameters: ParameterRegexps;
  private readonly found = new Set<string>();

  /** `steps`: fed the same envelopes first. */
  constructor(
    private readonly steps: DryRunSteps,
    supportCodeLibrary: IFormatterOptions["supportCodeLibrary"],
  ) {
    const matchers = this.matchers;
    for (const d of supportCodeLibrary.stepDefinitions) {
      matchers.set(d.id, {
        pattern: String(d.pattern instanceof RegExp ? d.pattern.source : d.pattern),
        type: d.pattern instanceof RegExp ? "REGULAR_EXPRESSION" : "CUCUMBER_EXPRESSION",
        where: `${d.uri}:${d.line}`,
        keyword: d.keyword,
        match: (text) =>
          d.expression
            .match(text)
            ?.map((arg) => ({ parameterTypeName: arg.getParameterType().name, value: arg.group.value })) ?? undefined,
      });
    }
    this.definitions = [...matchers.values()];
    this.parameters = new Map(
      [...supportCodeLibrary.parameterTypeRegistry.parameterTypes].map((t) => [t.name ?? "", t.regexpStrings]),
    );
  }

  add(envelope: Envelope): void {
    if (!envelope.testCase) return;
    for (const { testStep, pickleStep, where } of this.steps.stepsOf(envelope.testCase)) {
      const ids = testStep.stepDefinitionIds ?? [];
      const table = pickleStep?.argument?.dataTable;
      const matcher = ids.length === 1 ? this.matchers.get(ids[0]) : undefined;
      if (pickleStep && matcher && TIME_BOUNDS.has(matcher.pattern)) this.checkBounded(pickleStep.text, where());
      if (!pickleStep || !table || !matcher) continue;
      const rows = table.rows.map((r) => r.cells.map((c) => c.value));
      for (const p of tableProblems(
        { text: pickleStep.text, rows, where },
        matcher.pattern,
        this.definitions,
        this.parameters,
      ))
        this.found.add(p);
    }
  }

  /** The step `within 500 ms …` or `for 3 s …` gives its time to: one ordinary step, as a property's row is, and for `for` a check. */
  private checkBounded(text: string, where: string): void {
    const inner = boundedStepText(text)!;
    const problem =
      boundedStepText(inner) !== undefined
        ? "has a time of its own: write one time"
        : (rowStepProblem(inner, this.definitions, this.parameters) ??
          (FOR_STEP.test(text)
            ? repeatedActionProblem(this.definitions.find((d) => d.match(inner))?.keyword)
            : undefined));
    if (problem) this.found.add(`${where}: ${givenTimeProblem(inner, text, problem)}`);
  }

  /** One line per problem, in the features' order, each once. */
  problems(): string[] {
    return [...this.found];
  }
}
