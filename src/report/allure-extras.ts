// Run-level Allure inputs written at report time from run.json + messages (the runner stays untouched):
// environment.properties, executor.json, categories.json (Allure 2 readers) and the categories for
// Allure 3, the release overview as a global attachment, and assertion failures marked "failed".
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Executor } from "./ci";
import { countsOf, failingRequirements, requirementMatrix, targetState, ASSERTION_PATTERN, ENVIRONMENT_PATTERN, TEST_DEFECT_PATTERN, type ReportData } from "./results";
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
    else if ((isKey && /[ =:#!]/.test(ch)) || (!isKey && i === 0 && (ch === " " || ch === "#" || ch === "!"))) out += "\\" + ch;
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

/** The environment block at the top of the report, in reading order. */
export function environmentEntries(data: ReportData, verdict: VerdictView | undefined): [string, string][] {
  const m = data.manifest;
  const e: [string, string][] = [];
  e.push(["Gate decision", verdictLine(verdict)]);
  e.push(["Build", m?.build ? `${m.build.name} ${m.build.version}` : `not observed${m?.buildError ? ` (${m.buildError})` : ""}`]);
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
    const bad = failingRequirements(m2);
    e.push(["Requirements", `${m2.requirements.length - bad.length}/${m2.requirements.length} pass everywhere${bad.length ? ` · failing: ${bad.join(", ")}` : ""}`]);
  }
  e.push(["Matrix", "see Global Attachments"]);
  const browsers = [...new Set(data.targets.map((t) => t.browserVersion).filter((v): v is string => !!v))];
  if (browsers.length) e.push(["Browser", browsers.map((b) => b.replace(/ built on .*$/, "")).join("; ")]);
  e.push(["Suite commit", m?.gitCommit ?? "(not a git checkout)"]);
  e.push(["Signoff version", m?.toolVersion ?? "(unknown)"]);
  if (m) e.push(["Run", `${m.runId} · ${m.startedAt}${m.finishedAt ? ` → ${m.finishedAt}` : ""}${m.complete ? "" : " · INCOMPLETE"}`]);
  return e;
}

/** Category rules for Allure 3 (allurerc "categories"), first match wins; regexes are JS source strings. */
export function allure3Categories(): object[] {
  return [
    { name: "Flaky (passed on retry)", matchers: { flaky: true } },
    { name: "Environment problem", matchers: { statuses: ["failed", "broken", "unknown"], message: ENVIRONMENT_PATTERN.source } },
    { name: "Test defect", matchers: [{ statuses: ["broken", "unknown"] }, { statuses: ["failed"], message: TEST_DEFECT_PATTERN.source }] },
    { name: "Product defect", matchers: { statuses: ["failed"] } },
  ];
}

/** The same rules in Allure 2's categories.json shape (regexes must match the whole message there). */
export function allure2Categories(): object[] {
  const any = (re: RegExp) => `[\\s\\S]*(${re.source.replace(/\(\?i\)/g, "")})[\\s\\S]*`;
  return [
    { name: "Flaky (passed on retry)", matchedStatuses: ["passed", "failed", "broken"], flaky: true },
    { name: "Environment problem", matchedStatuses: ["failed", "broken", "unknown"], messageRegex: any(ENVIRONMENT_PATTERN) },
    { name: "Test defect", matchedStatuses: ["broken", "unknown"] },
    { name: "Product defect", matchedStatuses: ["failed"] },
  ];
}

/**
 * Cucumber reports every step error the same way, so allure-cucumberjs marks plain assertion errors
 * "broken". An assertion (a message starting "expected ...") that is not a locator or environment
 * problem is a product failure: mark it "failed", so red means product and yellow means test/infra.
 */
export function markAssertionFailures(allureDir: string): number {
  let changed = 0;
  rewriteResults(allureDir, (r) => {
    if (r.status !== "broken") return false;
    const msg: string = r.statusDetails?.message ?? "";
    if (!ASSERTION_PATTERN.test(msg) || TEST_DEFECT_PATTERN.test(msg) || ENVIRONMENT_PATTERN.test(msg)) return false;
    r.status = "failed";
    const fix = (steps: any[] | undefined) => {
      for (const s of steps ?? []) {
        if (s.status === "broken" && s.statusDetails?.message === msg) s.status = "failed";
        fix(s.steps);
      }
    };
    fix(r.steps);
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
    const target = (r.parameters ?? []).find((p: any) => p?.name === "target")?.value;
    if (!target || typeof r.name !== "string" || r.name.endsWith(` — ${target}`)) return false;
    r.name = `${r.name} — ${target}`;
    return true;
  });
}

/** Applies `change` to every readable Allure result file; writes back those it says it changed. */
function rewriteResults(allureDir: string, change: (result: any) => boolean): void {
  for (const f of readdirSync(allureDir).filter((n) => n.endsWith("-result.json"))) {
    const path = join(allureDir, f);
    let r: any;
    try {
      r = JSON.parse(readFileSync(path, "utf8"));
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
      { name: "Release overview — gate decision, targets, requirements × targets", source: OVERVIEW_SVG, type: "image/svg+xml", timestamp: now },
      { name: "Release overview with failures and links (HTML)", source: OVERVIEW_HTML, type: "text/html", timestamp: now + 1 },
    ],
    errors: [],
  };
  writeFileSync(join(allureDir, OVERVIEW_GLOBALS), JSON.stringify(globals));
  markAssertionFailures(allureDir);
  nameWithTarget(allureDir);
}
