// The evidence statement's bytes built list by list are exactly JSON.stringify's (what is signed and referenced).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { evidenceBytes, evidenceStatement, statementBytes, type TestResultPredicate } from "../../src/gate/statements";

const artifact = { name: "registry.example/app", sha256: "a".repeat(64) };

function predicate(passed: string[], warned: string[], failed: string[], url?: string): TestResultPredicate {
  return {
    result: failed.length ? "FAILED" : "PASSED",
    configuration: [{ name: "policy", uri: 'gate "policy".yaml', digest: { sha256: "b".repeat(64) } }],
    ...(url !== undefined ? { url } : {}),
    passedTests: passed,
    warnedTests: warned,
    failedTests: failed,
  };
}

test("evidenceBytes equals statementBytes(evidenceStatement(…)) for any names (fast-check)", () => {
  const names = fc.array(fc.string({ unit: "binary" }), { maxLength: 30 });
  fc.assert(
    fc.property(names, names, names, fc.option(fc.string(), { nil: undefined }), (p, w, f, url) => {
      const pred = predicate(p, w, f, url);
      assert.deepEqual(evidenceBytes(artifact, pred), statementBytes(evidenceStatement(artifact, pred)));
    }),
    { numRuns: 300 },
  );
});

test("evidenceBytes: names that hold NUL, its escape as text, quotes and backslashes around it, lone surrogates", () => {
  const tricky = [
    "",
    "\u0000",
    "a\u0000",
    '\\u0000"',
    'x\\u0000","y',
    "\\",
    '"',
    "\ud800",
    "\udc00\u0000",
    "\u0000\u0000",
  ];
  const longer = tricky.map((n) => `pw-desktop › features/a.feature › ${n}`);
  const pred = predicate([...tricky, ...longer], tricky, longer);
  const bytes = evidenceBytes(artifact, pred);
  assert.deepEqual(bytes, statementBytes(evidenceStatement(artifact, pred)));
  assert.deepEqual(JSON.parse(bytes.toString("utf8")).predicate.warnedTests, tricky);
});

test("evidenceBytes: lists longer than one chunk, names with quotes, escapes and non-ASCII", () => {
  const passed = Array.from({ length: 10_000 }, (_, i) => `pw-desktop › features/a.feature › scenario "${i}"\t\u2028`);
  const pred = predicate(
    passed,
    ["se-desktop › x"],
    Array.from({ length: 4097 }, (_, i) => `f${i}\\`),
  );
  const bytes = evidenceBytes(artifact, pred);
  assert.deepEqual(bytes, statementBytes(evidenceStatement(artifact, pred)));
  assert.deepEqual(JSON.parse(bytes.toString("utf8")).predicate.passedTests, passed);
});
