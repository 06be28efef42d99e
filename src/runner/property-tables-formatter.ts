// A formatter for the preflight's dry run: the problems of the property steps' tables (property-tables.ts), one JSON string per line, for `signoff run` to refuse.
import { Formatter, type IFormatterOptions } from "@cucumber/cucumber";
import type { Envelope, GherkinDocument, Pickle } from "@cucumber/messages";
import { tableProblems, type StepMatcher } from "./property-tables";

/** A Gherkin step's line and its table rows' lines. */
interface StepLines {
  line: number;
  rows: number[];
}

/**
 * Here, not in `signoff run`'s process, because a table's rows are step texts to be matched by the step definitions
 * the run will use, the project's and their parameter types included: only the process that loaded them has them
 * (Cucumber hands a formatter its support code library). The dry run transforms no argument, so nothing is
 * run; the table parsers are the steps' own.
 */
export default class PropertyTablesFormatter extends Formatter {
  static override readonly documentation = "Signoff's preflight: problems of the property steps' tables";

  constructor(options: IFormatterOptions) {
    super(options);
    const matchers = new Map<string, StepMatcher>();
    for (const d of options.supportCodeLibrary.stepDefinitions) {
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
    const definitions = [...matchers.values()];
    const parameters = new Map(
      [...options.supportCodeLibrary.parameterTypeRegistry.parameterTypes].map((t) => [t.name ?? "", t.regexpStrings]),
    );
    const lines = new Map<string, StepLines>();
    const pickles = new Map<string, Pickle>();
    const problems = new Set<string>();
    options.eventBroadcaster.on("envelope", (envelope: Envelope) => {
      if (envelope.gherkinDocument) collectStepLines(envelope.gherkinDocument, lines);
      else if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
      else if (envelope.testCase) {
        const pickle = pickles.get(envelope.testCase.pickleId);
        for (const testStep of envelope.testCase.testSteps) {
          const ids = testStep.stepDefinitionIds ?? [];
          const pickleStep = pickle?.steps.find((s) => s.id === testStep.pickleStepId);
          const table = pickleStep?.argument?.dataTable;
          const matcher = ids.length === 1 ? matchers.get(ids[0]) : undefined;
          if (!pickle || !pickleStep || !table || !matcher) continue;
          const at = lines.get(pickleStep.astNodeIds[0]);
          const where = (row?: number) => {
            const line = (row !== undefined ? at?.rows[row - 1] : undefined) ?? at?.line ?? pickle.location?.line;
            return `${pickle.uri}${line ? `:${line}` : ""}`;
          };
          const rows = table.rows.map((r) => r.cells.map((c) => c.value));
          for (const p of tableProblems(
            { text: pickleStep.text, rows, where },
            matcher.pattern,
            definitions,
            parameters,
          ))
            problems.add(p);
        }
      } else if (envelope.testRunFinished) {
        for (const p of problems) this.log(`${JSON.stringify(p)}\n`);
      }
    });
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
