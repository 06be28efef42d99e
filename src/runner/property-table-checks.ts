// The preflight's check of the property steps' tables (property-tables.ts) over the dry run's messages, one envelope at a time.
import type { IFormatterOptions } from "@cucumber/cucumber";
import type { Envelope, GherkinDocument, Pickle } from "@cucumber/messages";
import { tableProblems, type StepMatcher } from "./property-tables";
import type { ParameterRegexps } from "./nearest-step";

/** A Gherkin step's line and its table rows' lines. */
interface StepLines {
  line: number;
  rows: number[];
}

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
  private readonly lines = new Map<string, StepLines>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly found = new Set<string>();

  constructor(supportCodeLibrary: IFormatterOptions["supportCodeLibrary"]) {
    const matchers = this.matchers;
    for (const d of supportCodeLibrary.stepDefinitions) {
      matchers.set(d.id, {
        pattern: String(d.pattern instanceof RegExp ? d.pattern.source : d.pattern),
        type: d.pattern instanceof RegExp ? "REGULAR_EXPRESSION" : "CUCUMBER_EXPRESSION",
        where: `${d.uri}:${d.line}`,
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
    if (envelope.gherkinDocument) collectStepLines(envelope.gherkinDocument, this.lines);
    else if (envelope.pickle) this.pickles.set(envelope.pickle.id, envelope.pickle);
    else if (envelope.testCase) this.addTestCase(envelope.testCase);
  }

  private addTestCase(testCase: NonNullable<Envelope["testCase"]>): void {
    const pickle = this.pickles.get(testCase.pickleId);
    for (const testStep of testCase.testSteps) {
      const ids = testStep.stepDefinitionIds ?? [];
      const pickleStep = pickle?.steps.find((s) => s.id === testStep.pickleStepId);
      const table = pickleStep?.argument?.dataTable;
      const matcher = ids.length === 1 ? this.matchers.get(ids[0]) : undefined;
      if (!pickle || !pickleStep || !table || !matcher) continue;
      const at = this.lines.get(pickleStep.astNodeIds[0]);
      const where = (row?: number) => {
        const line = (row !== undefined ? at?.rows[row - 1] : undefined) ?? at?.line ?? pickle.location?.line;
        return `${pickle.uri}${line ? `:${line}` : ""}`;
      };
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

  /** One line per problem, in the features' order, each once. */
  problems(): string[] {
    return [...this.found];
  }
}

/** Every step's line and table rows' lines in a Gherkin document (backgrounds, scenarios, rules), by the step's id. */
function collectStepLines(doc: GherkinDocument, into: Map<string, StepLines>): void {
  type Node = {
    steps?: ReadonlyArray<{
      id: string;
      location: { line: number };
      dataTable?: { rows: ReadonlyArray<{ location: { line: number } }> };
    }>;
    children?: ReadonlyArray<{ background?: Node; scenario?: Node; rule?: Node }>;
  };
  const visit = (node: Node | undefined) => {
    for (const s of node?.steps ?? [])
      into.set(s.id, { line: s.location.line, rows: (s.dataTable?.rows ?? []).map((r) => r.location.line) });
    for (const child of node?.children ?? []) visit(child.background ?? child.scenario ?? child.rule);
  };
  visit(doc.feature as Node | undefined);
}
