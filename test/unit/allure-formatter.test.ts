// The Allure results writer of a target's run: each result and container lands whole under its name, no temp file left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Status, type TestResult, type TestResultContainer } from "allure-js-commons";
import { UnflushedResultsWriter } from "../../src/runner/allure-formatter";
import { tempDir } from "../helpers/cli";

test("results and containers are written whole, by uuid, into a results dir it creates", () => {
  const dir = join(tempDir(), "allure-results");
  const writer = new UnflushedResultsWriter({ resultsDir: dir });
  const result = { uuid: "r1", name: "Checkout", status: Status.PASSED } as TestResult;
  writer.writeResult(result);
  writer.writeGroup({ uuid: "c1", children: ["r1"], befores: [], afters: [] } as TestResultContainer);
  writer.writeResult({ ...result, status: Status.FAILED });
  assert.deepEqual(readdirSync(dir).sort(), ["c1-container.json", "r1-result.json"]);
  assert.equal(JSON.parse(readFileSync(join(dir, "r1-result.json"), "utf8")).status, "failed", "rewritten in place");
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "c1-container.json"), "utf8")).children, ["r1"]);
});

test("a result that cannot be written fails loudly and leaves no temp file", () => {
  const dir = join(tempDir(), "allure-results");
  const writer = new UnflushedResultsWriter({ resultsDir: dir });
  const circular: Record<string, unknown> = { uuid: "r2" };
  circular.self = circular;
  assert.throws(() => writer.writeResult(circular as unknown as TestResult), TypeError);
  assert.deepEqual(readdirSync(dir), []);
});
