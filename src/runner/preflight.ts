// The dry run before any target starts: steps that are undefined or ambiguous, or support code that does not load.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NothingSelectedError, UsageError } from "../core/errors";
import { readMessagesFile } from "../results/read-messages";
import { CUCUMBER_ENTRY, supportArgs, waitForExit } from "./cucumber-process";
import type { SupportCode } from "./support-files";

interface StepDefinitionRef {
  pattern: string;
  where: string;
}

/** One line per ambiguous step text: the feature line, the step, and every definition that matched with its file:line. */
export function ambiguousSteps(ndjson: string): string[] {
  const defs = new Map<string, StepDefinitionRef>();
  const pickles = new Map<string, { uri: string; line?: number; steps: Map<string, string> }>();
  const lines = new Map<string, string>();
  for (const line of ndjson.split("\n")) {
    if (!line) continue;
    const env = JSON.parse(line);
    if (env.stepDefinition) {
      const d = env.stepDefinition;
      defs.set(d.id, {
        pattern: d.pattern.source,
        where: `${d.sourceReference.uri}:${d.sourceReference.location?.line ?? "?"}`,
      });
    } else if (env.pickle) {
      const p = env.pickle;
      pickles.set(p.id, {
        uri: p.uri,
        line: p.location?.line,
        steps: new Map(p.steps.map((s: { id: string; text: string }) => [s.id, s.text])),
      });
    } else if (env.testCase) {
      const pickle = pickles.get(env.testCase.pickleId);
      for (const step of env.testCase.testSteps) {
        if (!step.stepDefinitionIds || step.stepDefinitionIds.length < 2 || !pickle) continue;
        const text = pickle.steps.get(step.pickleStepId) ?? "?";
        if (lines.has(text)) continue;
        const matches = step.stepDefinitionIds
          .map((id: string) => defs.get(id))
          .map((d: StepDefinitionRef | undefined) => (d ? `"${d.pattern}" (${d.where})` : "?"));
        lines.set(
          text,
          `${pickle.uri}${pickle.line ? `:${pickle.line}` : ""}: the step "${text}" is ambiguous: it matches ${matches.join(" and ")}`,
        );
      }
    }
  }
  return [...lines.values()];
}

/**
 * A dry run (no browser) to find undefined or ambiguous steps before any target starts, so their
 * snippets are listed once, not once per target. (A dry run exits 0 even then, so the verdict comes
 * from its messages.) Throws UsageError (exit 2) with one line when the run must not start.
 */
export async function preflight(
  paths: string[],
  support: SupportCode,
  tags: string | undefined,
  cwd?: string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-preflight-"));
  const messages = join(dir, "dry-run.ndjson");
  const args = [
    ...CUCUMBER_ENTRY,
    ...supportArgs(support),
    ...paths,
    "--dry-run",
    "--format",
    "summary",
    "--format",
    `message:${messages}`,
  ];
  if (tags) args.push("--tags", tags);
  try {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const { code } = await waitForExit(child);
    if (code !== 0) {
      // cucumber-main printed one line saying why it could not start (a step file that does not load).
      const line = output.split("\n").find((l) => l.startsWith("signoff: "));
      throw new UsageError(
        line ? line.slice("signoff: ".length) : `cucumber's dry run failed (exit ${code}):\n${output.trim()}`,
      );
    }
    const ambiguous = ambiguousSteps(readFileSync(messages, "utf8"));
    if (ambiguous.length > 0) {
      for (const l of ambiguous.slice(1)) console.error(`signoff: ${l}`);
      throw new UsageError(`${ambiguous[0]}; rename or remove one of them (no scenario was run)`);
    }
    const { scenarios } = await readMessagesFile(messages, { target: "dry-run" });
    // Nothing selected is no evidence at all: a run that judged nothing must not look like a clean one.
    if (scenarios.length === 0)
      throw new NothingSelectedError(
        `${paths.join(" ")}${tags ? ` with --tags "${tags}"` : ""} selects no scenario (a file:line must point at a Scenario, an Examples row or a Rule); nothing was run`,
      );
    if (scenarios.some((s) => s.status === "undefined")) {
      process.stdout.write(output);
      throw new UsageError("the features use steps that are undefined (snippets above); no scenario was run");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
