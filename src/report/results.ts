// What a report is made of: the run manifest, every target's scenario results (from the Cucumber
// messages, the source of truth), the requirement × target matrix and each failure's category.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors";
import { shownPath } from "../core/shown-path";
import { isUnlisted, loadResults, type LoadedFile } from "../results/loader";
import { checkShards } from "../results/shards";
import { statusRank, type ScenarioResult, type ScenarioStatus, type TargetResults } from "../core/results-model";
import type { RunManifest, TargetRun } from "../core/manifest";
import { categorize, type Category } from "../core/failure-category";
import { stillNarrowed } from "../core/tags";
import type { ListedRequirements } from "./listed-requirements";

export { categorize, type Category } from "../core/failure-category";

export interface TargetInfo {
  name: string;
  driver?: string;
  device?: string;
  browserVersion?: string;
  complete: boolean;
  error?: string;
  /**
   * Some of its results are not here: a results file of it refused or unreadable, a shard missing, or no results at
   * all. A scenario with no result on it may be in those, so its absent cells read "no result", as the gate's do.
   */
  lacking?: boolean;
  results: TargetResults[];
  scenarios: ScenarioResult[];
}

export interface ReportData {
  reportsDir: string;
  manifest?: RunManifest;
  targets: TargetInfo[];
  scenarios: ScenarioResult[];
  /** Messages files in the dir that run.json does not list: shown as such, never as a target (the gate FAILs them). */
  unlisted?: string[];
  /** Requirements the matrix lists even without a scenario result (src/report/listed-requirements.ts). */
  listed?: ListedRequirements;
}

/**
 * Loads run.json (if any) and every messages file it lists (or, without a manifest, messages/*.ndjson)
 * with the gate's own loader (src/results/loader.ts), so the report and the gate cannot disagree about
 * one directory: a file the gate would not count (unreadable, tampered) leaves its target incomplete here, and a
 * file run.json does not list is named as such (`unlisted`), never as a target of its own.
 */
export async function loadReportData(reportsDir: string, requirementTagPrefix: string): Promise<ReportData> {
  const manifestPath = join(reportsDir, "run.json");
  if (!existsSync(manifestPath) && !existsSync(join(reportsDir, "messages")))
    throw new UsageError(`${shownPath(reportsDir)}: no run.json and no messages/ — run \`signoff run\` first`);
  const loaded = await loadResults([reportsDir], { requirementTagPrefix });
  const lm = loaded.manifests[0];
  if (lm.error) throw new UsageError(`${lm.path}: unreadable run manifest (${lm.error})`);
  const manifest = lm.manifest;
  const byTarget = new Map<string, LoadedFile[]>();
  for (const t of manifest?.targets ?? []) byTarget.set(t.name, []);
  const unlisted: string[] = [];
  for (const f of loaded.files)
    if (isUnlisted(f)) unlisted.push(f.path);
    else byTarget.set(f.target, [...(byTarget.get(f.target) ?? []), f]);
  const targets = [...byTarget].map(([name, files]) =>
    targetInfo(
      name,
      files,
      manifest?.targets.find((x) => x.name === name),
    ),
  );
  return { reportsDir, manifest, targets, scenarios: targets.flatMap((t) => t.scenarios), unlisted };
}

function targetInfo(name: string, files: LoadedFile[], t: TargetRun | undefined): TargetInfo {
  const results = files.flatMap((f) => (f.results ? [f.results] : []));
  // The gate's rule (src/gate/evaluate.ts lackingResults, and checkShards' shard-missing).
  let shardMissing = false;
  checkShards(name, files, false, (code) => (shardMissing ||= code === "shard-missing"));
  const lacking = results.length === 0 || shardMissing || files.some((f) => f.error !== undefined || !f.results);
  const broken = files.find((f) => f.error);
  // Failing closed the gate's way: the report shows the target as broken, never partial results as whole.
  const error = t?.error ?? (broken ? `messages unreadable: ${broken.path}: ${broken.error}` : undefined);
  const complete = (t ? t.complete : true) && !broken && results.length > 0 && results.every((r) => r.complete);
  return {
    name,
    driver: t?.driver,
    device: t?.device,
    browserVersion: t?.browserVersion,
    complete,
    error: error ?? (complete ? undefined : "run incomplete"),
    lacking,
    results,
    scenarios: results.flatMap((r) => r.scenarios),
  };
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
  return {
    total: scenarios.length,
    passed,
    failed,
    flaky: scenarios.filter((s) => s.flaky).length,
    other: scenarios.length - passed - failed,
  };
}

/** PASS / FAIL / INCOMPLETE for one target, the way the runner prints it. */
export function targetState(t: TargetInfo): "PASS" | "FAIL" | "INCOMPLETE" {
  if (!t.complete) return "INCOMPLETE";
  return t.scenarios.every((s) => s.status === "passed" || s.status === "skipped") ? "PASS" : "FAIL";
}

/** The requirement × target matrix: each requirement's worst status over its scenarios on each target. */
export interface Matrix {
  /**
   * Every requirement with a scenario result, and those `listed` names (declared, or in the gate's coverage), at
   * most MAX_LISTED_ROWS of the latter.
   */
  requirements: string[];
  targets: string[];
  /** cells[req][target]; absent = no result of a scenario of that requirement on that target (see gapOf). */
  cells: Record<string, Record<string, { status: ScenarioStatus; flaky: boolean; scenarios: number }>>;
  /** Requirements whose every scenario carries a narrowing tag (@mobile-only, @target:…): meant to be off some targets. */
  narrowed: ReadonlySet<string>;
  /** Targets some of whose results are not here (TargetInfo.lacking). */
  lacking: ReadonlySet<string>;
  /** Scenarios without a requirement tag (not traced to any requirement). */
  untraced: string[];
  /** What the reader must know about the rows and the gaps (ListedRequirements.notes, and the rows not shown). */
  notes: string[];
}

/**
 * Rows for requirements without a scenario result, beyond those with one: a run.json or a verdict of a few MB could
 * otherwise name millions, and every output (HTML, summary.md, the picture) grows with the rows.
 */
export const MAX_LISTED_ROWS = 2000;

/**
 * What an absent cell is, as a fact of these results, never the gate's judgement (the policy decides whether a gap
 * fails the release): "no result" when some of the target's results are not here (refused, a shard missing);
 * "n/a" when the requirement's tags keep it off that target (every scenario of it narrowed) and it has a result on
 * some other target; else "no scenario".
 */
export function gapOf(m: Matrix, req: string, target: string): "no result" | "no scenario" | "n/a" | undefined {
  const row = m.cells[req];
  if (row?.[target]) return undefined;
  if (m.lacking.has(target)) return "no result";
  return m.narrowed.has(req) && row !== undefined && Object.keys(row).length > 0 ? "n/a" : "no scenario";
}

const byId = new Intl.Collator("en", { numeric: true }).compare;

export function requirementMatrix(data: Pick<ReportData, "targets" | "listed">): Matrix {
  const targets = data.targets.map((t) => t.name);
  // No prototype: an id or a target named "__proto__" is a row or a cell like any other.
  const cells: Matrix["cells"] = Object.create(null);
  const narrowed = new Map<string, boolean>();
  const untraced = new Set<string>();
  for (const t of data.targets) {
    for (const s of t.scenarios) {
      if (s.requirements.length === 0) untraced.add(`${s.feature} › ${s.name}`);
      for (const r of s.requirements) {
        narrowed.set(r, stillNarrowed(narrowed.get(r), s.tags));
        const row = (cells[r] ??= Object.create(null) as Matrix["cells"][string]);
        const cell = row[t.name];
        if (!cell) row[t.name] = { status: s.status, flaky: s.flaky, scenarios: 1 };
        else {
          cell.scenarios++;
          cell.flaky ||= s.flaky;
          if (statusRank(s.status) > statusRank(cell.status)) cell.status = s.status;
        }
      }
    }
  }
  const notes = [...(data.listed?.notes ?? [])];
  const withoutResult = [...new Set(data.listed?.ids ?? [])].filter((r) => !Object.hasOwn(cells, r)).sort(byId);
  if (withoutResult.length > MAX_LISTED_ROWS)
    notes.push(
      `${withoutResult.length - MAX_LISTED_ROWS} more requirements without a scenario result are not shown (the first ${MAX_LISTED_ROWS} are).`,
    );
  const requirements = [...Object.keys(cells), ...withoutResult.slice(0, MAX_LISTED_ROWS)].sort(byId);
  return {
    requirements,
    targets,
    cells,
    narrowed: new Set([...narrowed].filter(([, n]) => n).map(([r]) => r)),
    lacking: new Set(data.targets.filter((t) => t.lacking).map((t) => t.name)),
    untraced: [...untraced].sort(),
    notes,
  };
}

/**
 * Requirement ids not passing on some target: a result other than passed (or skipped), or no result where some of
 * the results are not here. A target without its scenario is not counted here (see withoutScenario).
 */
export function notPassingRequirements(m: Matrix): string[] {
  return m.requirements.filter((r) =>
    m.targets.some((t) => {
      const c = m.cells[r]?.[t];
      return c ? c.status !== "passed" && c.status !== "skipped" : gapOf(m, r, t) === "no result";
    }),
  );
}

/** Requirement ids with no scenario on some target ("∅"): a fact of the run; whether it fails is the policy's. */
export function withoutScenario(m: Matrix): string[] {
  return m.requirements.filter((r) => m.targets.some((t) => gapOf(m, r, t) === "no scenario"));
}

export function failures(data: Pick<ReportData, "scenarios">): (ScenarioResult & { category: Category })[] {
  return data.scenarios
    .filter((s) => s.status !== "passed" && s.status !== "skipped")
    .map((s) => ({ ...s, category: categorize(s)! }));
}
