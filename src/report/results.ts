// What a report is made of: the run manifest, every target's scenario results (from the Cucumber
// messages, the source of truth), the requirement × target matrix and each failure's category.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors";
import { MessagesError, readMessagesFile, parseMessagesFileName } from "../results/read-messages";
import type { ScenarioResult, ScenarioStatus, TargetResults } from "../results/types";
import { readManifest, type RunManifest } from "../runner/manifest";
import { categorize, type Category } from "../results/failure-category";

export { categorize, type Category } from "../results/failure-category";

export interface TargetInfo {
  name: string;
  driver?: string;
  device?: string;
  browserVersion?: string;
  complete: boolean;
  error?: string;
  results: TargetResults[];
  scenarios: ScenarioResult[];
}

export interface ReportData {
  reportsDir: string;
  manifest?: RunManifest;
  targets: TargetInfo[];
  scenarios: ScenarioResult[];
}

/** Loads run.json (if any) and every messages file it lists (or, without a manifest, messages/*.ndjson). */
export async function loadReportData(reportsDir: string, requirementTagPrefix: string): Promise<ReportData> {
  const manifestPath = join(reportsDir, "run.json");
  let manifest: RunManifest | undefined;
  if (existsSync(manifestPath)) {
    try {
      manifest = readManifest(manifestPath);
    } catch (err) {
      throw new UsageError(`${manifestPath}: unreadable run manifest (${(err as Error).message})`);
    }
  }
  const files = new Map<string, string[]>();
  if (manifest) {
    for (const t of manifest.targets) files.set(t.name, t.messages.map((m) => join(reportsDir, m)));
  } else {
    const dir = join(reportsDir, "messages");
    if (!existsSync(dir)) throw new UsageError(`${reportsDir}: no run.json and no messages/ — run \`signoff run\` first`);
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ndjson")).sort()) {
      const { target } = parseMessagesFileName(f);
      files.set(target, [...(files.get(target) ?? []), join(dir, f)]);
    }
  }
  const targets: TargetInfo[] = [];
  for (const [name, paths] of files) {
    const t = manifest?.targets.find((x) => x.name === name);
    const results: TargetResults[] = [];
    let error = t?.error;
    let unreadable = false;
    for (const p of paths) {
      if (!existsSync(p)) {
        error ??= `messages file missing: ${p}`;
        continue;
      }
      try {
        results.push(await readMessagesFile(p, { target: name, requirementTagPrefix }));
      } catch (err) {
        // The gate's parser, failing closed the same way: the report shows the target as broken, never partial results as whole.
        if (!(err instanceof MessagesError)) throw err;
        unreadable = true;
        error = `messages unreadable: ${p}: ${err.message}`;
      }
    }
    const complete = (t ? t.complete : true) && !unreadable && results.length > 0 && results.every((r) => r.complete);
    targets.push({
      name,
      driver: t?.driver,
      device: t?.device,
      browserVersion: t?.browserVersion,
      complete,
      error: error ?? (complete ? undefined : "run incomplete"),
      results,
      scenarios: results.flatMap((r) => r.scenarios),
    });
  }
  return { reportsDir, manifest, targets, scenarios: targets.flatMap((t) => t.scenarios) };
}

export interface TargetCounts {
  total: number;
  passed: number;
  failed: number;
  flaky: number;
  other: number;
}

export function countsOf(scenarios: ScenarioResult[]): TargetCounts {
  const passed = scenarios.filter((s) => s.status === "passed").length;
  const failed = scenarios.filter((s) => s.status === "failed").length;
  return { total: scenarios.length, passed, failed, flaky: scenarios.filter((s) => s.flaky).length, other: scenarios.length - passed - failed };
}

/** PASS / FAIL / INCOMPLETE for one target, the way the runner prints it. */
export function targetState(t: TargetInfo): "PASS" | "FAIL" | "INCOMPLETE" {
  if (!t.complete) return "INCOMPLETE";
  return t.scenarios.every((s) => s.status === "passed" || s.status === "skipped") ? "PASS" : "FAIL";
}

/** The requirement × target matrix: each requirement's worst status over its scenarios on each target. */
export interface Matrix {
  requirements: string[];
  targets: string[];
  /** cells[req][target]; absent = no scenario of that requirement ran on that target (n/a). */
  cells: Record<string, Record<string, { status: ScenarioStatus; flaky: boolean; scenarios: number }>>;
  /** Scenarios without a requirement tag (not traced to any requirement). */
  untraced: string[];
}

const RANK: Record<ScenarioStatus, number> = { passed: 0, skipped: 1, pending: 2, undefined: 3, ambiguous: 4, unknown: 5, failed: 6 };

export function requirementMatrix(data: Pick<ReportData, "targets">): Matrix {
  const targets = data.targets.map((t) => t.name);
  const cells: Matrix["cells"] = {};
  const untraced = new Set<string>();
  for (const t of data.targets) {
    for (const s of t.scenarios) {
      if (s.requirements.length === 0) untraced.add(`${s.feature} › ${s.name}`);
      for (const r of s.requirements) {
        const row = (cells[r] ??= {});
        const cell = row[t.name];
        if (!cell) row[t.name] = { status: s.status, flaky: s.flaky, scenarios: 1 };
        else {
          cell.scenarios++;
          cell.flaky ||= s.flaky;
          if (RANK[s.status] > RANK[cell.status]) cell.status = s.status;
        }
      }
    }
  }
  const requirements = Object.keys(cells).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return { requirements, targets, cells, untraced: [...untraced].sort() };
}

/** Requirement ids whose status is not passed on some target. */
export function failingRequirements(m: Matrix): string[] {
  return m.requirements.filter((r) => Object.values(m.cells[r]).some((c) => c.status !== "passed" && c.status !== "skipped"));
}

export function failures(data: Pick<ReportData, "scenarios">): (ScenarioResult & { category: Category })[] {
  return data.scenarios
    .filter((s) => s.status !== "passed" && s.status !== "skipped")
    .map((s) => ({ ...s, category: categorize(s)! }));
}
