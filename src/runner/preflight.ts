// The dry run before any target starts: steps undefined, ambiguous or naming no element, property tables that do not read, unknown @target: tags, support code that does not load.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError, NothingSelectedError, UsageError } from "../core/errors";
import { roleWordHint } from "../core/element-phrase";
import { nearestStepFinder } from "./nearest-step";
import { unknownTargetTags } from "../core/unknown-target-tags";
import { asOneStepFile, SNIPPET_SYNTAX } from "./snippet-syntax";
import { supportArgs, type StagedCucumber, type StagedOutcome } from "./cucumber-process";
import { unreadablePhrase } from "./phrase-readers";
import type { SupportCode } from "./support-files";
import type { WorldParameters } from "../config/types";

interface StepDefinitionRef {
  pattern: string;
  type: string;
  where: string;
}

interface StepMatchArgument {
  group?: { value?: string };
  parameterTypeName?: string;
}

/**
 * One line per step text that no definition matches, and per set of definitions that match one step text (a step
 * of the project's duplicating a generic one is one line however many steps use it): the step's file:line,
 * the step, every definition that matched with its file:line; one per step text whose element phrase cannot be
 * read; one per `@target:` tag naming no configured target; and how many scenarios the run selected.
 */
export function stepProblems(
  ndjson: string,
  /** The configured targets' names: a `@target:` tag naming none of them is a problem too. */
  targetNames?: readonly string[],
): {
  undefined: string[];
  ambiguous: string[];
  unreadable: string[];
  unknownTargets: string[];
  scenarios: number;
} {
  const defs = new Map<string, StepDefinitionRef>();
  /** The parameter types' regular expressions, by name: what an undefined step's nearest definition could take. */
  const parameters = new Map<string, string[]>();
  /** Made at the first undefined step, when every definition and parameter type has been read. */
  let nearest: ((text: string) => string) | undefined;
  /** Each Gherkin step's line, by its AST node id: a problem names the step's own line, where an editor jumps. */
  const stepLines = new Map<string, number>();
  const pickles = new Map<
    string,
    { uri: string; line?: number; steps: Map<string, { text: string; node?: string }> }
  >();
  const undefinedLines = new Map<string, string>();
  const ambiguousLines = new Map<string, { line: string; texts: Set<string> }>();
  const unreadableLines = new Map<string, string>();
  const unknownTargets: string[] = [];
  let scenarios = 0;
  for (const line of ndjson.split("\n")) {
    if (!line) continue;
    const env = JSON.parse(line);
    if (env.stepDefinition) {
      const d = env.stepDefinition;
      defs.set(d.id, {
        pattern: d.pattern.source,
        type: d.pattern.type,
        where: `${d.sourceReference.uri}:${d.sourceReference.location?.line ?? "?"}`,
      });
    } else if (env.parameterType) {
      parameters.set(env.parameterType.name, env.parameterType.regularExpressions ?? []);
    } else if (env.gherkinDocument) {
      collectStepLines(env.gherkinDocument.feature, stepLines);
      if (targetNames) unknownTargets.push(...unknownTargetTags(env.gherkinDocument, targetNames));
    } else if (env.pickle) {
      const p = env.pickle;
      pickles.set(p.id, {
        uri: p.uri,
        line: p.location?.line,
        steps: new Map(
          p.steps.map((s: { id: string; text: string; astNodeIds?: string[] }) => [
            s.id,
            { text: s.text, node: s.astNodeIds?.[0] },
          ]),
        ),
      });
    } else if (env.testCase) {
      scenarios++;
      const pickle = pickles.get(env.testCase.pickleId);
      for (const step of env.testCase.testSteps) {
        if (!step.pickleStepId || !step.stepDefinitionIds || !pickle) continue;
        const pickleStep = pickle.steps.get(step.pickleStepId);
        const text = pickleStep?.text ?? "?";
        const line = (pickleStep?.node && stepLines.get(pickleStep.node)) || pickle.line;
        const where = `${pickle.uri}${line ? `:${line}` : ""}`;
        if (step.stepDefinitionIds.length === 1 && !unreadableLines.has(text)) {
          const args: StepMatchArgument[] = step.stepMatchArgumentsLists?.[0]?.stepMatchArguments ?? [];
          const why = unreadablePhrase(
            args.map((a) => ({ parameterTypeName: a.parameterTypeName, value: a.group?.value })),
          );
          if (why) unreadableLines.set(text, `${where}: the step "${text}" cannot be read: ${why}`);
        }
        if (step.stepDefinitionIds.length === 0 && !undefinedLines.has(text)) {
          nearest ??= nearestStepFinder(
            [...defs.values()].map((d) => ({ source: d.pattern, type: d.type })),
            parameters,
          );
          undefinedLines.set(text, `${where}: the step "${text}" is undefined${roleWordHint(text) || nearest(text)}`);
        } else if (step.stepDefinitionIds.length >= 2) {
          const ids: string[] = step.stepDefinitionIds;
          const key = [...ids].sort().join(" ");
          const seen = ambiguousLines.get(key);
          if (seen) seen.texts.add(text);
          else {
            const matches = ids
              .map((id) => defs.get(id))
              .map((d: StepDefinitionRef | undefined) => (d ? `"${d.pattern}" (${d.where})` : "?"));
            const line = `${where}: the step "${text}" is ambiguous: it matches ${matches.join(" and ")}`;
            ambiguousLines.set(key, { line, texts: new Set([text]) });
          }
        }
      }
    }
  }
  const ambiguous = [...ambiguousLines.values()].map(({ line, texts }) =>
    texts.size === 1
      ? line
      : `${line} (${texts.size === 2 ? "as does 1 more step text" : `as do ${texts.size - 1} more step texts`})`,
  );
  return {
    undefined: [...undefinedLines.values()],
    ambiguous,
    unreadable: [...unreadableLines.values()],
    unknownTargets,
    scenarios,
  };
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

/** The dry run's formatter of the property steps' tables (property-tables-formatter.ts), by the entry Cucumber can import in a checkout too. */
const PROPERTY_TABLES_FORMATTER = join(__dirname, "property-tables-formatter-entry.js");

/** What that formatter found: one line per problem (a JSON string per line). */
function propertyTableProblems(file: string): string[] {
  // Written by the formatter when the dry run ends; a dry run that ended it wrote nothing (its outcome says why).
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);
}

/**
 * A dry run (no browser) to find undefined or ambiguous steps before any target starts, so their
 * snippets are listed once, not once per target. It runs in the first target's Cucumber process
 * (`start` spawns it with these Cucumber options), which then waits for its real run: the support code
 * loads once. (A dry run passes even then, so the verdict comes from its messages.) Throws UsageError
 * (exit 2) with one line, or NothingSelectedError, when the run must not start; the process is ended then.
 */
export async function preflight(
  paths: string[],
  support: SupportCode,
  { tags, world, targetNames }: { tags: string | undefined; world: WorldParameters; targetNames: readonly string[] },
  start: (dryRunOptions: string[]) => StagedCucumber,
): Promise<StagedCucumber> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-preflight-"));
  const messages = join(dir, "dry-run.ndjson");
  const tables = join(dir, "property-tables.jsonl");
  const options = [
    ...supportArgs(support),
    ...paths,
    "--world-parameters",
    JSON.stringify(world),
    "--dry-run",
    // Only the snippets of undefined steps: a summary would report a dry run's "1 scenario (1 undefined)".
    "--format",
    "snippets",
    "--format",
    `message:${messages}`,
    "--format",
    `"${PROPERTY_TABLES_FORMATTER}":"${tables}"`,
    // Snippets in TypeScript, importing from Signoff, unless the project's step files are JavaScript (snippet-syntax.ts).
    ...(support.typescriptSnippets ? ["--format-options", JSON.stringify({ snippetSyntax: SNIPPET_SYNTAX })] : []),
  ];
  if (tags) options.push("--tags", tags);
  const staged = start(options);
  try {
    await judge(await staged.outcome, { messages, tables }, paths, tags, targetNames);
    return staged;
  } catch (err) {
    await staged.stopUnlessStarted();
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The dry run's verdict: nothing, or the error that stops the run. */
async function judge(
  outcome: StagedOutcome,
  { messages, tables }: { messages: string; tables: string },
  paths: string[],
  tags: string | undefined,
  targetNames: readonly string[],
) {
  // cucumber-main said in one line why it could not start (a step file that does not load).
  if (outcome.kind === "setup-failed") throw new UsageError(outcome.line);
  // Killed by a signal (out of memory, killed from outside): the machine's doing, not the input's.
  if (outcome.kind === "exited" && outcome.code === null)
    throw new EnvironmentError("cucumber's dry run was killed before it finished");
  if (outcome.kind === "exited") throw new UsageError(`cucumber's dry run failed (exit ${outcome.code})`);
  const problems = stepProblems(readFileSync(messages, "utf8"), targetNames);
  const unknownTargets = problems.unknownTargets;
  if (unknownTargets.length > 0) {
    for (const l of unknownTargets.slice(0, -1)) console.error(`signoff: ${l}`);
    throw new UsageError(`${unknownTargets[unknownTargets.length - 1]} (no scenario was run)`);
  }
  const ambiguous = problems.ambiguous;
  if (ambiguous.length > 0) {
    // In the features' order: every line but the last printed, the last the error's own line.
    for (const l of ambiguous.slice(0, -1)) console.error(`signoff: ${l}`);
    throw new UsageError(`${ambiguous[ambiguous.length - 1]}; rename or remove one of them (no scenario was run)`);
  }
  const unreadable = [...problems.unreadable, ...propertyTableProblems(tables)];
  if (unreadable.length > 0) {
    for (const l of unreadable.slice(0, -1)) console.error(`signoff: ${l}`);
    throw new UsageError(`${unreadable[unreadable.length - 1]} (no scenario was run)`);
  }
  // Read as it is, not through the results reader's per-message schema validation (≈ 0.2 s of CPU on the
  // start-up's critical path): this process's own child just wrote it, into a directory made for it.
  // Nothing selected is no evidence at all: a run that judged nothing must not look like a clean one.
  if (problems.scenarios === 0)
    throw new NothingSelectedError(
      `${paths.join(" ")}${tags ? ` with --tags "${tags}"` : ""} selects no scenario` +
        `${paths.some((p) => /:\d+$/.test(p)) ? " (a file:line must point at a Scenario, an Examples row or a Rule)" : ""}; nothing was run`,
    );
  // In a dry run a scenario is undefined exactly when one of its steps matches no definition.
  if (problems.undefined.length > 0) {
    const snippets = asOneStepFile(outcome.output.trimEnd());
    if (snippets) process.stdout.write(`Snippets to start the undefined steps from:\n\n${snippets}\n\n`);
    const last = problems.undefined[problems.undefined.length - 1];
    for (const l of problems.undefined.slice(0, -1)) console.error(`signoff: ${l}`);
    throw new UsageError(
      `${last}; no scenario was run ` +
        `(snippets above; is it a step of docs/steps.md with a word or an element phrase that differs?)`,
    );
  }
}
