// End to end: `signoff run` on the example app with the default matrix (pw-desktop, pw-pixel7, se-desktop,
// se-pixel7): every scenario passes on every target, every result names its target, run.json and the index agree.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadResults } from "../../src/results/loader";
import { readMessagesFile } from "../../src/results/read-messages";
import { sha256File } from "../../src/results/results-index";
import { runSignoff, tempDir } from "../helpers/cli";

const DEFAULT_TARGETS = ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"];
const EXPECTED: Record<string, number> = { "pw-desktop": 2, "pw-pixel7": 3, "se-desktop": 2, "se-pixel7": 3 };

describe("signoff run on the default target matrix", () => {
  const reports = tempDir("signoff-matrix-");
  let run: Awaited<ReturnType<typeof runSignoff>>;

  before(async () => {
    // No --targets: the config's (built-in) defaultTargets.
    run = await runSignoff(["run", "features/visitor-counter.feature", "--reports", reports], { timeoutMs: 300_000 });
  });

  test("all four default targets pass", () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const t of DEFAULT_TARGETS)
      assert.match(run.stdout, new RegExp(`PASS\\s+${t}\\s+${EXPECTED[t]} passed, 0 failed`));
  });

  test("one messages file per target; every scenario in it names that target", async () => {
    assert.deepEqual(
      readdirSync(join(reports, "messages"))
        .filter((f) => f.endsWith(".ndjson"))
        .sort(),
      DEFAULT_TARGETS.map((t) => `${t}.ndjson`).sort(),
    );
    for (const t of DEFAULT_TARGETS) {
      const r = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      assert.equal(r.complete, true, t);
      assert.equal(r.scenarios.length, EXPECTED[t], t);
      assert.ok(
        r.scenarios.every((s) => s.target === t && s.status === "passed"),
        t,
      );
    }
  });

  test("Allure results carry the target as a parameter", () => {
    const dir = join(reports, "allure-results");
    const targets = readdirSync(dir)
      .filter((f) => f.endsWith("-result.json"))
      .map(
        (f) => JSON.parse(readFileSync(join(dir, f), "utf8")).parameters.find((p: any) => p.name === "target")?.value,
      );
    const count: Record<string, number> = {};
    for (const t of targets) count[t] = (count[t] ?? 0) + 1;
    assert.deepEqual(count, EXPECTED);
  });

  test("run.json: per-target completeness, driver, device and browser version", () => {
    const m = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(m.complete, true);
    assert.deepEqual(
      m.targets.map((t: any) => [t.name, t.driver, t.device, t.complete, t.exitCode, t.counts.passed]),
      [
        ["pw-desktop", "playwright", "Desktop Chrome", true, 0, 2],
        ["pw-pixel7", "playwright", "Pixel 7", true, 0, 3],
        ["se-desktop", "selenium", "Desktop Chrome", true, 0, 2],
        ["se-pixel7", "selenium", "Pixel 7", true, 0, 3],
      ],
    );
    for (const t of m.targets) assert.match(t.browserVersion, /Chromium \d+\./i, t.name);
  });

  test("records every scenario's result per target in Cucumber messages; @mobile-only runs on phones only", async () => {
    for (const t of ["pw-desktop", "se-desktop"]) {
      const desktop = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      assert.deepEqual(desktop.scenarios.map((s) => [s.name, s.status, s.target]).sort(), [
        ["Refreshing the page increments the visitor count", "passed", t],
        ["The counter displays in a browser", "passed", t],
      ]);
    }
    for (const t of ["pw-pixel7", "se-pixel7"]) {
      const phone = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      assert.deepEqual(phone.scenarios.map((s) => s.requirements[0]).sort(), [
        "REQ-COUNTER-1",
        "REQ-COUNTER-2",
        "REQ-COUNTER-3",
      ]);
    }
  });

  test("run.json records the build staging served and the base URL", () => {
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.build.name, "visitor-counter");
    assert.match(manifest.build.digest, /^sha256:[0-9a-f]{64}$/);
    assert.match(manifest.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test("writes a results index per messages file that the gate reads, equal to the messages", async () => {
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    const record = manifest.targets[0].files["messages/pw-desktop.ndjson"];
    assert.equal(record.bytes, statSync(join(reports, "messages", "pw-desktop.ndjson")).size);
    assert.equal(record.sha256, sha256File(join(reports, "messages", "pw-desktop.ndjson")));
    assert.equal(record.index.file, "messages/pw-desktop.results.jsonl");
    const loaded = await loadResults([reports], { indexTrusted: () => true });
    assert.deepEqual(
      loaded.files.map((f) => f.source),
      ["index", "index", "index", "index"],
    );
    const phone = loaded.files.find((f) => f.target === "pw-pixel7");
    const fromMessages = await readMessagesFile(join(reports, "messages", "pw-pixel7.ndjson"));
    assert.deepEqual(
      JSON.parse(JSON.stringify(phone!.results!.scenarios)),
      JSON.parse(JSON.stringify(fromMessages.scenarios)),
    );
  });
});
