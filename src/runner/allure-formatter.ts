// allure-cucumberjs's formatter for a target's run, with a results writer that does not fsync every file.
import type { IFormatterOptions } from "@cucumber/cucumber";
import AllureCucumberReporter from "allure-cucumberjs/reporter";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestResult, TestResultContainer } from "allure-js-commons";
import { FileSystemWriter } from "allure-js-commons/sdk/reporter";

/**
 * allure-js writes every result through a temp file it fsyncs before the rename: a blocking disk flush
 * (≈ 6 ms here) on each scenario's path, several times per scenario (bench/RESULTS.md). Allure results are
 * the report's input, never the gate's (the gate reads the messages); the rename still makes each file
 * appear whole, and what a power cut could cost is a report the next run writes again. Attachments keep
 * allure-js's own path.
 */
export class UnflushedResultsWriter extends FileSystemWriter {
  private readonly dir: string;

  constructor(config: { resultsDir: string }) {
    super(config);
    this.dir = config.resultsDir;
  }

  override writeResult(result: TestResult): void {
    this.writeJson(`${result.uuid}-result.json`, result);
  }

  override writeGroup(result: TestResultContainer): void {
    this.writeJson(`${result.uuid}-container.json`, result);
  }

  private writeJson(name: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `.signoff-write-${process.pid}-${name}.tmp`);
    try {
      writeFileSync(temp, JSON.stringify(value), "utf8");
      renameSync(temp, join(this.dir, name));
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
  }
}

/** The formatter Cucumber loads (`--format <allure-formatter-entry.js>`); options as allure-cucumberjs's. */
export default class SignoffAllureFormatter extends AllureCucumberReporter {
  constructor(options: IFormatterOptions) {
    const resultsDir = String(options.parsedArgvOptions.resultsDir ?? "allure-results");
    super({
      ...options,
      parsedArgvOptions: { ...options.parsedArgvOptions, writer: new UnflushedResultsWriter({ resultsDir }) },
    });
  }
}
