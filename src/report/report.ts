// `signoff report`: from reports/ (run.json, messages, allure-results, verdict) to the Allure HTML
// report, reports/junit.xml, reports/summary.md (+ $GITHUB_STEP_SUMMARY) and reports/overview.html.
import { appendFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../config/load";
import { EXIT, UsageError } from "../core/errors";
import { shownPath } from "../core/shown-path";
import { readManifestBytes } from "../core/manifest";
import { REPORT_OUTPUTS, VERDICT_FILE } from "../core/reports-dir";
import { runAllureGenerate } from "./allure-cli";
import { writeAllureExtras } from "./allure-extras";
import { detectExecutor } from "./ci";
import { junitXml } from "./junit";
import { overviewSvg } from "./overview-svg";
import { buildOverview, overviewHtml, summaryMarkdown } from "./overview";
import { listedRequirements } from "./listed-requirements";
import { featureFilesRead } from "./unread-features";
import { loadReportData, targetState, type ReportData } from "./results";
import { serveReport } from "./serve";
import { decisionOf, judgedRun, readVerdict, verdictLine } from "./verdict";

export interface ReportOptions {
  config?: string;
  reportsDir?: string;
  /** HTML output directory (default <reports>/allure-report). */
  output?: string;
  /** One self-contained index.html that opens from file:// (default true). */
  singleFile?: boolean;
  /** History file; false = none (default <reports>/history/allure-history.jsonl). */
  history?: string | false;
  historyLimit?: number;
  /** Skip the HTML (JUnit + summary only). */
  html?: boolean;
  name?: string;
  verdict?: string;
  /** Public URL of the published report, linked from summary.md. */
  reportUrl?: string;
  open?: boolean;
  port?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export const DEFAULT_HISTORY = join("history", "allure-history.jsonl");

/** The run's run.json as the gate hashed it, to tell whether a verdict judged this run; undefined when unreadable. */
function runJsonBytes(reportsDir: string): Buffer | undefined {
  try {
    return readManifestBytes(join(reportsDir, "run.json"));
  } catch {
    return undefined;
  }
}

export async function generateReport(opts: ReportOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((l: string) => console.log(l));
  const config = loadConfig(opts.config);
  const reportsDir = resolve(opts.reportsDir ?? config.reportsDir);
  if (!existsSync(reportsDir))
    throw new UsageError(`${shownPath(reportsDir)}: no such reports directory — run \`signoff run\` first`);
  const loaded = await loadReportData(reportsDir, config.requirementTagPrefix);
  if (loaded.targets.length === 0)
    throw new UsageError(`${shownPath(reportsDir)}: the run has no targets and no results — run \`signoff run\` first`);
  const verdict = judgedRun(
    readVerdict(shownPath(opts.verdict ? resolve(opts.verdict) : join(reportsDir, VERDICT_FILE))),
    runJsonBytes(reportsDir),
  );
  // Rows for the requirements no scenario result names: what the run declared, what this run's decision covered.
  const data: ReportData = {
    ...loaded,
    listed: listedRequirements(
      loaded.manifest,
      decisionOf(verdict),
      config.requirementTagPrefix,
      featureFilesRead(loaded.manifest, config.features),
    ),
  };
  const overview = buildOverview(data, verdict);
  const ovOpts = { links: config.links, reportUrl: opts.reportUrl, env };
  const html = overviewHtml(overview, ovOpts);
  const rel = shownPath;

  writeFileSync(join(reportsDir, REPORT_OUTPUTS.overview), html);
  writeFileSync(join(reportsDir, REPORT_OUTPUTS.junit), junitXml(data));
  const md = summaryMarkdown(overview, ovOpts);
  writeFileSync(join(reportsDir, REPORT_OUTPUTS.summary), md);
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, md + "\n");
    } catch (err) {
      log(`signoff report: could not write GITHUB_STEP_SUMMARY (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  }

  let index: string | undefined;
  const output = resolve(opts.output ?? join(reportsDir, REPORT_OUTPUTS.allureReport));
  if (opts.html !== false) {
    const allureDir = join(reportsDir, "allure-results");
    if (!existsSync(allureDir))
      throw new UsageError(`${shownPath(allureDir)}: no Allure results — run \`signoff run\` first`);
    const executor = detectExecutor(env);
    if (!executor) rmSync(join(allureDir, "executor.json"), { force: true });
    writeAllureExtras(allureDir, data, verdict, executor, { svg: overviewSvg(overview), html });
    const historyPath = opts.history === false ? undefined : resolve(opts.history ?? join(reportsDir, DEFAULT_HISTORY));
    const b = data.manifest?.build;
    index = await runAllureGenerate({
      resultsDir: allureDir,
      output,
      reportName:
        opts.name ??
        `Signoff · ${b ? `${b.name} ${b.version}` : "acceptance report"} · gate ${decisionOf(verdict)?.result ?? "not run"}`,
      singleFile: opts.singleFile !== false,
      historyPath,
      historyLimit: opts.historyLimit,
    });
    if (historyPath) log(`History: ${rel(historyPath)} (keep this file between runs for trends)`);
  }

  log(`Targets: ${data.targets.map((t) => `${t.name} ${targetState(t)}`).join(", ")} · gate: ${verdictLine(verdict)}`);
  log(
    `Wrote ${rel(join(reportsDir, REPORT_OUTPUTS.summary))}, ${rel(join(reportsDir, REPORT_OUTPUTS.junit))}, ${rel(join(reportsDir, REPORT_OUTPUTS.overview))}`,
  );
  if (index) log(`Report: ${rel(index)}${opts.singleFile !== false ? " (single file: open it from disk)" : ""}`);

  if (opts.open && index) {
    const { server, url } = await serveReport(output, opts.port);
    log(`Serving the report at ${url} (Ctrl+C to stop)`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        server.close(() => done());
        server.closeAllConnections();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  }
  return EXIT.ok;
}
