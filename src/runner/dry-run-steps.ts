// Where each step of the dry run's test cases comes from: its pickle and pickle step, and the file:line a finding names (the preflight collectors' one index).
import type { Envelope, GherkinDocument, Pickle, PickleStep, TestCase, TestStep } from "@cucumber/messages";

/** A Gherkin step's line and its table rows' lines. */
interface StepLines {
  line: number;
  rows: number[];
}

/** A test case's step from its scenario (not a hook): the test step and, when found, its pickle step. */
export interface ScenarioStep {
  testStep: TestStep;
  pickleStep: PickleStep | undefined;
  /** "uri:line" of the step as written (of its table's `row`-th row, 1-based, when given), else of its scenario. */
  where(row?: number): string;
}

/**
 * Fed every envelope before the collectors are (Cucumber emits each gherkinDocument and pickle before the test cases
 * made from them), so a collector reads a test case's steps with their text and lines in one lookup each.
 */
export class DryRunSteps {
  private readonly lines = new Map<string, StepLines>();
  private readonly pickles = new Map<string, { pickle: Pickle; steps: Map<string, PickleStep> }>();

  add(envelope: Envelope): void {
    if (envelope.gherkinDocument) collectStepLines(envelope.gherkinDocument, this.lines);
    else if (envelope.pickle) {
      const pickle = envelope.pickle;
      this.pickles.set(pickle.id, { pickle, steps: new Map(pickle.steps.map((s) => [s.id, s])) });
    }
  }

  /** The test case's steps that come from its scenario, in order; none when its pickle was never seen. */
  *stepsOf(testCase: TestCase): Generator<ScenarioStep> {
    const known = this.pickles.get(testCase.pickleId);
    if (!known) return;
    const { pickle } = known;
    for (const testStep of testCase.testSteps) {
      if (!testStep.pickleStepId) continue;
      const pickleStep = known.steps.get(testStep.pickleStepId);
      const at = pickleStep?.astNodeIds?.[0] !== undefined ? this.lines.get(pickleStep.astNodeIds[0]) : undefined;
      const where = (row?: number) => {
        const line = (row !== undefined ? at?.rows[row - 1] : undefined) ?? at?.line ?? pickle.location?.line;
        return `${pickle.uri}${line ? `:${line}` : ""}`;
      };
      yield { testStep, pickleStep, where };
    }
  }
}

/** Every step's line and table rows' lines in a Gherkin document (backgrounds, scenarios, rules), by the step's id. */
function collectStepLines(doc: GherkinDocument, into: Map<string, StepLines>): void {
  type Node = {
    steps?: ReadonlyArray<{
      id: string;
      location?: { line: number };
      dataTable?: { rows: ReadonlyArray<{ location: { line: number } }> };
    }>;
    children?: ReadonlyArray<{ background?: Node; scenario?: Node; rule?: Node }>;
  };
  const visit = (node: Node | undefined) => {
    for (const s of node?.steps ?? [])
      if (s.location)
        into.set(s.id, { line: s.location.line, rows: (s.dataTable?.rows ?? []).map((r) => r.location.line) });
    for (const child of node?.children ?? []) visit(child.background ?? child.scenario ?? child.rule);
  };
  visit(doc.feature as Node | undefined);
}
