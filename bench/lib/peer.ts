// The peer a user would pick instead of Signoff: playwright-bdd (Playwright Test + Gherkin), on the same features and Chromium.
//
// Writes a playwright-bdd project next to the generated features (config, two steps doing what Signoff's
// generic steps do), runs `bddgen` + `playwright test` with one worker, and reads each test's start and
// duration from Playwright's JSON reporter so the steady per-scenario cost is computed like Signoff's.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";

export interface PeerTimes {
  /** Per test: start and end (ms since the epoch), in run order. */
  times: { start: number; end: number }[];
  passed: number;
}

/** Writes the project into `dir`; `features` is the folder of generated .feature files. */
export function writePeerProject(dir: string, features: string, baseURL: string, chromium: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "steps.js"),
    `const { createBdd } = require("playwright-bdd");
const { expect } = require("@playwright/test");
const { Given, Then } = createBdd();
Given("I open {string}", async ({ page }, path) => { await page.goto(path, { waitUntil: "load" }); });
Then("I should see {string}", async ({ page }, text) => { await expect(page.locator("body")).toContainText(text); });
`,
  );
  writeFileSync(
    join(dir, "playwright.config.js"),
    `const { defineConfig } = require("@playwright/test");
const { defineBddConfig } = require("playwright-bdd");
const testDir = defineBddConfig({ featuresRoot: ${JSON.stringify(relative(dir, features))}, features: ${JSON.stringify(relative(dir, features) + "/*.feature")}, steps: "steps.js" });
module.exports = defineConfig({
  testDir,
  workers: 1,
  retries: 0,
  outputDir: "test-results",
  reporter: [["json", { outputFile: "results.json" }]],
  use: {
    baseURL: ${JSON.stringify(baseURL)},
    trace: "off",
    screenshot: "off",
    video: "off",
    launchOptions: { executablePath: ${JSON.stringify(chromium)}, args: ${JSON.stringify(HEADLESS_CHROMIUM_ARGS.filter((a) => a !== "--headless"))} },
  },
});
`,
  );
}

interface JsonSuite {
  specs?: { tests: { results: { startTime: string; duration: number; status: string }[] }[] }[];
  suites?: JsonSuite[];
}

/** Every test result in the JSON report, by start time. */
export function readPeerResults(dir: string): PeerTimes {
  const report = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { suites: JsonSuite[] };
  const times: { start: number; end: number }[] = [];
  let passed = 0;
  const walk = (s: JsonSuite) => {
    for (const spec of s.specs ?? [])
      for (const t of spec.tests)
        for (const r of t.results) {
          const start = Date.parse(r.startTime);
          times.push({ start, end: start + r.duration });
          if (r.status === "passed") passed++;
        }
    for (const c of s.suites ?? []) walk(c);
  };
  for (const s of report.suites) walk(s);
  times.sort((a, b) => a.start - b.start);
  return { times, passed };
}
