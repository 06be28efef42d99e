// Run-level Allure inputs written at report time from run.json + messages (the runner stays untouched):
// environment.properties, executor.json, categories.json (Allure 2 readers) and the categories for
// Allure 3, the release overview as a global attachment, and each failure's category written into its result.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Executor } from "./ci";
import {
  categorize,
  countsOf,
  notPassingRequirements,
  requirementMatrix,
  targetState,
  withoutScenario,
  type ReportData,
} from "./results";
import type { FailureCategory } from "../core/failure-category";
import { ATTEMPT_LABEL, CATEGORY_LABEL } from "./allure-labels";
import { verdictLine, type VerdictView } from "./verdict";

/** Java .properties escaping (ISO-8859-1 with \uXXXX), which is what Allure's reader expects. */
function propEscape(s: string, isKey: boolean): string {
  let out = "";
  for (const [i, ch] of [...s].entries()) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if ((isKey && /[ =:#!]/.test(ch)) || (!isKey && i === 0 && (ch === " " || ch === "#" || ch === "!")))
      out += "\\" + ch;
    else if (code > 0x7e || code < 0x20) {
      const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
      out += units.map((u) => "\\u" + u.toString(16).padStart(4, "0")).join("");
    } else out += ch;
  }
  return out;
}

export function toProperties(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${propEscape(k, true)}=${propEscape(v, false)}`).join("\n") + "\n";
}

/** Ids an environment line names, as the gate's reasons do: one line, however many there are. */
const MAX_IDS = 5;

function someIds(ids: string[]): string {
  return ids.slice(0, MAX_IDS).join(", ") + (ids.length > MAX_IDS ? `, … and ${ids.length - MAX_IDS} more` : "");
}

/** The environment block at the top of the report, in reading order. */
export function environmentEntries(data: ReportData, verdict: VerdictView | undefined): [string, string][] {
  const m = data.manifest;
  const e: [string, string][] = [];
  e.push(["Gate decision", verdictLine(verdict)]);
  e.push([
    "Build",
    m?.build ? `${m.build.name} ${m.build.version}` : `not observed${m?.buildError ? ` (${m.buildError})` : ""}`,
  ]);
  e.push(["Build digest", m?.build?.digest ?? "(not observed)"]);
  e.push(["Staging URL", m?.baseUrl ?? "(unknown)"]);
  for (const t of data.targets) {
    const c = countsOf(t.scenarios);
    e.push([
      t.name,
      `${targetState(t)} · ${c.passed}/${c.total} passed${c.failed ? `, ${c.failed} failed` : ""}${c.flaky ? `, ${c.flaky} flaky` : ""}${c.other ? `, ${c.other} other` : ""}`,
    ]);
  }
  const m2 = requirementMatrix(data);
  if (m2.requirements.length) {
    const bad = notPassingRequirements(m2);
    const none = withoutScenario(m2);
    e.push([
      "Requirements",
      `${bad.length} of ${m2.requirements.length} not passing${bad.length ? `: ${someIds(bad)}` : ""}` +
        (none.length ? ` · ${none.length} without a scenario on some target: ${someIds(none)}` : ""),
    ]);
  }
  e.push(["Matrix", "see Global Attachments"]);
  const browsers = [...new Set(data.targets.map((t) => t.browserVersion).filter((v): v is string => !!v))];
  if (browsers.length) e.push(["Browser", browsers.map((b) => b.replace(/ built on .*$/, "")).join("; ")]);
  e.push(["Suite commit", m?.gitCommit ?? "(not a git checkout)"]);
  e.push(["Signoff version", m?.toolVersion ?? "(unknown)"]);
  if (m)
    e.push([
      "Run",
      `${m.runId} · ${m.startedAt}${m.finishedAt ? ` → ${m.finishedAt}` : ""}${m.complete ? "" : " · INCOMPLETE"}`,
    ]);
  return e;
}

/** The category label's value, whole: a rule matches Signoff's classification, nothing else. */
const isCategory = (c: FailureCategory) => `^${c}$`;

/**
 * Category rules for Allure 3 (allurerc "categories"), first match wins. Allure cannot see an error's type,
 * so the rules match the label Signoff writes from the type (classifyAllureResults); results without it
 * (an earlier, retried attempt) fall to Allure's own "Product errors" (failed) and "Test errors" (broken).
 */
export function allure3Categories(): object[] {
  return [
    { name: "Flaky (passed on retry)", matchers: { flaky: true } },
    { name: "Environment problem", matchers: { labels: { [CATEGORY_LABEL]: isCategory("environment problem") } } },
    { name: "Test defect", matchers: { labels: { [CATEGORY_LABEL]: isCategory("test defect") } } },
    { name: "Product defect", matchers: { labels: { [CATEGORY_LABEL]: isCategory("product defect") } } },
  ];
}

/** The first line Signoff puts in a classified result's trace: Allure 2 matches no labels, only message, trace and status. */
export const traceMarker = (c: FailureCategory, errorType: string | undefined) =>
  `[signoff] ${c}${errorType ? ` (${errorType})` : ""}`;
const MARKER_LINE = /^\[signoff\] [^\n]*\n?/;

/** The same rules in Allure 2's categories.json shape (a regex must match the whole trace there). */
export function allure2Categories(): object[] {
  const marked = (c: FailureCategory) => `\\[signoff\\] ${c}\\b[\\s\\S]*`;
  return [
    { name: "Flaky (passed on retry)", matchedStatuses: ["passed", "failed", "broken"], flaky: true },
    { name: "Environment problem", matchedStatuses: ["broken"], traceRegex: marked("environment problem") },
    { name: "Test defect", matchedStatuses: ["broken"], traceRegex: marked("test defect") },
    { name: "Product defect", matchedStatuses: ["failed"], traceRegex: marked("product defect") },
  ];
}

/**
 * Writes each failed scenario's category (from its error type, see core/failure-category.ts) into its
 * Allure result, found by the attempt label the World sets: the category label, the status (product
 * defects "failed", red; test defects and environment problems "broken", yellow) and the trace's first
 * line. allure-cucumberjs guesses failed/broken from names and message words, which is not Signoff's rule.
 */
export function classifyAllureResults(allureDir: string, data: Pick<ReportData, "scenarios">): number {
  const byAttempt = new Map(data.scenarios.filter((s) => s.testCaseStartedId).map((s) => [s.testCaseStartedId!, s]));
  let changed = 0;
  rewriteResults(allureDir, (r) => {
    const id = (r.labels ?? []).find((l) => l?.name === ATTEMPT_LABEL)?.value;
    const s = typeof id === "string" ? byAttempt.get(id) : undefined;
    const category = s && categorize(s);
    // The messages decide, not allure-cucumberjs: it leaves an undefined or ambiguous step's result without a
    // status and files a pending one as skipped, though each fails the run (a test defect).
    if (!s || !category || category === "flaky" || r.status === "passed") return false;
    const status = category === "product defect" ? "failed" : "broken";
    const msg = r.statusDetails?.message;
    const fix = (steps: AllureStepFile[] | undefined) => {
      for (const st of steps ?? []) {
        if ((st.status === "broken" || st.status === "failed") && st.statusDetails?.message === msg) st.status = status;
        fix(st.steps);
      }
    };
    fix(r.steps);
    r.status = status;
    r.labels = [
      ...(r.labels ?? []).filter((l) => l?.name !== CATEGORY_LABEL),
      { name: CATEGORY_LABEL, value: category },
    ];
    const trace = typeof r.statusDetails?.trace === "string" ? r.statusDetails.trace.replace(MARKER_LINE, "") : "";
    r.statusDetails = { ...r.statusDetails, trace: `${traceMarker(category, s.errorType)}\n${trace}` };
    changed++;
    return true;
  });
  return changed;
}

/**
 * "Scenario name — target" as the display name, so the four runs of one scenario are told apart in
 * Allure's tree (they stay one test: same testCaseId, the target is a parameter). Idempotent.
 */
export function nameWithTarget(allureDir: string): void {
  rewriteResults(allureDir, (r) => {
    const target = (r.parameters ?? []).find((p) => p?.name === "target")?.value;
    if (!target || typeof r.name !== "string" || r.name.endsWith(` — ${target}`)) return false;
    r.name = `${r.name} — ${target}`;
    return true;
  });
}

/** The parts of an Allure result file Signoff rewrites; read from disk, so any of them may be missing. */
interface AllureResultFile {
  name?: unknown;
  status?: string;
  labels?: Array<{ name?: string; value?: string }>;
  parameters?: Array<{ name?: string; value?: string }>;
  statusDetails?: { message?: string; trace?: unknown };
  steps?: AllureStepFile[];
}
interface AllureStepFile {
  status?: string;
  statusDetails?: { message?: string };
  steps?: AllureStepFile[];
}

/** Applies `change` to every readable Allure result file; writes back those it says it changed. */
function rewriteResults(allureDir: string, change: (result: AllureResultFile) => boolean): void {
  for (const f of readdirSync(allureDir).filter((n) => n.endsWith("-result.json"))) {
    const path = join(allureDir, f);
    let r: AllureResultFile;
    try {
      r = JSON.parse(readFileSync(path, "utf8")) as AllureResultFile;
    } catch {
      continue; // not ours to judge: Allure reports unreadable results itself
    }
    if (change(r)) writeFileSync(path, JSON.stringify(r));
  }
}

/** Fixed names: re-running `signoff report` replaces them instead of piling up. */
export const OVERVIEW_SVG = "signoff-release-overview-attachment.svg";
export const OVERVIEW_HTML = "signoff-release-overview-details-attachment.html";
const OVERVIEW_GLOBALS = "signoff-release-overview-globals.json";

export function writeAllureExtras(
  allureDir: string,
  data: ReportData,
  verdict: VerdictView | undefined,
  executor: Executor | undefined,
  overview: { svg: string; html: string },
): void {
  writeFileSync(join(allureDir, "environment.properties"), toProperties(environmentEntries(data, verdict)));
  writeFileSync(join(allureDir, "categories.json"), JSON.stringify(allure2Categories(), null, 2) + "\n");
  if (executor) writeFileSync(join(allureDir, "executor.json"), JSON.stringify(executor, null, 2) + "\n");
  writeFileSync(join(allureDir, OVERVIEW_SVG), overview.svg);
  writeFileSync(join(allureDir, OVERVIEW_HTML), overview.html);
  const now = Date.now();
  const globals = {
    attachments: [
      {
        name: "Release overview — gate decision, targets, requirements × targets",
        source: OVERVIEW_SVG,
        type: "image/svg+xml",
        timestamp: now,
      },
      {
        name: "Release overview with failures and links (HTML)",
        source: OVERVIEW_HTML,
        type: "text/html",
        timestamp: now + 1,
      },
    ],
    errors: [],
  };
  writeFileSync(join(allureDir, OVERVIEW_GLOBALS), JSON.stringify(globals));
  classifyAllureResults(allureDir, data);
  nameWithTarget(allureDir);
}
