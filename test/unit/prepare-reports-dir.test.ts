// A reports dir made ready for a run or a merge: an earlier run's results go, what no run wrote stays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../src/core/errors";
import { prepareReportsDir } from "../../src/runner/prepare-reports-dir";
import { tmp } from "./gate-helpers";

test("an earlier run's dir: its results and report outputs go, its verdict is moved aside", () => {
  const dir = tmp();
  mkdirSync(join(dir, "messages"));
  writeFileSync(join(dir, "messages", "pw-desktop.ndjson"), "{}\n");
  writeFileSync(join(dir, "run.json"), "{}");
  writeFileSync(join(dir, "summary.md"), "all passed");
  writeFileSync(join(dir, "verdict.intoto.jsonl"), "{}\n");
  const { messagesDir, allureDir } = prepareReportsDir(dir);
  assert.deepEqual(readdirSync(messagesDir), []);
  assert.deepEqual(readdirSync(allureDir), []);
  assert.equal(existsSync(join(dir, "summary.md")), false);
  assert.ok(readdirSync(dir).some((n) => n.startsWith("verdict.intoto.jsonl.")));
});

test("a dir no run wrote (no run.json): a messages/ or allure-results/ with something in it is refused, not deleted", () => {
  for (const sub of ["messages", "allure-results"]) {
    const dir = tmp();
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, "de.json"), "{}");
    assert.throws(
      () => prepareReportsDir(dir),
      (e: Error) =>
        e instanceof UsageError &&
        e.message ===
          `reports directory ${dir}: ${sub} is not from a run of Signoff (there is no run.json beside it), so it is not deleted: give a new or empty directory, or remove ${join(dir, sub)}`,
    );
    assert.deepEqual(readdirSync(join(dir, sub)), ["de.json"]);
  }
  const file = tmp();
  writeFileSync(join(file, "messages"), "a file");
  assert.throws(() => prepareReportsDir(file), UsageError);
  const empty = tmp();
  mkdirSync(join(empty, "messages"));
  assert.deepEqual(readdirSync(prepareReportsDir(empty).messagesDir), [], "an empty one is nothing to lose");
});
