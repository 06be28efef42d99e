// Where the failing step is written: the results model takes it from the messages (a pickle step's AST node → the
// Gherkin step's line: a Background's step, a step whose text the scenario repeats, a Scenario Outline's step for a
// row), keeps it in the results index, and every output that names a failing step names its feature:line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFeature, picklesOf, newIds } from "../../src/core/gherkin";
import { failedStepLocation, failedStepPhrase, type TargetResults } from "../../src/core/results-model";
import { readMessagesFile } from "../../src/results/read-messages";
import { parseResultsIndex, writeResultsIndex } from "../../src/results/results-index";
import { evaluate } from "../../src/gate/evaluate";
import { parsePolicy } from "../../src/gate/policy";
import type { LoadedResults } from "../../src/results/loader";
import type { RunManifest } from "../../src/core/manifest";
import { junitXml } from "../../src/report/junit";
import { buildOverview, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import type { ReportData } from "../../src/report/results";
import { describeNotPassed } from "../../src/runner/run";
import { ARTIFACT, DIGEST, JUDGED_BY, tmp } from "./gate-helpers";

const URI = "features/checkout.feature";
const FEATURE = `Feature: Checkout
  Background:
    Given I open "/"

  Scenario: Two items in the basket
    When I click the "Add" button
    When I click the "Add" button
    Then I should see "2 items"

  Scenario: The home page answers
    Then I should see "Welcome"

  Scenario: A hook breaks
    Then I should see "Welcome"

  Scenario Outline: Totals
    When I add <n> items
    Then I should see "<total>"

    Examples:
      | n | total |
      | 1 | €5    |
      | 2 | €10   |

  Rule: Members
    Background:
      Given I sign in as "ada"

    Scenario: Member prices
      Then I should see "€9"
`;

/** The line of the nth (1-based) occurrence of `text` as a whole line of FEATURE, trimmed. */
function lineOf(text: string, nth = 1): number {
  const lines = FEATURE.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].trim() === text && ++seen === nth) return i + 1;
  throw new Error(`no line ${nth} × ${text}`);
}

/**
 * How each pickle (by name and, for an outline, its first cell) fails: the pickle step at that index (Background
 * steps come first, as Cucumber compiles them), or its Before hook; unlisted pickles pass.
 */
const FAILS: Record<string, number | "hook"> = {
  "Two items in the basket": 2, // the second of the two "Add" clicks
  "The home page answers": 0, // the feature's Background step
  "A hook breaks": "hook",
  "Totals 2": 2, // the outline's `Then I should see "<total>"`, row n=2
  "Member prices": 1, // the Rule's Background step (after the feature's)
};

/** Cucumber messages for FEATURE: Gherkin's own AST and pickles (their astNodeIds), each pickle run once. */
function messages(): string {
  const newId = newIds();
  const doc = parseFeature(FEATURE, URI, newId);
  const pickles = picklesOf(doc, URI, newId);
  const out: unknown[] = [
    { source: { uri: URI, data: FEATURE, mediaType: "text/x.cucumber.gherkin+plain" } },
    { gherkinDocument: doc },
    ...pickles.map((pickle) => ({ pickle })),
  ];
  const ts = (n: number) => ({ seconds: 1000 + n, nanos: 0 });
  pickles.forEach((p, i) => {
    const row = doc.feature!.children.find((c) => c.scenario?.id === p.astNodeIds[0])?.scenario?.examples[0];
    const cell = row?.tableBody.find((r) => r.id === p.astNodeIds[1])?.cells[0]?.value;
    const fails = FAILS[cell ? `${p.name} ${cell}` : p.name];
    const steps = [
      { id: `h${i}`, hookId: "before" },
      ...p.steps.map((s, k) => ({ id: `t${i}-${k}`, pickleStepId: s.id })),
    ];
    out.push({ testCase: { id: `tc${i}`, pickleId: p.id, testSteps: steps } });
    out.push({ testCaseStarted: { id: `tcs${i}`, testCaseId: `tc${i}`, attempt: 0, timestamp: ts(i) } });
    const failing = fails === "hook" ? 0 : fails === undefined ? -1 : fails + 1;
    steps.forEach((st, k) => {
      const status = failing < 0 || k < failing ? "PASSED" : k === failing ? "FAILED" : "SKIPPED";
      const message = `SignoffAssertionError: step ${k} failed`;
      out.push({
        testStepFinished: {
          testCaseStartedId: `tcs${i}`,
          testStepId: st.id,
          testStepResult: {
            status,
            duration: { seconds: 0, nanos: 1 },
            ...(status === "FAILED" ? { message, exception: { type: "SignoffAssertionError", message } } : {}),
          },
          timestamp: ts(i),
        },
      });
    });
    out.push({ testCaseFinished: { testCaseStartedId: `tcs${i}`, timestamp: ts(i), willBeRetried: false } });
  });
  out.push({ testRunFinished: { success: false, timestamp: ts(999) } });
  return out.map((m) => JSON.stringify(m)).join("\n") + "\n";
}

async function results(): Promise<TargetResults> {
  const file = join(tmp("signoff-steplines-"), "pw-desktop.ndjson");
  writeFileSync(file, messages());
  return readMessagesFile(file);
}

const byName = (r: TargetResults, name: string, row?: number) =>
  r.scenarios.find((s) => s.name === name && (row === undefined || s.line === row))!;

test("a failing Background step: its own line, not the scenario's (the feature's Background, and a Rule's)", async () => {
  const r = await results();
  const bg = byName(r, "The home page answers");
  assert.equal(bg.status, "failed");
  assert.equal(bg.line, lineOf("Scenario: The home page answers"));
  assert.equal(bg.failedStep, 'I open "/"');
  assert.equal(bg.failedStepLine, lineOf('Given I open "/"'));
  const rule = byName(r, "Member prices");
  assert.equal(rule.failedStep, 'I sign in as "ada"');
  assert.equal(rule.failedStepLine, lineOf('Given I sign in as "ada"'));
  assert.equal(failedStepLocation(rule), `${URI}:${lineOf('Given I sign in as "ada"')}`);
});

test("the same step text twice in a scenario: the line of the one that failed", async () => {
  const s = byName(await results(), "Two items in the basket");
  assert.equal(s.failedStep, 'I click the "Add" button');
  assert.equal(s.failedStepLine, lineOf('When I click the "Add" button', 2));
  assert.notEqual(s.failedStepLine, lineOf('When I click the "Add" button', 1));
  assert.equal(s.line, lineOf("Scenario: Two items in the basket"));
});

test("a Scenario Outline row: the scenario is the row's line, the failing step the outline's step (text filled in)", async () => {
  const r = await results();
  const row2 = byName(r, "Totals", lineOf("| 2 | €10   |"));
  assert.equal(row2.status, "failed");
  assert.equal(row2.failedStep, 'I should see "€10"');
  assert.equal(row2.failedStepLine, lineOf('Then I should see "<total>"'));
  const row1 = byName(r, "Totals", lineOf("| 1 | €5    |"));
  assert.equal(row1.status, "passed");
  assert.equal(row1.failedStepLine, undefined);
});

test("a failing hook has no step line; passing scenarios none either", async () => {
  const r = await results();
  const hook = byName(r, "A hook breaks");
  assert.equal(hook.failedStep, "(hook)");
  assert.equal(hook.failedStepLine, undefined);
  assert.equal(failedStepPhrase(hook), '"(hook)"');
  for (const s of r.scenarios.filter((x) => x.status === "passed")) assert.equal(s.failedStepLine, undefined, s.name);
});

test("the results index keeps the step's line; an index line without it (an older Signoff's) still reads; a bad one is refused", async () => {
  const r = await results();
  const path = join(tmp("signoff-steplines-index-"), "pw-desktop.results.jsonl");
  writeResultsIndex(path, r);
  const read = parseResultsIndex(readFileSync(path), path, "pw-desktop.ndjson");
  assert.deepEqual(
    read.scenarios.map((s) => [s.name, s.line, s.failedStepLine]),
    r.scenarios.map((s) => [s.name, s.line, s.failedStepLine]),
  );
  const text = readFileSync(path, "utf8");
  const older = text.replace(/,"failedStepLine":\d+/g, "");
  assert.notEqual(older, text);
  const old = parseResultsIndex(Buffer.from(older), path, "pw-desktop.ndjson");
  assert.ok(old.scenarios.every((s) => s.failedStepLine === undefined));
  assert.equal(byName(old, "The home page answers").failedStep, 'I open "/"');
  for (const bad of ["0", '"7"', "1.5", "-3"]) {
    const edited = text.replace(/"failedStepLine":\d+/, `"failedStepLine":${bad}`);
    assert.throws(() => parseResultsIndex(Buffer.from(edited), path, "pw-desktop.ndjson"), /is not a scenario result/);
  }
});

const manifest: RunManifest = {
  schema: "signoff/run@1",
  runId: "run-1",
  startedAt: "2025-01-01T00:00:00Z",
  toolVersion: "0.1.0",
  baseUrl: "http://staging",
  build: { name: "shop", version: "1.0.0", digest: `sha256:${DIGEST}` },
  judgedBy: JUDGED_BY,
  featureTags: {},
  targets: [
    {
      name: "pw-desktop",
      driver: "playwright",
      device: "Desktop Chrome",
      messages: ["messages/pw-desktop.ndjson"],
      complete: true,
      exitCode: 1,
      counts: { passed: 1, failed: 5, other: 0 },
    },
  ],
  complete: true,
};

test("the gate's reason names the scenario's line and the failing step's feature:line", async () => {
  const r = await results();
  const loaded: LoadedResults = {
    dirs: ["reports"],
    manifests: [{ dir: "reports", path: "reports/run.json", manifest }],
    files: [{ dir: "reports", path: "reports/messages/pw-desktop.ndjson", target: "pw-desktop", results: r }],
  };
  const d = evaluate({
    results: loaded,
    policy: parsePolicy("version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n", "p.yaml"),
    artifact: ARTIFACT,
    declaredRequirements: [],
  });
  const reason = d.reasons.find((x) => x.startsWith("scenario-failed: "));
  assert.ok(reason, d.reasons.join("\n"));
  const two = lineOf("Scenario: Two items in the basket");
  const add2 = lineOf('When I click the "Add" button', 2);
  assert.ok(
    reason.includes(
      `${URI}:${two} Two items in the basket — on pw-desktop — at ${URI}:${add2} "I click the "Add" button": SignoffAssertionError: step ${2 + 1} failed`,
    ),
    reason,
  );
  assert.ok(
    reason.includes(
      `${URI}:${lineOf("| 2 | €10   |")} Totals — on pw-desktop — at ${URI}:${lineOf('Then I should see "<total>"')} "I should see "€10""`,
    ),
    reason,
  );
  assert.ok(reason.includes(`at ${URI}:${lineOf('Given I open "/"')} "I open "/""`), reason);
  assert.ok(reason.includes(`A hook breaks — on pw-desktop — at "(hook)"`), reason);
});

test("summary.md, overview.html, JUnit and signoff run's summary name the failing step's feature:line", async () => {
  const r = await results();
  const data: ReportData = {
    reportsDir: "/r",
    manifest,
    targets: [{ name: "pw-desktop", driver: "playwright", complete: true, results: [r], scenarios: r.scenarios }],
    scenarios: r.scenarios,
  };
  const o = buildOverview(data, undefined);
  const two = lineOf("Scenario: Two items in the basket");
  const add2 = lineOf('When I click the "Add" button', 2);
  const md = summaryMarkdown(o, { links: {}, env: {} });
  assert.ok(md.includes(`on \`pw-desktop\` — product defect, \`${URI}:${two}\``), md);
  assert.ok(
    md.includes(`step \`I click the "Add" button\` at \`${URI}:${add2}\`: SignoffAssertionError: step 3 failed`),
    md,
  );
  // On GitHub both locations link to their lines.
  const gh = summaryMarkdown(o, {
    links: {},
    env: { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "9", GITHUB_SHA: "abc" },
  });
  assert.match(gh, new RegExp(`at \\[${URI}:${add2}\\]\\(https://github\\.com/o/r/blob/abc/${URI}#L${add2}\\)`), gh);
  const html = overviewHtml(o, { links: {} });
  assert.ok(
    html.includes(`<code>I click the &quot;Add&quot; button</code> <span class="muted">at ${URI}:${add2}</span>`),
    html,
  );
  const xml = junitXml(data);
  assert.ok(xml.includes(`Step: I click the &quot;Add&quot; button at ${URI}:${add2}`), xml);
  assert.ok(xml.includes(`file="${URI}" line="${two}"`), "the testcase stays the scenario's line");
  const row = byName(r, "Totals", lineOf("| 2 | €10   |"));
  assert.equal(
    describeNotPassed(row),
    `${URI}:${lineOf("| 2 | €10   |")} Totals — at ${URI}:${lineOf('Then I should see "<total>"')} "I should see "€10"" [product defect]`,
  );
  assert.equal(
    describeNotPassed(byName(r, "A hook breaks")),
    `${URI}:${lineOf("Scenario: A hook breaks")} A hook breaks — at "(hook)" [product defect]`,
  );
});

test("a property's failure: summary.md, overview.html and JUnit say what failed first, not the property's title cut short", () => {
  const title = `Property failed: I should see "of 12" — after any sequence of up to 5 of: ${"I click a column header | ".repeat(12)}`;
  const error =
    `PropertyAssertionError: ${title}\n  Counterexample (after 1 run(s), not shrunk):\n    1. I click the "Price" column header\n` +
    `  Failure:\n    expected the "Price" column in ascending order (aria-sort), it reads [3, 1, 2]\n  Seed 1, path 0\n`;
  const s = {
    key: `${URI} › Sorting`,
    uri: URI,
    line: 3,
    feature: "Basket",
    name: "Sorting",
    tags: [],
    requirements: [],
    target: "pw-desktop",
    status: "failed" as const,
    attempts: 1,
    flaky: false,
    durationMs: 1,
    failedStep: "these checks should hold after any sequence of these actions:",
    error,
    errorType: "PropertyAssertionError",
  };
  const data: ReportData = {
    reportsDir: "/r",
    manifest,
    targets: [{ name: "pw-desktop", driver: "playwright", complete: true, results: [], scenarios: [s] }],
    scenarios: [s],
  };
  const what =
    'expected the "Price" column in ascending order (aria-sort), it reads [3, 1, 2] — PropertyAssertionError';
  const o = buildOverview(data, undefined);
  // summary.md escapes what Markdown would act on ("[" and "]" could start a link), so it renders as written.
  assert.ok(summaryMarkdown(o, { links: {}, env: {} }).includes(what.replace(/[[\]]/g, "\\$&")), "summary.md");
  assert.ok(overviewHtml(o, { links: {} }).includes(what.replace(/"/g, "&quot;")), "overview.html");
  assert.ok(junitXml(data).includes(`message="${what.replace(/"/g, "&quot;")}`), "JUnit's message");
});
