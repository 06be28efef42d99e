// The release overview a release manager reads first: build, per-target status, the requirement ×
// target matrix, failures and the gate's decision. Rendered as self-contained HTML (an Allure global
// attachment, and reports/overview.html) and as Markdown (reports/summary.md, CI job summaries).
import { failedStepLocation, type ScenarioStatus } from "../core/results-model";
import { applyUrlPattern } from "./allure-labels";
import { messageLine, propertyFailureHeadline } from "../core/message-line";
import { sourceLink } from "./ci";
import {
  countsOf,
  failures,
  gapOf,
  notPassingRequirements,
  requirementMatrix,
  withoutScenario,
  targetState,
  type Category,
  type Matrix,
  type ReportData,
} from "./results";
import { decisionOf, otherRunNote, verdictLine, type VerdictView } from "./verdict";

/** What the run recorded as the suite's commit when the features were not in a git checkout (or git was missing). */
const NO_COMMIT = "(not a git checkout)";

export interface OverviewOptions {
  links: { requirement?: string; issue?: string };
  /** Where the HTML report will be published, for links from the Markdown summary. */
  reportUrl?: string;
  env?: NodeJS.ProcessEnv;
}

// `mark` is an emoji for summary.md (GitHub draws its own); `glyph` the HTML page's, a symbol common text fonts
// have: a CI runner or a locked-down desktop often has no emoji font, and the page showed empty boxes.
const CELL: Record<
  ScenarioStatus | "flaky" | "none" | "na",
  { mark: string; glyph: string; word: string; color: string }
> = {
  passed: { mark: "✅", glyph: "✓", word: "passed", color: "#1a7f37" },
  flaky: { mark: "⚠️", glyph: "⚠", word: "flaky", color: "#9a6700" },
  failed: { mark: "❌", glyph: "✗", word: "failed", color: "#cf222e" },
  skipped: { mark: "⏭️", glyph: "»", word: "skipped", color: "#57606a" },
  pending: { mark: "⏸️", glyph: "…", word: "pending", color: "#9a6700" },
  undefined: { mark: "❓", glyph: "?", word: "undefined", color: "#9a6700" },
  ambiguous: { mark: "❓", glyph: "?", word: "ambiguous", color: "#9a6700" },
  unknown: { mark: "⛔", glyph: "⊘", word: "no result", color: "#cf222e" },
  // No scenario of the requirement has a result on that target: a fact; whether it fails the release is the policy's.
  none: { mark: "∅", glyph: "∅", word: "no scenario", color: "#8250df" },
  na: { mark: "—", glyph: "—", word: "n/a", color: "#8c959f" },
};

function cellKind(m: Matrix, req: string, target: string): keyof typeof CELL {
  const c = m.cells[req]?.[target];
  if (!c) {
    const gap = gapOf(m, req, target);
    return gap === "n/a" ? "na" : gap === "no result" ? "unknown" : "none";
  }
  if (c.status === "passed" && c.flaky) return "flaky";
  return c.status;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/** The failing step in the failures table: its text, and where it is written (`at features/x.feature:12`) when known. */
function stepHtml(text: string, at: string | undefined): string {
  return `<code>${esc(text)}</code>${at ? ` <span class="muted">at ${esc(at)}</span>` : ""}`;
}

/**
 * Untrusted text (ids, names, paths, messages) as Markdown that renders as that text: every character Markdown or its
 * inline HTML acts on is escaped, and control and format characters (a bidi override reorders what a reader sees)
 * are shown as escapes, so no image beacon, link or HTML tag can come from a run.json or a verdict. "(", ")" and "!"
 * stay as they are (a reason reads as written): they make a link or an image only after a "]" or before a "[".
 */
export function mdEsc(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*_[\]<>#~|&]/g, (c) => `\\${c}`)
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** Untrusted text as a code span (shown literally): fenced by more backticks than it holds, controls shown as escapes. */
function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, " ").replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Our own sentences (notes) whose code spans are meant: only what would break the line or a table row. */
function mdLine(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** An error's message in one line (every line of it, no stack), without the "Error: " prefix. */
export function errorHeadline(error: string | undefined, errorType?: string): string {
  // A property's report opens with the property and its counterexample: what failed comes first in a headline.
  const property = errorType === "PropertyAssertionError" ? propertyFailureHeadline(error ?? "") : undefined;
  return messageLine(property ?? error ?? "").replace(/^(Assertion)?Error: /, "") || "(no message)";
}

/** The results files the run did not write (not in run.json): named as files, not targets, in one sentence. */
function unlistedNote(data: ReportData): string | undefined {
  const files = data.unlisted ?? [];
  if (files.length === 0) return undefined;
  return `Not counted: ${files.join(", ")} ${files.length === 1 ? "is a messages file" : "are messages files"} in the results dir that run.json does not list (not a target; the gate fails it: results-unlisted)`;
}

/**
 * " (N of M not passing, K without a scenario on some target)": facts of the results, counted apart; whether a
 * requirement without a scenario somewhere fails the release is the policy's (the gate decision says).
 */
export function matrixCount(m: Matrix): string {
  if (m.requirements.length === 0) return "";
  const none = withoutScenario(m).length;
  return ` (${notPassingRequirements(m).length} of ${m.requirements.length} not passing${none ? `, ${none} without a scenario on some target` : ""})`;
}

/** What the absent cells mean, and the one sentence saying the matrix is no verdict. */
export const GAP_LEGEND = {
  noResult: "⊘ no result: some of that target's results are not here (a results file refused, a shard missing)",
  none: "∅ no scenario ran here: no scenario of that requirement has a result on that target",
  na: "— n/a: tags keep its scenarios off this target (@mobile-only, @target:…)",
  policy: "Whether a gap fails the release is the policy's: the gate decision says which.",
};

export interface Overview {
  title: string;
  testsOk: boolean;
  matrix: Matrix;
  data: ReportData;
  verdict?: VerdictView;
}

export function buildOverview(data: ReportData, verdict: VerdictView | undefined): Overview {
  const b = data.manifest?.build;
  const testsOk =
    data.targets.length > 0 &&
    data.targets.every((t) => targetState(t) === "PASS") &&
    data.manifest?.complete !== false;
  return {
    title: b ? `${b.name} ${b.version}` : "build not identified",
    testsOk,
    matrix: requirementMatrix(data),
    data,
    verdict,
  };
}

// ---------------------------------------------------------------- HTML

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;margin:16px;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin:0 0 12px} code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px;word-break:break-all}
.banner{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.pill{border-radius:8px;padding:10px 14px;font-weight:600;color:#fff;min-width:180px}
.pill small{display:block;font-weight:400;opacity:.92} .pill code{background:rgba(255,255,255,.22);color:inherit}
.ok{background:#1a7f37}.bad{background:#cf222e}.none{background:#6e7781}.warn{background:#9a6700}
table{border-collapse:collapse;margin:4px 0 8px} th,td{border:1px solid #d0d7de;padding:5px 9px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600} td.c{text-align:center;white-space:nowrap;font-weight:600}
ul{margin:4px 0 8px;padding-left:20px} li{margin:2px 0} .muted{color:#57606a} a{color:#0969da}
.cat{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#eaeef2;margin-right:4px}
`;

function cellHtml(kind: keyof typeof CELL, count?: number): string {
  const c = CELL[kind];
  const title = count && count > 1 ? ` (${count} scenarios)` : "";
  return `<td class="c" style="color:${c.color}" title="${c.word}${title}">${c.glyph} ${c.word}</td>`;
}

export function overviewHtml(o: Overview, opts: OverviewOptions): string {
  const { data, matrix } = o;
  const m = data.manifest;
  const reqLink = (r: string) =>
    opts.links.requirement
      ? `<a href="${esc(applyUrlPattern(opts.links.requirement, r))}" target="_blank" rel="noreferrer">${esc(r)}</a>`
      : esc(r);
  const parts: string[] = [];
  parts.push(`<h1>Release overview — ${esc(o.title)}</h1>`);
  parts.push(
    `<p class="sub">Build digest <code>${esc(m?.build?.digest ?? "(not observed)")}</code><br>Staging ${esc(m?.baseUrl ?? "(unknown)")}` +
      ` · suite commit <code>${esc(m?.gitCommit?.slice(0, 12) ?? NO_COMMIT)}</code> · Signoff ${esc(m?.toolVersion ?? "?")}` +
      `${m?.finishedAt ? ` · run finished ${esc(m.finishedAt)}` : ""}</p>`,
  );
  // Banner: gate decision, tests.
  const note = otherRunNote(o.verdict);
  const verdict = decisionOf(o.verdict);
  const vClass = !verdict ? "none" : verdict.result === "PASSED" ? "ok" : "bad";
  const vText = !verdict
    ? `No gate decision ${note ? "for this run" : "yet"}`
    : `Gate decision: ${esc(verdict.result ?? "unreadable")}`;
  const vSub = !verdict
    ? (note && esc(note)) || "run <code>signoff gate</code>"
    : esc(verdict.subject?.sha256 ? `for sha256:${verdict.subject.sha256.slice(0, 12)}…` : verdictLine(verdict));
  const all = countsOf(data.scenarios);
  parts.push(
    `<div class="banner"><div class="pill ${vClass}">${vText}<small>${vSub}</small></div>` +
      `<div class="pill ${o.testsOk ? "ok" : "bad"}">Tests: ${o.testsOk ? "all passed" : "NOT all passed"}<small>${all.passed}/${all.total} scenario runs passed on ${data.targets.length} target(s)${m && !m.complete ? " · run INCOMPLETE" : ""}</small></div></div>`,
  );
  if (verdict) {
    const mismatch =
      verdict.subject?.sha256 && m?.build?.digest && !m.build.digest.endsWith(verdict.subject.sha256)
        ? `<p style="color:#cf222e;font-weight:600">⚠ The verdict is for sha256:${esc(verdict.subject.sha256)}, not for the tested build ${esc(m.build.digest)}.</p>`
        : "";
    parts.push(`<h2>Gate decision: ${esc(verdict.result ?? "unreadable")}</h2>${mismatch}`);
    if (verdict.reasons.length) parts.push(`<ul>${verdict.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`);
    else if (verdict.result) parts.push(`<p class="muted">No reasons given.</p>`);
    const facts = [
      verdict.timeVerified && `decided ${esc(verdict.timeVerified)}`,
      verdict.policy?.sha256 &&
        `policy <code>${esc(verdict.policy.uri ?? "")}</code> sha256:${esc(verdict.policy.sha256.slice(0, 12))}…`,
      verdict.signers.length &&
        `signed by key ${verdict.signers.map((s) => `<code>${esc(s)}</code>`).join(", ")} (not verified here: <code>signoff verify</code> does)`,
    ].filter(Boolean);
    if (facts.length) parts.push(`<p class="muted">${facts.join(" · ")}</p>`);
    if (verdict.signoffs.length)
      parts.push(
        `<p>Sign-offs: ${verdict.signoffs.map((s) => `${esc(s.role ?? "?")} (${esc(s.keyid ?? "?")}${s.time ? `, ${esc(s.time)}` : ""})`).join("; ")}</p>`,
      );
    for (const p of verdict.problems.filter((p) => !/no decision statement/.test(p) || !verdict.result))
      parts.push(`<p style="color:#9a6700">⚠ ${esc(p)}</p>`);
  }
  // Targets.
  parts.push(
    `<h2>Targets</h2><table><tr><th>Target</th><th>Status</th><th>Passed</th><th>Failed</th><th>Other</th><th>Driver · device</th><th>Browser</th></tr>`,
  );
  for (const t of data.targets) {
    const c = countsOf(t.scenarios);
    const st = targetState(t);
    const kind = st === "PASS" ? "passed" : st === "FAIL" ? "failed" : "unknown";
    parts.push(
      `<tr><td><b>${esc(t.name)}</b></td><td class="c" style="color:${CELL[kind].color}">${CELL[kind].glyph} ${st}</td><td>${c.passed}${c.flaky ? ` (${c.flaky} flaky)` : ""}</td><td>${c.failed}</td><td>${c.other}</td>` +
        `<td>${esc([t.driver, t.device].filter(Boolean).join(" · "))}</td><td class="muted">${esc(t.browserVersion ?? "")}${t.error ? `<br><span style="color:#cf222e">${esc(t.error)}</span>` : ""}</td></tr>`,
    );
  }
  parts.push(`</table>`);
  const unlisted = unlistedNote(data);
  if (unlisted) parts.push(`<p style="color:#cf222e">⚠ ${esc(unlisted)}</p>`);
  // Matrix.
  parts.push(`<h2>Requirements × targets${matrixCount(matrix)}</h2>`);
  if (matrix.requirements.length === 0)
    parts.push(`<p class="muted">No scenario or feature file carries a requirement tag.</p>`);
  else {
    parts.push(`<table><tr><th>Requirement</th>${matrix.targets.map((t) => `<th>${esc(t)}</th>`).join("")}</tr>`);
    for (const r of matrix.requirements) {
      parts.push(
        `<tr><td>${reqLink(r)}</td>${matrix.targets.map((t) => cellHtml(cellKind(matrix, r, t), matrix.cells[r]?.[t]?.scenarios)).join("")}</tr>`,
      );
    }
    parts.push(
      `</table><p class="muted">${esc(`${GAP_LEGEND.noResult}. ${GAP_LEGEND.none}. ${GAP_LEGEND.na}. ${GAP_LEGEND.policy}`)}</p>`,
    );
  }
  for (const n of matrix.notes) parts.push(`<p style="color:#9a6700">⚠ ${esc(n)}</p>`);
  if (matrix.untraced.length)
    parts.push(`<p class="muted">Not traced to a requirement: ${matrix.untraced.map(esc).join("; ")}</p>`);
  // Failures.
  const fails = failures(data);
  parts.push(`<h2>Failures (${fails.length})</h2>`);
  if (fails.length === 0) parts.push(`<p class="muted">None.</p>`);
  else {
    parts.push(`<table><tr><th>Scenario</th><th>Target</th><th>Category</th><th>Failing step and error</th></tr>`);
    for (const f of fails) {
      parts.push(
        `<tr><td><b>${esc(f.name)}</b><br><span class="muted">${esc(f.feature)} · ${esc(f.uri)}:${f.line}</span>${f.requirements.length ? `<br>${f.requirements.map(reqLink).join(", ")}` : ""}</td>` +
          `<td>${esc(f.target)}</td><td><span class="cat">${esc(f.category)}</span></td>` +
          `<td>${f.failedStep ? `${stepHtml(f.failedStep, failedStepLocation(f))}<br>` : ""}${esc(errorHeadline(f.error, f.errorType))}</td></tr>`,
      );
    }
    parts.push(
      `</table><p class="muted">Each failed test in the report shows its screenshot, page URL/title, failing locator, page source and (Playwright) trace at the failing step.</p>`,
    );
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Release overview — ${esc(o.title)}</title><style>${CSS}</style></head><body>${parts.join("\n")}</body></html>\n`;
}

// ---------------------------------------------------------------- Markdown

/** `uri:line`, linked to that line on GitHub or GitLab when the report is made there. */
function mdLocation(uri: string, line: number, env: NodeJS.ProcessEnv): string {
  const src = sourceLink(uri, line, env);
  return src ? `[${uri}:${line}](${src})` : `\`${uri}:${line}\``;
}

/** Matrix rows summary.md shows: a CI job summary has a size limit (GitHub: 1 MiB). */
const MAX_SUMMARY_ROWS = 500;

/** A link target in Markdown: no space, and no parenthesis or angle bracket that could end it early. */
function mdUrl(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

const CATEGORY_ORDER: Category[] = ["product defect", "test defect", "environment problem", "flaky"];

export function summaryMarkdown(o: Overview, opts: OverviewOptions): string {
  const env = opts.env ?? process.env;
  const { data, matrix } = o;
  const verdict = decisionOf(o.verdict);
  const note = otherRunNote(o.verdict);
  const m = data.manifest;
  const reqLink = (r: string) =>
    opts.links.requirement ? `[${mdEsc(r)}](${mdUrl(applyUrlPattern(opts.links.requirement, r))})` : mdEsc(r);
  const lines: string[] = [];
  const head = verdict?.result
    ? `${verdict.result === "PASSED" ? "✅" : "❌"} gate ${verdict.result}`
    : o.testsOk
      ? "✅ all scenarios passed (no gate decision yet)"
      : "❌ scenarios failed (no gate decision yet)";
  lines.push(`## Signoff — ${o.title}: ${head}`, "");
  lines.push(
    `Build \`${m?.build?.digest ?? "not observed"}\` on ${m?.baseUrl ?? "(unknown staging)"} · suite \`${m?.gitCommit?.slice(0, 12) ?? NO_COMMIT}\` · Signoff ${m?.toolVersion ?? "?"}` +
      (m && !m.complete ? " · **run INCOMPLETE**" : "") +
      (opts.reportUrl ? ` · [full report](${opts.reportUrl})` : ""),
    "",
  );
  lines.push("| Target | Status | Passed | Failed | Other |", "|---|---|---:|---:|---:|");
  for (const t of data.targets) {
    const c = countsOf(t.scenarios);
    const st = targetState(t);
    lines.push(
      `| ${mdEsc(t.name)} | ${st === "PASS" ? "✅" : st === "FAIL" ? "❌" : "⛔"} ${st} | ${c.passed}${c.flaky ? ` (${c.flaky} flaky)` : ""} | ${c.failed} | ${c.other} |`,
    );
  }
  lines.push("");
  const unlisted = unlistedNote(data);
  if (unlisted) lines.push(`⚠️ ${mdEsc(unlisted)}`, "");
  if (matrix.requirements.length) {
    lines.push(`### Requirements × targets${matrixCount(matrix)}`, "");
    lines.push(
      `| Requirement | ${matrix.targets.map(mdEsc).join(" | ")} |`,
      `|---|${matrix.targets.map(() => ":---:").join("|")}|`,
    );
    // A job summary over 1 MiB is dropped whole: the rows beyond these are in overview.html.
    const shown = matrix.requirements.slice(0, MAX_SUMMARY_ROWS);
    for (const r of shown) {
      lines.push(`| ${reqLink(r)} | ${matrix.targets.map((t) => CELL[cellKind(matrix, r, t)].mark).join(" | ")} |`);
    }
    if (matrix.requirements.length > shown.length)
      lines.push("", `… and ${matrix.requirements.length - shown.length} more requirements (see overview.html)`);
    lines.push(
      "",
      `✅ passed · ⚠️ flaky · ❌ failed · ⛔ ${GAP_LEGEND.noResult.replace(/^⊘ /, "")} · ${GAP_LEGEND.none} · ${GAP_LEGEND.na}. ${GAP_LEGEND.policy}`,
      "",
    );
  }
  for (const n of matrix.notes) lines.push(`⚠️ ${mdLine(n)}`, "");
  const fails = failures(data);
  if (fails.length) {
    lines.push(`### Failures (${fails.length})`, "");
    const sorted = [...fails].sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category));
    const shown = sorted.slice(0, 30);
    for (const f of shown) {
      const where = mdLocation(f.uri, f.line, env);
      const reqs = f.requirements.length ? ` (${f.requirements.map(reqLink).join(", ")})` : "";
      const stepAt = f.failedStepLine === undefined ? "" : ` at ${mdLocation(f.uri, f.failedStepLine, env)}`;
      lines.push(
        `- **${mdEsc(f.name)}** on ${mdCode(f.target)} — ${f.category}${reqs}, ${where}` +
          `\n  ${f.failedStep ? `step ${mdCode(f.failedStep)}${stepAt}: ` : ""}${mdEsc(errorHeadline(f.error, f.errorType))}`,
      );
    }
    if (fails.length > shown.length) lines.push(`- … and ${fails.length - shown.length} more (see the report)`);
    lines.push("");
  }
  const flaky = data.scenarios.filter((s) => s.flaky);
  if (flaky.length)
    lines.push(
      `Flaky (passed on retry): ${flaky.map((s) => `${mdEsc(s.name)} on ${mdCode(s.target)}`).join(", ")}`,
      "",
    );
  lines.push("### Gate decision", "");
  if (!verdict) lines.push(note ? `No decision for this run: ${mdEsc(note)}.` : "No verdict yet — run `signoff gate`.");
  else {
    lines.push(
      `**${verdict.result ?? "unreadable"}**${verdict.subject?.sha256 ? ` for \`sha256:${verdict.subject.sha256}\`` : ""}${verdict.timeVerified ? ` (${verdict.timeVerified})` : ""}`,
    );
    for (const r of verdict.reasons) lines.push(`- ${mdEsc(r)}`);
    for (const p of verdict.problems)
      if (!verdict.result || !/no decision statement/.test(p)) lines.push(`- ⚠ ${mdEsc(p)}`);
  }
  lines.push("");
  return lines.join("\n");
}
