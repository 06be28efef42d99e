// Generates the HTML report with the Allure 3 CLI (npm package "allure"), offline, then removes the
// analytics tag the Awesome page always includes and pins a Content-Security-Policy that forbids
// every network fetch from the page (links still open when clicked).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EnvironmentError } from "../core/errors";
import { allure3Categories } from "./allure-extras";
import { ATTEMPT_LABEL } from "./allure-labels";

/** node_modules/allure/cli.js (the package's exports hide package.json, so look along the module paths). */
export function allureCliPath(): string {
  for (const dir of require.resolve.paths("allure") ?? []) {
    const cli = join(dir, "allure", "cli.js");
    if (existsSync(cli)) return cli;
  }
  throw new EnvironmentError('the Allure 3 CLI (npm package "allure") is not installed: npm install allure');
}

export interface AllureGenerateOptions {
  resultsDir: string;
  output: string;
  reportName: string;
  singleFile: boolean;
  /** Allure 3 history file (JSON Lines); undefined = no history. */
  historyPath?: string;
  historyLimit?: number;
}

export function allureConfig(o: AllureGenerateOptions): Record<string, unknown> {
  return {
    name: o.reportName,
    output: o.output,
    ...(o.historyPath
      ? { historyPath: o.historyPath, ...(o.historyLimit ? { historyLimit: o.historyLimit } : {}) }
      : {}),
    // Labels that say nothing to a release manager.
    hideLabels: ["language", "framework", "host", "thread", "package", ATTEMPT_LABEL],
    categories: { rules: allure3Categories() },
    plugins: {
      awesome: {
        options: {
          singleFile: o.singleFile,
          reportName: o.reportName,
          reportLanguage: "en",
          theme: "light",
          groupBy: ["epic", "feature", "story"],
        },
      },
    },
  };
}

const ANALYTICS =
  /<script[^>]*googletagmanager\.com[^>]*>\s*<\/script>\s*<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*<\/script>/g;

/** No request leaves the page: everything it needs is inline (data:/blob:) or, served over http, same-origin. */
export const OFFLINE_CSP =
  "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; style-src 'self' 'unsafe-inline' data:; " +
  "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; frame-src 'self' data: blob:; connect-src 'self' data: blob:; worker-src 'self' data: blob:";

/** Removes the Google Analytics tag and adds the offline CSP; throws if anything external is left. */
export function makeOffline(html: string): string {
  let out = html.replace(ANALYTICS, "<!-- analytics tag removed by signoff -->");
  out = out.replace(/<head>/i, `<head>\n    <meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">`);
  const left = /<script[^>]+src="https?:|<link[^>]+href="https?:|googletagmanager|gtag\(/i.exec(out);
  if (left)
    throw new EnvironmentError(
      `the generated report still references an external resource (${left[0]}); refusing to publish it`,
    );
  return out;
}

export async function runAllureGenerate(o: AllureGenerateOptions): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "signoff-allure-"));
  try {
    const configFile = join(work, "allurerc.json");
    writeFileSync(configFile, JSON.stringify(allureConfig(o), null, 2));
    rmSync(o.output, { recursive: true, force: true });
    mkdirSync(o.output, { recursive: true });
    if (o.historyPath) mkdirSync(dirname(o.historyPath), { recursive: true });
    const args = [allureCliPath(), "generate", "--config", configFile, "--output", o.output, o.resultsDir];
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: work,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      });
      let text = "";
      child.stdout!.on("data", (d) => (text += d));
      child.stderr!.on("data", (d) => (text += d));
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code, text }));
    });
    const index = join(o.output, "index.html");
    if (output.code !== 0 || !existsSync(index)) {
      throw new EnvironmentError(
        `the Allure CLI failed (exit ${output.code}): ${output.text.trim().split("\n").slice(-5).join(" | ") || "no output"}`,
      );
    }
    writeFileSync(index, makeOffline(readFileSync(index, "utf8")));
    return index;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
