// `signoff report`: command-line wiring for the report.
import { Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext, ParsedOptions } from "../core/command-context";

// Loaded when the command runs, so other commands don't pay for the report's modules.
const report = () => require("./report") as typeof import("./report");

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("--port must be 0-65535");
  return n;
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
}

export function registerReportCommands(program: Command, ctx: CommandContext): void {
  program
    .command("report")
    .description(
      "Allure HTML report (single self-contained file by default, offline), reports/junit.xml and reports/summary.md " +
        "(also appended to $GITHUB_STEP_SUMMARY when set) from the last run and the gate's verdict",
    )
    .option("--reports <dir>", "reports directory of the run (default: the config's reportsDir, reports)")
    .option("--config <file>", "signoff config file (default: signoff.config.yaml if present)")
    .option("-o, --output <dir>", "HTML output directory (default: <reports>/allure-report)")
    .option(
      "--no-single-file",
      "write Allure's multi-file report (needs a web server, e.g. --open) instead of one index.html",
    )
    .option(
      "--history <file>",
      "Allure history file kept between runs (default: <reports>/history/allure-history.jsonl)",
    )
    .option("--no-history", "do not read or append history")
    .addOption(new Option("--history-limit <n>", "keep at most n runs of history").argParser(positive))
    .option("--name <title>", "report title (default: Signoff — <build name> <version>)")
    .option("--verdict <file>", "gate verdict to show (default: <reports>/verdict.intoto.jsonl, if present)")
    .option("--report-url <url>", "where the HTML report will be published, linked from summary.md")
    .option("--no-html", "only write junit.xml, summary.md and overview.html")
    .option("--open", "serve the report on 127.0.0.1 and print its URL (until Ctrl+C)")
    .addOption(new Option("--port <n>", "port for --open (default: a free one)").argParser(port))
    .action(
      ctx.action(async (o: ParsedOptions) =>
        report().generateReport({
          reportsDir: o.reports,
          config: o.config,
          output: o.output,
          singleFile: o.singleFile,
          history: o.history === false ? false : typeof o.history === "string" ? o.history : undefined,
          historyLimit: o.historyLimit,
          name: o.name,
          verdict: o.verdict,
          reportUrl: o.reportUrl,
          html: o.html,
          open: o.open,
          port: o.port,
        }),
      ),
    );
}
