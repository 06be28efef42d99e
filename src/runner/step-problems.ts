// The preflight's findings over the dry run's messages, one envelope at a time: steps undefined, ambiguous or naming no element, unknown @target: tags, and how many scenarios were selected.
import { roleWordHint } from "../core/element-phrase";
import { unknownTargetTags } from "../core/unknown-target-tags";
import { nearestStepFinder } from "./nearest-step";
import { unreadablePhrase } from "./phrase-readers";
import type { DryRunSteps } from "./dry-run-steps";
import type { Envelope, TestCase } from "@cucumber/messages";

interface StepDefinitionRef {
  pattern: string;
  type: string;
  where: string;
}

/** What the dry run found: one line per problem, in the features' order. */
export interface StepProblemReport {
  undefined: string[];
  ambiguous: string[];
  unreadable: string[];
  unknownTargets: string[];
  scenarios: number;
}

/**
 * One line per step text that no definition matches, and per set of definitions that match one step text (a step
 * of the project's duplicating a generic one is one line however many steps use it): the step's file:line,
 * the step, every definition that matched with its file:line; one per step text whose element phrase cannot be
 * read; one per `@target:` tag naming no configured target; and how many scenarios the run selected.
 */
export class StepProblems {
  private readonly defs = new Map<string, StepDefinitionRef>();
  /** The parameter types' regular expressions, by name: what an undefined step's nearest definition could take. */
  private readonly parameters = new Map<string, readonly string[]>();
  /** Made at the first undefined step, when every definition and parameter type has been read. */
  private nearest: ((text: string) => string) | undefined;
  private readonly undefinedLines = new Map<string, string>();
  /** Undefined step texts whose line names the step (or role word) most likely meant. */
  private readonly meant = new Set<string>();
  private readonly ambiguousLines = new Map<string, { line: string; texts: Set<string> }>();
  private readonly unreadableLines = new Map<string, string>();
  private readonly unknownTargets: string[] = [];
  private scenarios = 0;

  /**
   * `steps`: fed the same envelopes first (a problem names the step's own line, where an editor jumps);
   * `targetNames`: the configured targets' names, a `@target:` tag naming none of them is a problem too.
   */
  constructor(
    private readonly steps: DryRunSteps,
    private readonly targetNames: readonly string[],
  ) {}

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
      this.unknownTargets.push(...unknownTargetTags(env.gherkinDocument, this.targetNames));
    } else if (env.testCase) this.addTestCase(env.testCase);
  }

  private addTestCase(testCase: TestCase): void {
    this.scenarios++;
    for (const { testStep, pickleStep, where: at } of this.steps.stepsOf(testCase)) {
      const ids = testStep.stepDefinitionIds;
      if (!ids) continue;
      const text = pickleStep?.text ?? "?";
      const where = at();
      if (ids.length === 1 && !this.unreadableLines.has(text)) {
        const args = testStep.stepMatchArgumentsLists?.[0]?.stepMatchArguments ?? [];
        const why = unreadablePhrase(
          args.map((a) => ({ parameterTypeName: a.parameterTypeName, value: a.group?.value })),
        );
        if (why) this.unreadableLines.set(text, `${where}: the step "${text}" cannot be read: ${why}`);
      }
      if (ids.length === 0 && !this.undefinedLines.has(text)) {
        this.nearest ??= nearestStepFinder(
          [...this.defs.values()].map((d) => ({ source: d.pattern, type: d.type })),
          this.parameters,
        );
        const hint = roleWordHint(text) || this.nearest(text);
        if (hint) this.meant.add(text);
        this.undefinedLines.set(text, `${where}: the step "${text}" is undefined${unclosedQuote(text)}${hint}`);
      } else if (ids.length >= 2) this.addAmbiguous(ids, text, where);
    }
  }

  private addAmbiguous(ids: readonly string[], text: string, where: string): void {
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

  /**
   * Whether the undefined step `text` nearly matches a step that exists (its line says "did you mean …"): a snippet to
   * implement it as written would invite the wrong fix, a second step for a typo, so none is printed for it.
   */
  hasStepMeant(text: string): boolean {
    return this.meant.has(text);
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

/**
 * An odd number of double quotes: a {string} never matches across an unclosed one, and the nearest step alone
 * ("did you mean I should see {string}?") reads as if the words were wrong. Single quotes are not counted: an
 * apostrophe ("don't") is one.
 */
function unclosedQuote(text: string): string {
  return (text.match(/"/g)?.length ?? 0) % 2 === 1 ? ": a double quote in it is not closed" : "";
}
