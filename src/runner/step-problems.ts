// The preflight's findings over the dry run's messages, one envelope at a time: steps undefined, ambiguous or naming no element, unknown @target: tags, and how many scenarios were selected.
import { roleWordHint } from "../core/element-phrase";
import { unknownTargetTags } from "../core/unknown-target-tags";
import { nearestStepFinder } from "./nearest-step";
import { unreadablePhrase } from "./phrase-readers";

interface StepDefinitionRef {
  pattern: string;
  type: string;
  where: string;
}

interface StepMatchArgument {
  group?: { value?: string };
  parameterTypeName?: string;
}

/** What the dry run found: one line per problem, in the features' order. */
export interface StepProblemReport {
  undefined: string[];
  ambiguous: string[];
  unreadable: string[];
  unknownTargets: string[];
  scenarios: number;
}

/** A Cucumber message as the collector reads it (the fields it uses; a parsed NDJSON line or Cucumber's own object). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages of several kinds, read by shape
type Envelope = Record<string, any>;

/**
 * One line per step text that no definition matches, and per set of definitions that match one step text (a step
 * of the project's duplicating a generic one is one line however many steps use it): the step's file:line,
 * the step, every definition that matched with its file:line; one per step text whose element phrase cannot be
 * read; one per `@target:` tag naming no configured target; and how many scenarios the run selected.
 */
export class StepProblems {
  private readonly defs = new Map<string, StepDefinitionRef>();
  /** The parameter types' regular expressions, by name: what an undefined step's nearest definition could take. */
  private readonly parameters = new Map<string, string[]>();
  /** Made at the first undefined step, when every definition and parameter type has been read. */
  private nearest: ((text: string) => string) | undefined;
  /** Each Gherkin step's line, by its AST node id: a problem names the step's own line, where an editor jumps. */
  private readonly stepLines = new Map<string, number>();
  private readonly pickles = new Map<
    string,
    { uri: string; line?: number; steps: Map<string, { text: string; node?: string }> }
  >();
  private readonly undefinedLines = new Map<string, string>();
  private readonly ambiguousLines = new Map<string, { line: string; texts: Set<string> }>();
  private readonly unreadableLines = new Map<string, string>();
  private readonly unknownTargets: string[] = [];
  private scenarios = 0;

  /** `targetNames`: the configured targets' names; a `@target:` tag naming none of them is a problem too. */
  constructor(private readonly targetNames?: readonly string[]) {}

  add(env: Envelope): void {
    if (env.stepDefinition) {
      const d = env.stepDefinition;
      this.defs.set(d.id, {
        pattern: d.pattern.source,
        type: d.pattern.type,
        where: `${d.sourceReference.uri}:${d.sourceReference.location?.line ?? "?"}`,
      });
    } else if (env.parameterType) {
      this.parameters.set(env.parameterType.name, env.parameterType.regularExpressions ?? []);
    } else if (env.gherkinDocument) {
      collectStepLines(env.gherkinDocument.feature, this.stepLines);
      if (this.targetNames) this.unknownTargets.push(...unknownTargetTags(env.gherkinDocument, this.targetNames));
    } else if (env.pickle) {
      const p = env.pickle;
      this.pickles.set(p.id, {
        uri: p.uri,
        line: p.location?.line,
        steps: new Map(
          p.steps.map((s: { id: string; text: string; astNodeIds?: string[] }) => [
            s.id,
            { text: s.text, node: s.astNodeIds?.[0] },
          ]),
        ),
      });
    } else if (env.testCase) this.addTestCase(env.testCase);
  }

  private addTestCase(testCase: Envelope): void {
    this.scenarios++;
    const pickle = this.pickles.get(testCase.pickleId);
    for (const step of testCase.testSteps) {
      if (!step.pickleStepId || !step.stepDefinitionIds || !pickle) continue;
      const pickleStep = pickle.steps.get(step.pickleStepId);
      const text = pickleStep?.text ?? "?";
      const line = (pickleStep?.node && this.stepLines.get(pickleStep.node)) || pickle.line;
      const where = `${pickle.uri}${line ? `:${line}` : ""}`;
      if (step.stepDefinitionIds.length === 1 && !this.unreadableLines.has(text)) {
        const args: StepMatchArgument[] = step.stepMatchArgumentsLists?.[0]?.stepMatchArguments ?? [];
        const why = unreadablePhrase(
          args.map((a) => ({ parameterTypeName: a.parameterTypeName, value: a.group?.value })),
        );
        if (why) this.unreadableLines.set(text, `${where}: the step "${text}" cannot be read: ${why}`);
      }
      if (step.stepDefinitionIds.length === 0 && !this.undefinedLines.has(text)) {
        this.nearest ??= nearestStepFinder(
          [...this.defs.values()].map((d) => ({ source: d.pattern, type: d.type })),
          this.parameters,
        );
        this.undefinedLines.set(
          text,
          `${where}: the step "${text}" is undefined${roleWordHint(text) || this.nearest(text)}`,
        );
      } else if (step.stepDefinitionIds.length >= 2) this.addAmbiguous(step.stepDefinitionIds, text, where);
    }
  }

  private addAmbiguous(ids: string[], text: string, where: string): void {
    const key = [...ids].sort().join(" ");
    const seen = this.ambiguousLines.get(key);
    if (seen) seen.texts.add(text);
    else {
      const matches = ids
        .map((id) => this.defs.get(id))
        .map((d: StepDefinitionRef | undefined) => (d ? `"${d.pattern}" (${d.where})` : "?"));
      const line = `${where}: the step "${text}" is ambiguous: it matches ${matches.join(" and ")}`;
      this.ambiguousLines.set(key, { line, texts: new Set([text]) });
    }
  }

  report(): StepProblemReport {
    const ambiguous = [...this.ambiguousLines.values()].map(({ line, texts }) =>
      texts.size === 1
        ? line
        : `${line} (${texts.size === 2 ? "as does 1 more step text" : `as do ${texts.size - 1} more step texts`})`,
    );
    return {
      undefined: [...this.undefinedLines.values()],
      ambiguous,
      unreadable: [...this.unreadableLines.values()],
      unknownTargets: [...this.unknownTargets],
      scenarios: this.scenarios,
    };
  }
}

/** Every step's line in a Gherkin document's feature (backgrounds, scenarios, rules), by the step's id. */
function collectStepLines(node: unknown, into: Map<string, number>): void {
  const n = node as { children?: unknown[]; steps?: Array<{ id: string; location?: { line: number } }> } | undefined;
  for (const s of n?.steps ?? []) if (s.location) into.set(s.id, s.location.line);
  for (const child of n?.children ?? []) {
    const c = child as { background?: unknown; scenario?: unknown; rule?: unknown };
    collectStepLines(c.background ?? c.scenario ?? c.rule, into);
  }
}
