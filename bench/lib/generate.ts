// Generated inputs for the benchmark: trivial feature suites, and synthetic results directories
// (Cucumber messages NDJSON shaped like cucumber-js 12 writes them, run.json, Allure results).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { readMessagesFileDigested } from "../../src/results/read-messages";
import { recordMessagesFile } from "../../src/results/results-index";
import type { RunManifest } from "../../src/core/manifest";
import { featureTagsRecord } from "../../src/core/feature-tags";
import { checkFeatures } from "../../src/runner/features";
import { judgedBy } from "../../src/core/judged-by";

/** N scenarios of "open a page, read a value" with the generic steps, 100 per feature file. */
export function writeTrivialSuite(dir: string, n: number, perFile = 100): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f * perFile < Math.max(n, 1); f++) {
    const lines = [`Feature: Bench suite ${f + 1}`, ""];
    for (let i = f * perFile; i < Math.min(n, (f + 1) * perFile); i++) {
      lines.push(`  Scenario: trivial ${i + 1}`, '    Given I open "/about"', '    Then I should see "About"', "");
    }
    writeFileSync(join(dir, `bench-${String(f + 1).padStart(3, "0")}.feature`), lines.join("\n"));
  }
}

export const BENCH_TARGETS = ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"];
export const BENCH_DIGEST = "c".repeat(64);
export const BENCH_ARTIFACT = `bench-staging@sha256:${BENCH_DIGEST}`;
const REQUIREMENTS = 200;
const PER_FILE = 100;

/** A UUID-shaped id (36 chars, like cucumber's) that is cheap to make. */
function uid(kind: number, n: number): string {
  const h = n.toString(16).padStart(12, "0");
  return `0000000${kind}-0000-4000-8000-${h}`;
}

/** Batched writes: building 100k scenarios' worth of NDJSON as one string would itself need GBs. */
class Out {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  line(obj: unknown): void {
    const s = JSON.stringify(obj) + "\n";
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 4 << 20) this.flush();
  }
  flush(): void {
    writeSync(this.fd, this.buf.join(""));
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function ts(ms: number) {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/**
 * A results directory with `total` scenario results over the four policy targets (total/4 each):
 * DIR/features/*.feature (requirement tags), DIR/reports/{run.json, messages/<target>.ndjson} and,
 * when `allure` is set, DIR/reports/allure-results/*-result.json. Every scenario passes. Each messages
 * file gets its results index, as `signoff run` writes it.
 */
export async function writeSyntheticResults(
  dir: string,
  total: number,
  opts: { allure?: boolean } = {},
): Promise<{ reports: string; features: string }> {
  const features = join(dir, "features");
  const reports = join(dir, "reports");
  mkdirSync(features, { recursive: true });
  mkdirSync(join(reports, "messages"), { recursive: true });
  const perTarget = Math.ceil(total / BENCH_TARGETS.length);
  const files = Math.ceil(perTarget / PER_FILE);
  const req = (i: number) => `@REQ-${(i % REQUIREMENTS) + 1}`;

  // Feature files (the gate's "requirements: all" reads their tags).
  const featureFiles: string[] = [];
  const featureTexts: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines = [`Feature: Synthetic ${f + 1}`, ""];
    for (let i = f * PER_FILE; i < Math.min(perTarget, (f + 1) * PER_FILE); i++)
      lines.push(
        `  ${req(i)}`,
        `  Scenario: synthetic ${i + 1}`,
        '    Given I open "/about"',
        '    Then I should see "About"',
        "",
      );
    featureFiles.push(join(features, `synthetic-${String(f + 1).padStart(4, "0")}.feature`));
    featureTexts.push(lines.join("\n"));
    writeFileSync(featureFiles[f], featureTexts[f]);
  }

  const start = Date.parse("2025-01-01T00:00:00Z");
  const manifest: RunManifest = {
    schema: "signoff/run@1",
    runId: "00000000-0000-4000-8000-bench0000000",
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(start + 3600_000).toISOString(),
    toolVersion: "bench",
    baseUrl: "http://127.0.0.1:1",
    build: { name: "bench-staging", version: "1.0.0", digest: `sha256:${BENCH_DIGEST}` },
    // As `signoff run` records them: the gate that trusts this run takes each file's tags from here.
    featureTags: featureTagsRecord(checkFeatures(featureFiles)),
    targets: [],
    complete: true,
    // What `signoff run` records (the gate fails a run without it): the generic steps and the world's hooks.
    judgedBy: judgedBy(["steps/generic/page.steps.ts", "src/world.ts"], join(__dirname, "..", "..")),
  };

  const hookIds = [uid(1, 1), uid(1, 2), uid(1, 3)];
  const stepDefIds = [uid(2, 1), uid(2, 2)];
  let allureN = 0;
  for (const [t, target] of BENCH_TARGETS.entries()) {
    const out = new Out(join(reports, "messages", `${target}.ndjson`));
    out.line({
      meta: {
        protocolVersion: "27.0.0",
        implementation: { name: "cucumber-js", version: "12.9.0" },
        runtime: { name: "node.js", version: process.versions.node },
        os: { name: "linux" },
        cpu: { name: "x64" },
      },
    });
    for (const [i, text] of ["I open {string}", "I should see {string}"].entries())
      out.line({
        stepDefinition: {
          id: stepDefIds[i],
          pattern: { source: text, type: "CUCUMBER_EXPRESSION" },
          sourceReference: { uri: "steps/generic/page.steps.ts", location: { line: 10 + i } },
        },
      });
    for (const [i, name] of ["open a browser session", "allure", "close the browser session"].entries())
      out.line({
        hook: {
          id: hookIds[i],
          name,
          type: i === 2 ? "AFTER_TEST_CASE" : "BEFORE_TEST_CASE",
          sourceReference: { uri: "src/world.ts", location: { line: 100 + i } },
        },
      });
    out.line({ testRunStarted: { timestamp: ts(start), id: uid(3, t) } });
    let n = 0; // global scenario counter across files (per target)
    for (let f = 0; f < files; f++) {
      const uri = `features/synthetic-${String(f + 1).padStart(4, "0")}.feature`;
      out.line({ source: { uri, data: featureTexts[f], mediaType: "text/x.cucumber.gherkin+plain" } });
      const first = f * PER_FILE;
      const last = Math.min(perTarget, (f + 1) * PER_FILE);
      const children = [];
      for (let i = first; i < last; i++) {
        const line = 3 + (i - first) * 5;
        children.push({
          scenario: {
            id: uid(4, i),
            tags: [{ location: { line: line - 1, column: 3 }, name: req(i), id: uid(5, i) }],
            location: { line, column: 3 },
            keyword: "Scenario",
            name: `synthetic ${i + 1}`,
            description: "",
            steps: [
              {
                id: uid(6, 2 * i),
                location: { line: line + 1, column: 5 },
                keyword: "Given ",
                keywordType: "Context",
                text: 'I open "/about"',
              },
              {
                id: uid(6, 2 * i + 1),
                location: { line: line + 2, column: 5 },
                keyword: "Then ",
                keywordType: "Outcome",
                text: 'I should see "About"',
              },
            ],
            examples: [],
          },
        });
      }
      out.line({
        gherkinDocument: {
          uri,
          feature: {
            tags: [],
            location: { line: 1, column: 1 },
            language: "en",
            keyword: "Feature",
            name: `Synthetic ${f + 1}`,
            description: "",
            children,
          },
          comments: [],
        },
      });
      for (let i = first; i < last; i++) {
        out.line({
          pickle: {
            id: uid(7, i),
            uri,
            location: { line: 3 + (i - first) * 5, column: 3 },
            astNodeIds: [uid(4, i)],
            tags: [{ name: req(i), astNodeId: uid(5, i) }],
            name: `synthetic ${i + 1}`,
            language: "en",
            steps: [
              { id: uid(8, 2 * i), text: 'I open "/about"', type: "Context", astNodeIds: [uid(6, 2 * i)] },
              { id: uid(8, 2 * i + 1), text: 'I should see "About"', type: "Outcome", astNodeIds: [uid(6, 2 * i + 1)] },
            ],
          },
        });
      }
      for (let i = first; i < last; i++) {
        out.line({
          testCase: {
            testRunStartedId: uid(3, t),
            pickleId: uid(7, i),
            id: uid(9, i),
            testSteps: [
              { id: uid(10, 6 * i), hookId: hookIds[0] },
              { id: uid(10, 6 * i + 1), hookId: hookIds[1] },
              { id: uid(10, 6 * i + 2), hookId: hookIds[1] },
              {
                id: uid(10, 6 * i + 3),
                pickleStepId: uid(8, 2 * i),
                stepDefinitionIds: [stepDefIds[0]],
                stepMatchArgumentsLists: [
                  {
                    stepMatchArguments: [
                      {
                        group: {
                          start: 7,
                          value: '"/about"',
                          children: [{ start: 8, value: "/about", children: [{}] }, { children: [{}] }],
                        },
                        parameterTypeName: "string",
                      },
                    ],
                  },
                ],
              },
              {
                id: uid(10, 6 * i + 4),
                pickleStepId: uid(8, 2 * i + 1),
                stepDefinitionIds: [stepDefIds[1]],
                stepMatchArgumentsLists: [
                  {
                    stepMatchArguments: [
                      {
                        group: {
                          start: 13,
                          value: '"About"',
                          children: [{ start: 14, value: "About", children: [{}] }, { children: [{}] }],
                        },
                        parameterTypeName: "string",
                      },
                    ],
                  },
                ],
              },
              { id: uid(10, 6 * i + 5), hookId: hookIds[2] },
            ],
          },
        });
      }
      for (let i = first; i < last; i++, n++) {
        const t0 = start + n * 150;
        const started = uid(11, i);
        out.line({ testCaseStarted: { attempt: 0, testCaseId: uid(9, i), id: started, timestamp: ts(t0) } });
        for (let s = 0; s < 6; s++) {
          out.line({
            testStepStarted: { testCaseStartedId: started, testStepId: uid(10, 6 * i + s), timestamp: ts(t0 + s * 20) },
          });
          if (s === 1)
            out.line({
              attachment: {
                testCaseStartedId: started,
                testStepId: uid(10, 6 * i + s),
                body: JSON.stringify({ parameter: [{ name: "target", value: target }] }),
                mediaType: "application/vnd.allure.message+json",
                contentEncoding: "IDENTITY",
                timestamp: ts(t0 + s * 20),
              },
            });
          out.line({
            testStepFinished: {
              testCaseStartedId: started,
              testStepId: uid(10, 6 * i + s),
              testStepResult: { duration: { seconds: 0, nanos: 19_000_000 }, status: "PASSED" },
              timestamp: ts(t0 + s * 20 + 19),
            },
          });
        }
        out.line({ testCaseFinished: { testCaseStartedId: started, timestamp: ts(t0 + 130), willBeRetried: false } });
      }
    }
    out.line({
      testRunFinished: { testRunStartedId: uid(3, t), timestamp: ts(start + perTarget * 150 + 10), success: true },
    });
    out.close();
    // The results index beside the messages, recorded in run.json, exactly as `signoff run` leaves it.
    const rel = `messages/${target}.ndjson`;
    const file = join(reports, rel);
    const read = await readMessagesFileDigested(file, { target });
    const index = recordMessagesFile(file, rel, read.results, read.digest);
    manifest.targets.push({
      files: { [rel]: index },
      name: target,
      driver: target.startsWith("pw") ? "playwright" : "selenium",
      device: target.endsWith("desktop") ? "Desktop Chrome" : "Pixel 7",
      messages: [`messages/${target}.ndjson`],
      complete: true,
      exitCode: 0,
      signal: null,
      counts: { passed: perTarget, failed: 0, other: 0 },
    });

    if (opts.allure) {
      const ad = join(reports, "allure-results");
      mkdirSync(ad, { recursive: true });
      for (let i = 0; i < perTarget; i++, allureN++) {
        const t0 = start + i * 150;
        const name = `synthetic ${i + 1}`;
        const step = (nm: string, s: number) => ({
          status: "passed",
          statusDetails: {},
          stage: "finished",
          steps: [],
          attachments: [],
          parameters: [],
          start: s,
          name: nm,
          stop: s + 19,
        });
        const uuid = uid(12, allureN);
        const feature = `Synthetic ${Math.floor(i / PER_FILE) + 1}`;
        writeFileSync(
          join(ad, `${uuid}-result.json`),
          JSON.stringify({
            uuid,
            name,
            historyId: `${(i + 1).toString(16).padStart(32, "0")}:${t.toString(16).padStart(32, "0")}`,
            status: "passed",
            statusDetails: {},
            stage: "finished",
            steps: [step('Given I open "/about"', t0 + 40), step('Then I should see "About"', t0 + 80)],
            attachments: [],
            parameters: [{ name: "target", value: target }],
            labels: [
              { name: "language", value: "javascript" },
              { name: "framework", value: "cucumberjs" },
              { name: "feature", value: feature },
              { name: "tag", value: req(i).slice(1) },
            ],
            links: [],
            start: t0,
            stop: t0 + 130,
            testCaseId: (i + 1).toString(16).padStart(32, "0"),
            fullName: `signoff:features/synthetic-${String(Math.floor(i / PER_FILE) + 1).padStart(4, "0")}.feature#${name}`,
            titlePath: ["signoff", "features", feature],
          }),
        );
      }
    }
  }
  writeFileSync(join(reports, "run.json"), JSON.stringify(manifest, null, 2) + "\n");
  return { reports, features };
}
