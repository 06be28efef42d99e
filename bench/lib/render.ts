// Renders bench results as Markdown into bench/RESULTS.md, between the generated-section markers;
// the hand-written analysis around them is kept.
import { ROLE_COLUMNS } from "./memory-roles";

export const BEGIN = "<!-- bench:generated:begin (npm run bench rewrites this part) -->";
export const END = "<!-- bench:generated:end -->";

/* eslint-disable @typescript-eslint/no-explicit-any */
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : "–");
const yes = (ok: boolean) => (ok ? "**met**" : "**not met**");

export function renderGenerated(r: any): string {
  const out: string[] = [BEGIN, ""];
  const m = r.machine;
  out.push(
    `Measured ${r.date} (${r.mode} run, ${r.benchMinutes} min, commit ${r.gitCommit}${r.env.SIGNOFF_TRACE !== "(unset)" ? `, SIGNOFF_TRACE=${r.env.SIGNOFF_TRACE}` : ""}).`,
    "",
  );
  out.push(
    `Machine: ${m.nproc} × ${m.cpu}, ${m.memoryGB} GB RAM, Linux ${m.kernel}; load average at start ${m.loadAvgAtStart.join(" / ")}, at end ${r.loadAvgAtEnd.join(" / ")} (1/5/15 min).`,
    "",
  );
  out.push(
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(" · ")}.`,
    "",
  );

  if (r.runs) {
    const s = r.runs.summary as any[];
    out.push("### Per-scenario cost against the raw driver (same run)", "");
    out.push(
      `Suites of ${r.runs.sizes.join(" / ")} trivial scenarios (\`Given I open "/about"\` + \`Then I should see "About"\`) against a local staging; raw = one browser (Playwright: one context, one page; Selenium: one session) looping load + read ${r.runs.rawIterations} times, once before and once after the target's Signoff runs (mean of both).`,
      "",
    );
    if (r.runs.peerTarget)
      out.push(
        `playwright-bdd (${r.versions["playwright-bdd"]}, @playwright/test ${r.versions["@playwright/test"]}, one worker, a new context per test, tracing off) runs the same features against the same Chromium with ${r.runs.peerTarget}'s raw loops around it, right after Signoff at each size; its start-up includes \`bddgen\`.`,
        "",
      );
    const range = (x: number[] | undefined) => (x ? `${f2(x[0])}–${f2(x[1])}` : "–");
    out.push(
      "| contender | raw s/load+read | s/scenario (wall slope) | ratio (noise range) | s/scenario (steady, largest suite) | ratio (noise range) | target ≤ 1.3× | start-up (intercept) | raw start-up | peak RSS (PSS) | peak RSS raw (PSS) |",
    );
    out.push("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const t of s)
      out.push(
        `| ${t.target} | ${f3(t.rawS)} | ${f3(t.wallSlopeS)} | ${f2(t.ratioSlope)}× (${range(t.ratioSlopeRange)}) | ${f3(t.steadyS)} | ${f2(t.ratioSteady)}× (${range(t.ratioSteadyRange)}) | ${t.target === "playwright-bdd" ? "(peer)" : yes(Math.max(t.ratioSlope, t.ratioSteady) <= 1.3)} | ${f1(t.startupS)} s | ${f1(t.rawStartupS)} s | ${t.peakRssMB} MB (${t.peakPssMB}) | ${t.rawPeakRssMB} MB (${t.rawPeakPssMB}) |`,
      );
    out.push("");
    out.push(
      "Noise range: the ratio against the raw loop run before and against the one run after the contender (both in this run).",
      "",
    );
    out.push("### Scaling", "");
    out.push(
      "| target | n | wall | steady s/scenario | ratio to raw | first step started at (start-up ≤ 3 s) | first scenario done at | duration drift (ms per 100 scenarios) | peak RSS (PSS) | processes | all passed |",
    );
    out.push("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const row of r.runs.rows as any[]) {
      const raw = s.find((t) => t.target === row.target)?.rawS;
      out.push(
        `| ${row.target} | ${row.n} | ${f1(row.wallS)} s | ${f3(row.steadyS)} | ${f2(row.steadyS / raw)}× | ${row.firstStepS === undefined ? "–" : `${f1(row.firstStepS)} s`} | ${f1(row.firstScenarioS)} s | ${f1(row.driftMsPer100)} | ${row.peakRssMB} MB (${row.peakPssMB}) | ${row.processes} | ${row.passed ? "yes" : "**no**"} |`,
      );
    }
    out.push("");
    const byRole = (r.runs.rows as any[]).filter((row) => row.pssByRoleMB);
    if (byRole.length) {
      out.push(
        "Peak PSS per kind of process (MB; each column's own peak during the run, so they do not add up to the tree's peak):",
        "",
        `| target | n | ${ROLE_COLUMNS.join(" | ")} |`,
        `|---|---|${ROLE_COLUMNS.map(() => "---|").join("")}`,
      );
      for (const row of byRole)
        out.push(`| ${row.target} | ${row.n} | ${ROLE_COLUMNS.map((c) => row.pssByRoleMB[c] ?? "–").join(" | ")} |`);
      out.push("");
    }
    const withBreakdown = (r.runs.rows as any[]).filter((row) => row.breakdownMs);
    if (withBreakdown.length) {
      out.push("Where a scenario's time goes (largest suite, mean ms per hook/step, first scenario excluded):", "");
      out.push(
        "| target | " +
          [
            "hook: open a browser session",
            'step: I open "/about"',
            'step: I should see "About"',
            "hook: close the browser session",
          ].join(" | ") +
          " | other hooks | between scenarios |",
      );
      out.push("|---|---|---|---|---|---|---|");
      for (const row of withBreakdown) {
        const b = row.breakdownMs as Record<string, number>;
        const named = [
          "hook: open a browser session",
          'step: I open "/about"',
          'step: I should see "About"',
          "hook: close the browser session",
        ];
        const other = Object.entries(b)
          .filter(([k]) => !named.includes(k))
          .reduce((a, [, v]) => a + v, 0);
        out.push(
          `| ${row.target} | ${named.map((k) => b[k] ?? "–").join(" | ")} | ${other} | ${row.betweenMs !== undefined ? Math.round(row.betweenMs) : "–"} |`,
        );
      }
      out.push("");
    }
    const pr = r.runs.parallel;
    if (pr) {
      const one = (r.runs.rows as any[]).find((x) => x.target === pr.target && x.n === pr.n);
      out.push(
        `\`--parallel 2\` (${pr.target}, ${pr.n} scenarios): wall ${f1(pr.wallS)} s vs ${f1(one?.wallS)} s with one worker; steady ${f3(pr.steadyS)} vs ${f3(one?.steadyS)} s/scenario; peak RSS ${pr.peakRssMB} MB vs ${one?.peakRssMB} MB.`,
        "",
      );
    }
    out.push("Raw loops:", "");
    out.push(
      "| target | when | iterations | mean s | median s | start-up (process → first page read) | peak RSS (PSS) |",
    );
    out.push("|---|---|---|---|---|---|---|");
    for (const w of r.runs.raw as any[])
      out.push(
        `| ${w.target} | ${w.when} | ${w.n} | ${f3(w.perIterS)} | ${f3(w.medianS)} | ${f1(w.startupS)} s | ${w.peakRssMB} MB (${w.peakPssMB}) |`,
      );
    out.push("");
  }

  if (r.gate) {
    out.push("### Gate: evaluate + sign, approve, verify", "");
    out.push(
      `Synthetic results over 4 targets (messages shaped like cucumber-js 12 writes them: 6 test steps per scenario), policy = gate.policy.yaml (sha256:${String(r.gate.policyDigest).slice(0, 12)}…), ECDSA P-256 keys. "command" = the command's own work in its process (modules loaded); "process" = node start → exit as a user sees it (module loading included; Signoff ran as ${r.env.signoff ?? "TypeScript sources"}).`,
      "",
    );
    if (r.gateRun)
      out.push(
        `Measured in a run of its own (\`--only gate\`) at ${r.gateRun.date}, commit ${r.gateRun.gitCommit}, load average ${r.gateRun.loadAvgAtStart.join(" / ")} at start.`,
        "",
      );
    out.push("| step | scenarios | input | command | process | max RSS | target | exit |");
    out.push("|---|---|---|---|---|---|---|---|");
    for (const g of r.gate.rows as any[]) {
      let target = "";
      if (g.what === "gate" && g.size === 100000)
        target = `≤ 1 s, ≤ 200 MB: ${yes(g.commandMs <= 1000 && g.maxRssMB <= 200)}`;
      if (g.what === "verify") target = `≤ 100 ms: ${yes(g.commandMs <= 100)}`;
      const input = g.inputMB !== undefined ? `${g.inputMB} MB` : "";
      out.push(
        `| ${g.what} | ${g.size} | ${input} | ${ms(g.commandMs)} | ${ms(g.processMs)} | ${g.maxRssMB} MB | ${target} | ${g.ok ? "0" : "**≠0**"} |`,
      );
    }
    out.push("");
  }

  if (r.report) {
    out.push("### Report", "");
    out.push(
      "| scenarios | input (messages + Allure results) | command | process | max RSS (node) | peak RSS (tree, incl. Allure) | exit |",
    );
    out.push("|---|---|---|---|---|---|---|");
    for (const g of r.report as any[])
      out.push(
        `| ${g.size} | ${g.inputMB} MB | ${ms(g.commandMs)} | ${ms(g.processMs)} | ${g.maxRssMB} MB | ${g.peakTreeRssMB} MB | ${g.ok ? "0" : "**≠0**"} |`,
      );
    out.push("");
  }
  out.push(END);
  return out.join("\n");
}

export function renderResults(existing: string, results: unknown): string {
  const generated = renderGenerated(results);
  const a = existing.indexOf(BEGIN);
  const b = existing.indexOf(END);
  if (a >= 0 && b > a) return existing.slice(0, a) + generated + existing.slice(b + END.length);
  return `# Benchmark results\n\n${generated}\n`;
}
