// The messages parser fails closed on a real run's messages: every way to make a failure vanish or look passed is an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadReportData, targetState } from "../../src/report/results";
import { MessagesError, readMessagesFile } from "../../src/results/read-messages";
import { tmp } from "./gate-helpers";

const REAL = join(__dirname, "..", "fixtures", "real-run", "messages", "pw-desktop.ndjson");
const realLines = () => readFileSync(REAL, "utf8").trimEnd().split("\n");
const FAILING = "The home page greets the visitor by name";

async function parse(lines: string[], trailingNewline = true) {
  const file = join(tmp("signoff-msgs-"), "pw-desktop.ndjson");
  writeFileSync(file, lines.join("\n") + (trailingNewline ? "\n" : ""));
  return readMessagesFile(file);
}

async function rejects(lines: string[], why: RegExp): Promise<void> {
  await assert.rejects(parse(lines), (err: unknown) => {
    assert.ok(err instanceof MessagesError, `a MessagesError, not ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.match(err.message, why);
    return true;
  });
}

/** Index of the line holding the failing step's result (the first FAILED testStepFinished). */
const failedStepLine = (lines: string[]) =>
  lines.findIndex((l) => l.startsWith('{"testStepFinished"') && l.includes('"status":"FAILED"'));

test("the real run's messages: 2 passed, 2 failed, complete, Cucumber says it failed", async () => {
  const r = await parse(realLines());
  assert.equal(r.complete, true);
  assert.equal(r.success, false);
  assert.deepEqual(r.scenarios.map((s) => s.status).sort(), ["failed", "failed", "passed", "passed"]);
});

test("a failed step's status rewritten to a name on Object.prototype, or any name Cucumber does not use → error", async () => {
  for (const status of [
    "CONSTRUCTOR",
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "passed",
    "Passed",
    "OK",
    "",
  ]) {
    const lines = realLines();
    const i = failedStepLine(lines);
    lines[i] = lines[i].replace('"status":"FAILED"', `"status":${JSON.stringify(status)}`);
    await rejects(
      lines,
      new RegExp(
        `^line ${i + 1}: not a Cucumber message: /testStepFinished/testStepResult/status must be equal to one of the allowed values`,
      ),
    );
  }
});

test('a testStepFinished carrying a nested {"status":"PASSED"} member → error (not Cucumber\'s schema)', async () => {
  const lines = realLines();
  const i = failedStepLine(lines);
  lines[i] = lines[i].replace('{"testStepFinished":{', '{"testStepFinished":{"note":{"status":"PASSED"},');
  await rejects(
    lines,
    new RegExp(`^line ${i + 1}: not a Cucumber message: /testStepFinished must NOT have additional properties`),
  );
  const top = realLines();
  top[i] = top[i].replace(/}$/, ',"x":{"status":"PASSED"}}');
  await rejects(top, /one message per line/);
});

test("the failing scenario's pickle line deleted → error naming the test case, not a silently dropped scenario", async () => {
  const lines = realLines();
  const pickle = lines.findIndex((l) => l.startsWith('{"pickle"') && l.includes(`"name":"${FAILING}"`));
  assert.ok(pickle >= 0);
  lines.splice(pickle, 1);
  await rejects(lines, /^.*test case [0-9a-f-]+: its pickle [0-9a-f-]+ is not in the file/);
});

test("a step result for a test case attempt that never started → error", async () => {
  const lines = realLines();
  const i = failedStepLine(lines);
  const started = JSON.parse(lines[i]).testStepFinished.testCaseStartedId as string;
  const startLine = lines.findIndex((l) => l.startsWith('{"testCaseStarted"') && l.includes(`"id":"${started}"`));
  lines.splice(startLine, 1);
  await rejects(lines, /which never started/);
});

test("a step result naming a step that is not in its test case → error", async () => {
  const lines = realLines();
  const i = failedStepLine(lines);
  lines[i] = lines[i].replace(/"testStepId":"[^"]+"/, '"testStepId":"00000000-0000-0000-0000-000000000000"');
  await rejects(lines, /is not a step of test case/);
});

test("a finished test case whose step never reported, or reported twice → error, never a pass", async () => {
  // Cucumber reports every step of an attempt (skipped after a failure): a result left out of a passing scenario
  // hid what that step did; cut out of the failing one, the scenario read as passed.
  for (const pick of ["PASSED", "FAILED"]) {
    const lines = realLines();
    const i = lines.findIndex((l) => l.startsWith('{"testStepFinished"') && l.includes(`"status":"${pick}"`));
    const { testCaseStartedId } = JSON.parse(lines[i]).testStepFinished;
    lines.splice(i, 1);
    await rejects(
      lines,
      new RegExp(`testCaseFinished for ${testCaseStartedId}: 1 of its \\d+ test steps reported no result`),
    );
  }
  const twice = realLines();
  const i = twice.findIndex((l) => l.startsWith('{"testStepFinished"') && l.includes('"status":"PASSED"'));
  twice.splice(i + 1, 0, twice[i]);
  await rejects(twice, new RegExp(`^line ${i + 2}: testStepFinished twice for step`));
});

test("a scenario with no steps, which Cucumber passes, is no pass: it checks nothing", async () => {
  const lines = realLines();
  const p = lines.findIndex((l) => l.startsWith('{"pickle"') && !l.includes(`"name":"${FAILING}"`));
  const pickle = JSON.parse(lines[p]).pickle;
  const r0 = await parse(lines);
  assert.equal(
    r0.scenarios.find((s) => s.name === pickle.name)?.status,
    "passed",
    "the scenario passes with its steps",
  );
  // The same scenario written with no steps, as Cucumber reports it: the pickle and test case have none, and only
  // the hooks report.
  const stepIds = new Set<string>();
  const emptied = lines.flatMap((l) => {
    const m = JSON.parse(l);
    if (m.pickle?.id === pickle.id) return [JSON.stringify({ pickle: { ...m.pickle, steps: [] } })];
    if (m.testCase?.pickleId === pickle.id) {
      for (const st of m.testCase.testSteps) if (st.pickleStepId) stepIds.add(st.id);
      const testSteps = m.testCase.testSteps.filter((st: { pickleStepId?: string }) => !st.pickleStepId);
      return [JSON.stringify({ testCase: { ...m.testCase, testSteps } })];
    }
    const stepId = m.testStepStarted?.testStepId ?? m.testStepFinished?.testStepId;
    return stepId !== undefined && stepIds.has(stepId) ? [] : [l];
  });
  assert.ok(stepIds.size > 0);
  const r = await parse(emptied);
  const s = r.scenarios.find((x) => x.name === pickle.name);
  assert.equal(s?.status, "undefined");
  assert.match(s?.error ?? "", /^the scenario has no steps: it checks nothing/);
});

test("a test case started twice under one id, a second testRunFinished, a message after the end → error", async () => {
  const dup = realLines();
  const s = dup.findIndex((l) => l.startsWith('{"testCaseStarted"'));
  dup.splice(s + 1, 0, dup[s]);
  await rejects(dup, /testCaseStarted .* twice/);
  const after = realLines();
  after.push(after[failedStepLine(after)]);
  await rejects(after, /message after testRunFinished/);
});

test("a test case started again after an attempt Cucumber did not retry (the run cut short after it) → error", async () => {
  // The differential fuzz's counterexample: the second testCaseStarted pointed at the first test case, the file cut
  // just after it. The parser read one unfinished scenario where Cucumber's query finds two started test cases.
  const lines = realLines();
  const starts = lines.flatMap((l, i) => (l.startsWith('{"testCaseStarted"') ? [i] : []));
  const first = JSON.parse(lines[starts[0]]).testCaseStarted.testCaseId as string;
  const cut = lines.slice(0, starts[1] + 1);
  cut[starts[1]] = cut[starts[1]].replace(/"testCaseId":"[^"]+"/, `"testCaseId":"${first}"`);
  await rejects(
    cut,
    new RegExp(`^line ${starts[1] + 1}: .*test case ${first} started again, .* was not to be retried`),
  );
});

test("a failed test case run again and passing, without Cucumber's retry marks → error, never a pass", async () => {
  const lines = realLines();
  const failedAttempt = JSON.parse(lines[failedStepLine(lines)]).testStepFinished.testCaseStartedId as string;
  const start = lines.findIndex((l) => l.startsWith('{"testCaseStarted"') && l.includes(`"id":"${failedAttempt}"`));
  const finish = lines.findIndex((l) => l.startsWith('{"testCaseFinished"') && l.includes(failedAttempt));
  /** The failed attempt's messages again as attempt `n`, every step passing. */
  const rerun = (n: number) =>
    lines.slice(start, finish + 1).map((l) =>
      l
        .replaceAll(failedAttempt, "00000000-0000-4000-8000-000000000001")
        .replace('"attempt":0', `"attempt":${n}`)
        .replace(/"status":"[A-Z]+"/, '"status":"PASSED"'),
    );
  const end = lines.length - 1; // testRunFinished
  const retried = (l: string, i: number) =>
    i === finish ? l.replace('"willBeRetried":false', '"willBeRetried":true') : l;

  await rejects(
    [...lines.slice(0, end), ...rerun(1), lines[end]],
    /started again, but its attempt 0 was not to be retried/,
  );
  // An attempt left out (numbered 2 after 0), or the first attempt numbered 1 (the failed one deleted): hidden flakiness.
  await rejects(
    [...lines.slice(0, end).map(retried), ...rerun(2), lines[end]],
    /attempt 2 of test case [0-9a-f-]+, not 1/,
  );
  const withoutFailure = [...lines.slice(0, start), ...lines.slice(finish + 1, end), ...rerun(1), lines[end]];
  await rejects(withoutFailure, /attempt 1 of test case [0-9a-f-]+, not 0/);
  // Cucumber's own retry of it: read as a flaky pass.
  const r = await parse([...lines.slice(0, end).map(retried), ...rerun(1), lines[end]]);
  const s = r.scenarios.find((x) => x.name === FAILING)!;
  assert.deepEqual([s.status, s.attempts, s.flaky], ["passed", 2, true]);
});

test("an envelope Cucumber does not define, or two messages in one envelope → error", async () => {
  const unknown = realLines();
  unknown.splice(5, 0, '{"testResult":{"status":"PASSED"}}');
  await rejects(unknown, /^line 6: not a Cucumber message: \(envelope\) must NOT have additional properties/);
  const two = realLines();
  two.splice(5, 0, '{"testRunStarted":{"timestamp":{"seconds":1,"nanos":0}},"meta":{}}');
  await rejects(two, /^line 6: not a Cucumber message envelope/);
});

test("a line that is not JSON: in the middle → error; as the torn last line → incomplete", async () => {
  const middle = realLines();
  middle[10] = middle[10].slice(0, 40);
  await rejects(middle, /^line 11: not JSON/);
  const torn = realLines().slice(0, -1);
  torn.push(torn[torn.length - 1].slice(0, 30));
  const r = await parse(torn, false);
  assert.equal(r.complete, false);
});

test("signoff report reads with the same parser: a rewritten status marks the target broken, never a pass", async () => {
  const dir = tmp("signoff-report-");
  cpSync(join(__dirname, "..", "fixtures", "real-run"), dir, { recursive: true });
  const file = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(file, readFileSync(file, "utf8").replace('"status":"FAILED"', '"status":"CONSTRUCTOR"'));
  // run.json records the file's size and digest: the report refuses it for the gate's reason.
  const [recorded] = (await loadReportData(dir, "REQ-")).targets;
  assert.equal(targetState(recorded), "INCOMPLETE");
  assert.match(recorded.error ?? "", /messages unreadable: .*pw-desktop\.ndjson: .*changed since the run/);
  // Without run.json the messages are parsed, and the parser refuses the status.
  rmSync(join(dir, "run.json"));
  const [parsed] = (await loadReportData(dir, "REQ-")).targets;
  assert.equal(targetState(parsed), "INCOMPLETE");
  assert.match(
    parsed.error ?? "",
    /messages unreadable: .*pw-desktop\.ndjson: line \d+: not a Cucumber message: \/testStepFinished\/testStepResult\/status/,
  );
});
