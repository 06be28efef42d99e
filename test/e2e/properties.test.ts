// End to end: property scenarios in real Chromium (Playwright and Selenium). The first build passes
// everything; the defective build (examples/visitor-counter-defective) passes the happy paths but
// fails the property scenarios with shrunk counterexamples, shown in Allure; a printed replay command
// fails the same way; the stored counterexample is tried first on the next run.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { startApp, type RunningApp } from "../../src/runner/staging";
import { ROOT, runSignoff, tempDir, type CliResult } from "../helpers/cli";

const PROPS = "features/visitor-counter-properties.feature";
const HAPPY = "features/visitor-counter.feature";
const CONFIG = "test/fixtures/properties/signoff.config.yaml";
const DEFECTIVE = join(ROOT, "examples", "visitor-counter-defective", "server.js");

const work = tempDir("signoff-props-e2e-");
const store = join(work, "counterexamples.json");
/** Never the project's own .signoff/counterexamples.json. */
const env = { SIGNOFF_COUNTEREXAMPLES: store };

/** Line of a scenario in the properties feature (the replay command and the failure header name it). */
function lineOf(name: string): number {
  const i = readFileSync(join(ROOT, PROPS), "utf8")
    .split("\n")
    .findIndex((l) => l.trim() === `Scenario: ${name}`);
  assert.ok(i >= 0, `no scenario "${name}" in ${PROPS}`);
  return i + 1;
}
const MODEL = lineOf("The count matches the page loads under any sequence of visits");
const HTTP = lineOf("Unexpected requests never break the server or leak its internals");

function show(r: CliResult): string {
  return `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
}

/** The failure report block of one property scenario, as Cucumber printed it. */
function reportOf(stdout: string, scenarioLine: number): string {
  const at = stdout.indexOf(`${PROPS}:${scenarioLine}\n`);
  assert.ok(at >= 0, `no failure for ${PROPS}:${scenarioLine} in:\n${stdout}`);
  // It ends where the next failure or Cucumber's count of scenarios starts (hooks that passed are not listed).
  const end = /\n(\d+\) Scenario|\d+ scenarios? \()/.exec(stdout.slice(at));
  return stdout.slice(at, end ? at + end.index : undefined);
}

function counterexampleOf(report: string): string {
  const m = /Counterexample \(.*\):\n([\s\S]*?)\n\s+Failure:/.exec(report);
  assert.ok(m, `no counterexample in:\n${report}`);
  return m[1].trim();
}

function allureResults(dir: string): any[] {
  const ad = join(dir, "allure-results");
  return readdirSync(ad)
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => JSON.parse(readFileSync(join(ad, f), "utf8")));
}

function attachmentsOf(item: any): any[] {
  return [...(item.attachments ?? []), ...(item.steps ?? []).flatMap(attachmentsOf)];
}

describe("property scenarios", () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  test("pass on every target kind against the first build, each printing its seed", async () => {
    const reports = join(work, "good");
    const r = await runSignoff(
      ["run", PROPS, "--targets", "pw-desktop,se-desktop", "--config", CONFIG, "--reports", reports],
      { env },
    );
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /PASS\s+pw-desktop\s+4 passed, 0 failed/);
    assert.match(r.stdout, /PASS\s+se-desktop\s+4 passed, 0 failed/);
    assert.equal(
      (r.stdout.match(/seed 42 \(config\)/g) ?? []).length,
      8,
      "the seed is printed for every property step on every target",
    );
    for (const t of ["pw-desktop", "se-desktop"]) {
      const res = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      assert.deepEqual(res.scenarios.map((s) => [s.requirements[0], s.status]).sort(), [
        ["REQ-COUNTER-4", "passed"],
        ["REQ-COUNTER-5", "passed"],
        ["REQ-COUNTER-6", "passed"],
        ["REQ-COUNTER-7", "passed"],
      ]);
      // Runs are reported for the gate (@REQ-COUNTER-5 has @runs:100, the others the config's 6).
      assert.deepEqual(
        res.scenarios.map((s) => s.propertyRuns).sort((a, b) => a! - b!),
        [6, 6, 6, 100],
      );
    }
    assert.equal(existsSync(store), false, "nothing failed, nothing stored");
  });

  describe("against the defective build", () => {
    let app: RunningApp;
    let first: CliResult;
    const reports = join(work, "defective");
    before(async () => {
      app = await startApp(DEFECTIVE);
      first = await runSignoff(
        [
          "run",
          HAPPY,
          PROPS,
          "--targets",
          "pw-desktop",
          "--base-url",
          app.baseUrl,
          "--config",
          CONFIG,
          "--reports",
          reports,
        ],
        { env },
      );
    });
    after(async () => app?.stop());

    test("the happy paths pass, the property scenarios fail with shrunk counterexamples", async () => {
      assert.equal(first.code, 1, show(first));
      const res = await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"));
      const status = Object.fromEntries(res.scenarios.map((s) => [s.requirements[0], s.status]));
      assert.deepEqual(status, {
        "REQ-COUNTER-1": "passed",
        "REQ-COUNTER-2": "passed",
        "REQ-COUNTER-4": "failed",
        "REQ-COUNTER-5": "failed",
        "REQ-COUNTER-6": "passed",
        "REQ-COUNTER-7": "passed",
      });
      const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
      assert.equal(manifest.build.version, "1.1.0", "a build of its own");

      const model = reportOf(first.stdout, MODEL);
      assert.match(model, /Counterexample \(shrunk in \d+ step/);
      assert.match(counterexampleOf(model), /\d+\. [23] visitors at once/);
      assert.match(model, /page load\(s\) were not counted/);
      assert.match(model, /Seed 42, path [\d:]+, replayPath \S+/);

      const http = reportOf(first.stdout, HTTP);
      assert.match(http, /Counterexample \(shrunk/);
      assert.match(counterexampleOf(http), /\?\S*%/, "a query with a (malformed) percent-escape");
      assert.match(http, /answered 500 Internal Server Error, and the answer shows a stack trace/);
      assert.doesNotMatch(http, /\n\s+at (?:Object|async|Module|runProperty)/, "the report, not the framework's stack");
    });

    test("the report is attached to the Allure result as readable text", () => {
      const failed = allureResults(reports).filter((r) => r.status === "failed");
      assert.deepEqual(failed.map((r) => r.name).sort(), [
        "The count matches the page loads under any sequence of visits",
        "Unexpected requests never break the server or leak its internals",
      ]);
      for (const r of failed) {
        const att = attachmentsOf(r).find((a) => a.name.startsWith("Property failed:"));
        assert.ok(att, `no "Property failed" attachment on ${r.name}`);
        assert.equal(att.type, "text/plain");
        const text = readFileSync(join(reports, "allure-results", att.source), "utf8");
        assert.match(text, /Counterexample \(shrunk/);
        assert.match(text, /Seed 42, path /);
        assert.match(text, /--replay /);
        assert.ok(r.parameters.some((p: any) => p.name === "property seed" && p.value === "42"));
      }
    });

    test("both counterexamples are stored under the project's store", () => {
      const data = JSON.parse(readFileSync(store, "utf8"));
      const keys = Object.keys(data.properties);
      assert.equal(keys.length, 2);
      assert.ok(keys.every((k) => k.startsWith(`${PROPS} › `)));
      const model = data.properties[keys.find((k) => k.includes("page loads"))!][0];
      assert.ok(model.counterexample.some((a: any) => a.action === "visitors at once"));
      assert.equal(model.seed, 42);
    });

    test("the printed replay command reruns exactly that case and fails the same way", async () => {
      const model = reportOf(first.stdout, MODEL);
      // Run as printed: the line names the staging the case was found on.
      const m = /npx signoff run (\S+) --targets pw-desktop --base-url (\S+) --replay '?([^'\s]+)'?/.exec(model);
      assert.ok(m, model);
      assert.equal(m[2], app.baseUrl);
      // Without the store, so only the replay token can bring the case back.
      const r = await runSignoff(
        [
          "run",
          m[1],
          "--targets",
          "pw-desktop",
          "--base-url",
          m[2],
          "--replay",
          m[3],
          "--reports",
          join(work, "replay"),
        ],
        {
          env: { SIGNOFF_COUNTEREXAMPLES: "off" },
        },
      );
      assert.equal(r.code, 1, show(r));
      const replayed = reportOf(r.stdout, MODEL);
      assert.match(replayed, /Property failed \(replayed\)/);
      assert.equal(counterexampleOf(replayed), counterexampleOf(model));
      assert.match(replayed, /page load\(s\) were not counted/);
    });

    test("the next run tries the stored counterexample first", async () => {
      // No fixed seed this time: the stored case, not the seed, finds the bug again.
      const r = await runSignoff(
        [
          "run",
          `${PROPS}:${MODEL}`,
          "--targets",
          "pw-desktop",
          "--base-url",
          app.baseUrl,
          "--reports",
          join(work, "again"),
        ],
        { env },
      );
      assert.equal(r.code, 1, show(r));
      assert.match(r.stdout, /trying 1 stored counterexample\(s\) first/);
      const again = reportOf(r.stdout, MODEL);
      assert.match(again, /Property failed on a stored counterexample/);
      assert.match(again, /Counterexample \(after 1 run\(s\), not shrunk\)/);
      assert.equal(counterexampleOf(again), counterexampleOf(reportOf(first.stdout, MODEL)));
    });

    test("a malformed table cell is refused before any browser starts, naming the cell: one line, exit 2", async () => {
      const reports = join(work, "bad-table");
      const r = await runSignoff(
        ["run", "test/fixtures/properties/bad-table.feature", "--targets", "pw-desktop", "--reports", reports],
        { env },
      );
      assert.equal(r.code, 2, show(r));
      assert.equal(
        r.stderr,
        'signoff: test/fixtures/properties/bad-table.feature:6: the table of the step "the number in the "Visitor count" status should count every page load of "/" under any sequence of these actions:" cannot be read: table row 2 ("max actions"): the cell "ten" is not a whole number from 1 to 100 (no scenario was run)\n',
      );
      assert.equal(existsSync(join(reports, "messages")), false, "nothing ran");
    });
  });
});
