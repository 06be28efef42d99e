// The dry run before any target starts: steps undefined, ambiguous or naming no element, property tables that do not read, unknown @target: tags, support code that does not load.
import { join } from "node:path";
import { EnvironmentError, NothingSelectedError, UsageError } from "../core/errors";
import { refuseLines } from "../core/refuse-lines";
import { docPath } from "../core/package";
import { asOneStepFile, SNIPPET_SYNTAX } from "./snippet-syntax";
import { supportArgs, type StagedCucumber, type StagedOutcome } from "./cucumber-process";
import { parseFindings, TARGETS_OPTION } from "./preflight-findings";
import type { StepProblemReport } from "./step-problems";
import type { SupportCode } from "./support-files";
import type { WorldParameters } from "../config/types";

/** The dry run's one formatter (preflight-formatter.ts), by the entry Cucumber can import in a checkout too. */
const PREFLIGHT_FORMATTER = join(__dirname, "preflight-formatter-entry.js");

/**
 * A dry run (no browser) to find undefined or ambiguous steps before any target starts, so their
 * snippets are listed once, not once per target. It runs in the first target's Cucumber process
 * (`start` spawns it with these Cucumber options), which then waits for its real run: the support code
 * loads once. (A dry run passes even then, so the verdict comes from its formatter's findings.) Throws UsageError
 * (exit 2) with one line, or NothingSelectedError, when the run must not start; the process is ended then.
 */
export async function preflight(
  paths: string[],
  support: SupportCode,
  { tags, world, targetNames }: { tags: string | undefined; world: WorldParameters; targetNames: readonly string[] },
  start: (dryRunOptions: string[]) => StagedCucumber,
): Promise<StagedCucumber> {
  const formatOptions = {
    [TARGETS_OPTION]: targetNames,
    // Snippets in TypeScript, importing from Signoff, unless the project's step files are JavaScript (snippet-syntax.ts).
    ...(support.typescriptSnippets ? { snippetSyntax: SNIPPET_SYNTAX } : {}),
  };
  const options = [
    ...supportArgs(support),
    ...paths,
    "--world-parameters",
    JSON.stringify(world),
    "--dry-run",
    // The findings on stdout, sent back over IPC; Cucumber's default stdout formatter (progress, its summary
    // and every undefined step's snippet rendered again) is not run.
    "--format",
    `"${PREFLIGHT_FORMATTER}"`,
    "--format-options",
    JSON.stringify(formatOptions),
  ];
  if (tags) options.push("--tags", tags);
  const staged = start(options);
  try {
    await judge(await staged.outcome, paths, tags, support.unmatchedSteps);
    return staged;
  } catch (err) {
    await staged.stopUnlessStarted();
    throw err;
  }
}

/** The dry run's verdict: nothing, or the error that stops the run. */
async function judge(outcome: StagedOutcome, paths: string[], tags: string | undefined, unmatchedSteps: string[]) {
  // cucumber-main said in one line why it could not start (a step file that does not load).
  if (outcome.kind === "setup-failed") throw new UsageError(outcome.line);
  // Killed by a signal (out of memory, killed from outside): the machine's doing, not the input's.
  if (outcome.kind === "exited" && outcome.code === null)
    throw new EnvironmentError("cucumber's dry run was killed before it finished");
  if (outcome.kind === "exited") throw new UsageError(`cucumber's dry run failed (exit ${outcome.code})`);
  const { steps: problems, tables, snippets: cucumberSnippets } = parseFindings(outcome.findings);
  // None for a step that nearly matches one that exists (a typo): its own line names the step meant.
  const snippets = problems.undefined.length > 0 ? asOneStepFile(cucumberSnippets.trimEnd()) : "";
  if (snippets) process.stdout.write(`Snippets to start the undefined steps from:\n\n${snippets}\n\n`);
  refuseLines(problemLines(problems, tables, unmatchedSteps, snippets !== ""));
  // Nothing selected is no evidence at all: a run that judged nothing must not look like a clean one. (A file:line
  // that selects nothing was refused before, naming its line: checkLineSelections.)
  if (problems.scenarios === 0)
    throw new NothingSelectedError(
      `${paths.join(" ")}${tags ? ` with --tags "${tags}"` : ""} selects no scenario; nothing was run`,
    );
}

/**
 * Every kind of problem at once (a newcomer fixes them in one go), each kind in the order the dry run found them;
 * each kind's last line says what to do about it, and the very last line that nothing ran.
 */
function problemLines(
  problems: StepProblemReport,
  tables: readonly string[],
  unmatchedSteps: readonly string[] = [],
  snippetsPrinted = true,
): string[] {
  const notRun = " (no scenario was run)";
  // A step file the config's globs do not reach is the likelier cause then: say so first.
  const unmatched = unmatchedSteps.length
    ? `the config's steps ${unmatchedSteps.map((p) => `"${p}"`).join(", ")} match${unmatchedSteps.length === 1 ? "es" : ""} no step file; `
    : "";
  const stepsDoc = `${unmatched}is it a step of ${docPath("steps.md")} with a word or an element phrase that differs?`;
  // Undefined steps come last, so their hint is their last line's (the snippets, if any, are printed above it).
  const kinds = [
    { lines: problems.unknownTargets, hint: "", last: notRun },
    {
      lines: problems.ambiguous,
      hint: "; rename or remove one of them",
      last: `; rename or remove one of them${notRun}`,
    },
    { lines: [...problems.unreadable, ...tables], hint: "", last: notRun },
    {
      lines: problems.undefined,
      hint: "",
      last: `; no scenario was run (${snippetsPrinted ? "snippets above; " : ""}${stepsDoc})`,
    },
  ].filter((k) => k.lines.length > 0);
  return kinds.flatMap((k, i) =>
    k.lines.map((line, j) => (j < k.lines.length - 1 ? line : `${line}${i < kinds.length - 1 ? k.hint : k.last}`)),
  );
}
