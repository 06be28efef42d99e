// Differential fuzz over mutations of a real run's messages: the gate's index path, its messages path and the parser agree, or all fail.
//
// For each mutated file, three readings and an oracle: (1) the parser itself; (2) the gate on a results dir as
// `signoff run` would leave it for that file (run.json recording its digest, and the results index
// when the run could parse it) — the index path; (3) the same dir with no index recorded — the gate
// parses the messages itself. Same scenario results everywhere, or a failure everywhere: a mutation
// that one reading accepts and another rejects (or reads differently) is a way to talk the gate round.
// The oracle is Cucumber's own @cucumber/query over the same envelopes: whatever the parser accepts,
// it must find every test case Cucumber finds, and pass none that Cucumber does not pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { loadResults } from "../../src/results/loader";
import { MessagesError, readMessagesFileDigested } from "../../src/results/read-messages";
import { digestFile, recordMessagesFile } from "../../src/results/results-index";
import type { TargetResults } from "../../src/core/results-model";
import type { MessagesFileRecord } from "../../src/core/manifest";
import { tmp } from "./gate-helpers";

// Cucumber's reference reading of messages (a dependency of @cucumber/cucumber's formatters; test-only here).
const { Query } = require("@cucumber/query") as typeof import("@cucumber/query");

const REAL = join(__dirname, "..", "fixtures", "real-run", "messages", "pw-desktop.ndjson");
const LINES = readFileSync(REAL, "utf8").trimEnd().split("\n");
const IDS = [...new Set(LINES.join("\n").match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
const STATUSES = [
  "PASSED",
  "FAILED",
  "SKIPPED",
  "PENDING",
  "UNDEFINED",
  "AMBIGUOUS",
  "UNKNOWN",
  "CONSTRUCTOR",
  "__proto__",
  "toString",
  "passed",
  "",
];
/** The lines that carry results: where a mutation does the most harm. */
const RESULT_LINES = LINES.flatMap((l, i) =>
  /^\{"(pickle|testCase|testCaseStarted|testStepFinished|testCaseFinished|testRunFinished)"/.test(l) ? [i] : [],
);

type Mutation = (lines: string[]) => string[];

const lineIndex = fc.oneof(fc.constantFrom(...RESULT_LINES), fc.nat({ max: LINES.length - 1 }));
const at = (lines: string[], i: number) => i % lines.length;

/** Every class of mutation, named so the test can check each one was tried. */
const MUTATIONS: Array<[string, fc.Arbitrary<Mutation>]> = [
  ["delete a line", lineIndex.map((i) => (ls: string[]) => ls.filter((_, j) => j !== at(ls, i)))],
  ["duplicate a line", lineIndex.map((i) => (ls: string[]) => [...ls.slice(0, at(ls, i) + 1), ...ls.slice(at(ls, i))])],
  [
    "swap two lines",
    fc.tuple(lineIndex, lineIndex).map(([i, j]) => (ls: string[]) => {
      const out = [...ls];
      [out[at(ls, i)], out[at(ls, j)]] = [out[at(ls, j)], out[at(ls, i)]];
      return out;
    }),
  ],
  [
    "rewrite a status",
    fc.tuple(lineIndex, fc.constantFrom(...STATUSES)).map(([i, s]) => (ls: string[]) => {
      const out = [...ls];
      out[at(ls, i)] = out[at(ls, i)].replace(/"status":"[A-Z]*"/, `"status":${JSON.stringify(s)}`);
      return out;
    }),
  ],
  [
    "insert a member into the message",
    fc
      .tuple(
        lineIndex,
        fc.constantFrom(
          '"note":{"status":"PASSED"},',
          '"status":"PASSED",',
          '"willBeRetried":true,',
          '"attempt":"0",',
          '"id":null,',
        ),
      )
      .map(([i, member]) => (ls: string[]) => {
        const out = [...ls];
        out[at(ls, i)] = out[at(ls, i)].replace(/^(\{"[A-Za-z]+":\{)/, `$1${member}`);
        return out;
      }),
  ],
  [
    "point an id elsewhere",
    fc.tuple(lineIndex, fc.constantFrom(...IDS)).map(([i, id]) => (ls: string[]) => {
      const out = [...ls];
      out[at(ls, i)] = out[at(ls, i)].replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, id);
      return out;
    }),
  ],
  ["every run a success", fc.constant((ls: string[]) => ls.map((l) => l.replace('"success":false', '"success":true')))],
  [
    "every attempt to be retried",
    fc.constant((ls: string[]) => ls.map((l) => l.replace(/"willBeRetried":false/, '"willBeRetried":true'))),
  ],
  [
    "cut the file short",
    fc
      .tuple(lineIndex, fc.nat({ max: 400 }))
      .map(([i, n]) => (ls: string[]) => [...ls.slice(0, at(ls, i)), ls[at(ls, i)].slice(0, n)]),
  ],
];
// A file already cut to nothing has no line left to mutate (`at` would index it with NaN): it stays empty, and the
// readers are still asked about it.
const mutation = fc.oneof(
  ...MUTATIONS.map(([kind, arb]) =>
    arb.map((apply) => ({ kind, apply: (ls: string[]) => (ls.length === 0 ? ls : apply(ls)) })),
  ),
);
/**
 * 100 cases of 1 to 3 mutations: each of the 9 classes is drawn about 22 times, and the test fails if
 * any class was never tried (so fewer runs never silently drop a class).
 */
const RUNS = 100;

type Reading = { ok: true; results: unknown } | { ok: false; why: string };

/** undefined-valued keys dropped and the file path left out, so readings compare field by field. */
const plain = (r: TargetResults) => JSON.parse(JSON.stringify({ ...r, file: undefined }));

async function direct(file: string): Promise<{ reading: Reading; record: MessagesFileRecord }> {
  try {
    const { results, digest } = await readMessagesFileDigested(file, { target: "pw-desktop" });
    // What `signoff run` records after reading the file: its digest, and the index of what it read.
    return {
      reading: { ok: true, results: plain(results) },
      record: recordMessagesFile(file, "messages/pw-desktop.ndjson", results, digest),
    };
  } catch (err) {
    assert.ok(
      err instanceof MessagesError,
      `the parser fails with a MessagesError, never a crash: ${(err as Error)?.stack}`,
    );
    const digest = await digestFile(file);
    return { reading: { ok: false, why: err.message }, record: { bytes: digest.bytes, sha256: digest.sha256 } };
  }
}

async function throughGate(dir: string, record: MessagesFileRecord): Promise<{ reading: Reading; source?: string }> {
  const manifest = {
    schema: "signoff/run@1",
    runId: "fuzz",
    startedAt: "2026-01-01T00:00:00Z",
    toolVersion: "0.1.0",
    baseUrl: "http://127.0.0.1:1/",
    build: null,
    targets: [
      {
        name: "pw-desktop",
        driver: "playwright",
        device: "Desktop Chrome",
        messages: ["messages/pw-desktop.ndjson"],
        files: { "messages/pw-desktop.ndjson": record },
        complete: true,
      },
    ],
    complete: true,
  };
  writeFileSync(join(dir, "run.json"), JSON.stringify(manifest));
  const [f] = (await loadResults([dir], { indexTrusted: () => true })).files;
  return f.results
    ? { reading: { ok: true, results: plain(f.results) }, source: f.source }
    : { reading: { ok: false, why: `${f.problem}: ${f.error}` } };
}

/** Per "uri › name": how many test cases Cucumber's query finds, and how many of them passed. Undefined if it cannot read the file. */
function oracle(text: string): Map<string, { cases: number; passed: number }> | undefined {
  const query = new Query();
  try {
    for (const line of text.split("\n")) if (line.trim()) query.update(JSON.parse(line));
  } catch {
    return undefined;
  }
  const out = new Map<string, { cases: number; passed: number }>();
  for (const started of query.findAllTestCaseStarted()) {
    const pickle = query.findPickleBy(started);
    if (!pickle) continue;
    const key = `${pickle.uri} › ${pickle.name}`;
    const finished = query.findTestCaseFinishedBy(started);
    const worst = query.findMostSevereTestStepResultBy(started)?.status;
    const e = out.get(key) ?? { cases: 0, passed: 0 };
    e.cases++;
    if (finished && (worst === undefined || worst === "PASSED")) e.passed++;
    out.set(key, e);
  }
  return out;
}

function assertAgreesWithCucumber(
  results: { scenarios: Array<{ uri: string; name: string; status: string; attempts: number }> },
  text: string,
): void {
  const expected = oracle(text);
  if (!expected) return;
  const ours = new Map<string, { cases: number; passed: number }>();
  for (const s of results.scenarios) {
    if (s.attempts === 0) continue; // planned, never started: Cucumber's query lists started test cases only
    const key = `${s.uri} › ${s.name}`;
    const e = ours.get(key) ?? { cases: 0, passed: 0 };
    e.cases++;
    if (s.status === "passed") e.passed++;
    ours.set(key, e);
  }
  for (const [key, c] of expected) {
    const o = ours.get(key) ?? { cases: 0, passed: 0 };
    assert.ok(o.cases >= c.cases, `${key}: Cucumber finds ${c.cases} started test case(s), the parser ${o.cases}`);
  }
  for (const [key, o] of ours) {
    const c = expected.get(key) ?? { cases: 0, passed: 0 };
    assert.ok(o.passed <= c.passed, `${key}: the parser passes ${o.passed} test case(s), Cucumber ${c.passed}`);
  }
}

/** The three readings of one messages file, and the oracle: the same results everywhere, or a failure everywhere. */
async function assertReadingsAgree(text: string): Promise<Reading> {
  const dir = tmp("signoff-fuzz-");
  mkdirSync(join(dir, "messages"));
  const file = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(file, text);
  const { reading, record } = await direct(file);
  if (reading.ok) assertAgreesWithCucumber(reading.results as any, text);
  const viaIndex = await throughGate(dir, record);
  const viaMessages = await throughGate(dir, { bytes: record.bytes, sha256: record.sha256 });
  assert.equal(
    viaIndex.reading.ok,
    reading.ok,
    `index path vs parser: ${JSON.stringify([viaIndex.reading, reading]).slice(0, 600)}`,
  );
  assert.equal(
    viaMessages.reading.ok,
    reading.ok,
    `messages path vs parser: ${JSON.stringify([viaMessages.reading, reading]).slice(0, 600)}`,
  );
  if (reading.ok) {
    assert.equal(viaIndex.source, "index");
    assert.equal(viaMessages.source, "messages");
    assert.deepEqual(viaIndex.reading, reading);
    assert.deepEqual(viaMessages.reading, reading);
  }
  return reading;
}

test("index path, messages path and parser agree on every mutation of a real run's messages (or all fail)", async () => {
  const tried = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
      for (const m of mutations) tried.add(m.kind);
      await assertReadingsAgree(mutations.reduce((ls, m) => m.apply(ls), LINES).join("\n") + "\n");
    }),
    { numRuns: RUNS },
  );
  assert.deepEqual([...tried].sort(), MUTATIONS.map(([kind]) => kind).sort(), "every class of mutation was tried");
});

test("counterexamples the fuzz found: a file cut to nothing, a test case started again without Cucumber's retry", async () => {
  // Cut at the first line, that line deleted, then any mutation: nothing left, and all three read an empty run.
  const empty = await assertReadingsAgree("\n");
  assert.deepEqual(empty, {
    ok: true,
    results: { target: "pw-desktop", complete: false, scenarios: [], sources: {}, notRun: [] },
  });
  // The second testCaseStarted pointed at the first test case, the file cut just after it: Cucumber's query finds two
  // started test cases for one scenario, so the parser must refuse the file (and the gate with it), not read one.
  const starts = LINES.flatMap((l, i) => (l.startsWith('{"testCaseStarted"') ? [i] : []));
  const first = JSON.parse(LINES[starts[0]]).testCaseStarted.testCaseId as string;
  const cut = LINES.slice(0, starts[1] + 1);
  cut[starts[1]] = cut[starts[1]].replace(/"testCaseId":"[^"]+"/, `"testCaseId":"${first}"`);
  const restarted = await assertReadingsAgree(cut.join("\n") + "\n");
  assert.equal(restarted.ok, false);
  assert.match(restarted.ok ? "" : restarted.why, /started again, but its attempt 0 was not to be retried/);
});

test("the unmutated real file reads the same on all three paths (the property is not vacuous)", async () => {
  const dir = tmp("signoff-fuzz-");
  mkdirSync(join(dir, "messages"));
  const file = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(file, LINES.join("\n") + "\n");
  const { reading, record } = await direct(file);
  assert.ok(reading.ok);
  assertAgreesWithCucumber(reading.results as any, LINES.join("\n"));
  assert.deepEqual(
    oracle(LINES.join("\n")),
    new Map([
      ["features/visitor-counter.feature › The counter displays in a browser", { cases: 1, passed: 1 }],
      ["features/visitor-counter.feature › Refreshing the page increments the visitor count", { cases: 1, passed: 1 }],
      ["test/fixtures/report/failing.feature › The home page greets the visitor by name", { cases: 1, passed: 0 }],
      ["test/fixtures/report/failing.feature › The banner can be dismissed", { cases: 1, passed: 0 }],
    ]),
  );
  const viaIndex = await throughGate(dir, record);
  assert.equal(viaIndex.source, "index");
  assert.deepEqual(viaIndex.reading, reading);
});
