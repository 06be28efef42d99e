// Every results file the gate reads is the one the run wrote: the index and the messages against run.json's
// record (size, SHA-256), paths inside the results dir, no unlisted files — each problem its own reason code.
import { test } from "node:test";
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate } from "../../src/gate/evaluate";
import { parsePolicy } from "../../src/gate/policy";
import { loadResults, type LoadedResults } from "../../src/results/loader";
import { readMessagesFileDigested } from "../../src/results/read-messages";
import { recordMessagesFile, resultsIndexPath, sha256File } from "../../src/results/results-index";
import type { RunManifest } from "../../src/core/manifest";
import { ARTIFACT, exampleScenarios, tmp, writeResultsDir, type FakeScenario } from "./gate-helpers";

const POLICY = parsePolicy(
  "version: 1\nrequiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]\nrequirements: all\nmaxAge: 24h\n",
  "p.yaml",
);
const REQS = ["REQ-COUNTER-1", "REQ-COUNTER-2"];

/** Indexes every messages file of a results dir the way `signoff run` does, and records it in run.json. */
async function indexDir(dir: string): Promise<void> {
  const path = join(dir, "run.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as RunManifest;
  for (const t of manifest.targets) {
    const rel = t.messages[0];
    const file = join(dir, rel);
    const read = await readMessagesFileDigested(file, { target: t.name });
    t.files = { [rel]: recordMessagesFile(file, rel, read.results, read.digest) };
  }
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}

/** As the gate loads a dir whose run.json a pinned runner key signed: the index is believed. */
const TRUSTED = { indexTrusted: () => true };

/** undefined-valued keys dropped, so results from either source compare field by field. */
const plain = (l: LoadedResults) => JSON.parse(JSON.stringify(l.files.map((f) => f.results)));
const sources = (l: LoadedResults) => l.files.map((f) => f.source);

function withOneFailure(): FakeScenario[] {
  const s = exampleScenarios();
  s[0] = { ...s[0], attempts: ["FAILED"] };
  s[1] = { ...s[1], attempts: ["FAILED", "PASSED"] }; // flaky
  return s;
}

test("the loader reads the vouched-for index, and gets exactly what the messages give", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  const fromMessages = await loadResults([dir], TRUSTED);
  await indexDir(dir);
  const fromIndex = await loadResults([dir], TRUSTED);
  assert.deepEqual(sources(fromMessages), ["messages", "messages", "messages", "messages"]);
  assert.deepEqual(sources(fromIndex), ["index", "index", "index", "index"]);
  assert.deepEqual(plain(fromIndex), plain(fromMessages));
  const decide = (results: LoadedResults) =>
    evaluate({ results, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
  const [a, b] = [decide(fromIndex), decide(fromMessages)];
  assert.equal(a.result, "FAILED");
  assert.deepEqual(a, b);
});

test("the index is ASCII (\\u escapes), and names past ASCII, outside the BMP or with line separators read back as they were", async () => {
  const names = (): FakeScenario[] => [
    { name: "Größe ändern 😀", tags: ["@REQ-Ü"] },
    { name: "line\u2028sep\u2029 and DEL\u007f", uri: "features/ünïcode.feature" },
    { name: "plain" },
  ];
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"], scenarios: names });
  const fromMessages = await loadResults([dir], TRUSTED);
  await indexDir(dir);
  assert.ok(isAscii(readFileSync(join(dir, "messages", "pw-desktop.results.jsonl"))));
  const fromIndex = await loadResults([dir], TRUSTED);
  assert.deepEqual(sources(fromIndex), ["index"]);
  assert.deepEqual(plain(fromIndex), plain(fromMessages));
  assert.deepEqual(
    fromIndex.files[0].results!.scenarios.map((s) => s.name),
    ["Größe ändern 😀", "line\u2028sep\u2029 and DEL\u007f", "plain"],
  );
});

test("the run.json bytes a runner signed are loaded, not run.json as it is on disk now (replaced after the signature was checked)", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  await indexDir(dir);
  const signed = readFileSync(join(dir, "run.json"));
  // Replaced since: the index's record points at a forged digest, and the run claims to be someone else's.
  const m = JSON.parse(signed.toString("utf8")) as RunManifest;
  m.runId = "replaced";
  m.targets[0].files!["messages/pw-desktop.ndjson"].index!.sha256 = "0".repeat(64);
  writeFileSync(join(dir, "run.json"), JSON.stringify(m));
  const fromSigned = await loadResults([dir], { ...TRUSTED, signedManifest: () => signed });
  assert.equal(fromSigned.manifests[0].manifest!.runId, JSON.parse(signed.toString("utf8")).runId);
  assert.deepEqual(sources(fromSigned), ["index"]);
  const fromDisk = await loadResults([dir], TRUSTED);
  assert.equal(fromDisk.manifests[0].manifest!.runId, "replaced");
  assert.equal(fromDisk.files[0].problem, "results-tampered");
  // Signed bytes that are not a run manifest are unreadable, as the same file on disk would be.
  const bad = await loadResults([dir], { ...TRUSTED, signedManifest: () => Buffer.from("{}") });
  assert.match(bad.manifests[0].error ?? "", /not a signoff run manifest/);
});

test("requirements come from the reader's tag prefix, not the writer's", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: () => [{ name: "tagged", tags: ["@SPEC-9", "@REQ-1"] }] });
  await indexDir(dir);
  const loaded = await loadResults([dir], { ...TRUSTED, requirementTagPrefix: "SPEC-" });
  assert.equal(loaded.files[0].source, "index");
  assert.deepEqual(loaded.files[0].results!.scenarios[0].requirements, ["SPEC-9"]);
});

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
const saveManifest = (dir: string, m: RunManifest) => writeFileSync(join(dir, "run.json"), JSON.stringify(m, null, 2));
const decide = async (dir: string) =>
  evaluate({
    results: await loadResults([dir], TRUSTED),
    policy: POLICY,
    artifact: ARTIFACT,
    declaredRequirements: REQS,
  });
/** The findings with this code, as "code: message" lines. */
const reasonsOf = (d: { reasons: string[] }, code: string) => d.reasons.filter((r) => r.startsWith(`${code}: `));

/** Records the messages file's new size and digest in run.json, as an attacker who rewrites both would (no index). */
function rerecord(dir: string, target: string): void {
  const m = manifestOf(dir);
  const t = m.targets.find((x) => x.name === target)!;
  const rel = t.messages[0];
  const bytes = readFileSync(join(dir, rel));
  t.files = { [rel]: { bytes: bytes.length, sha256: sha256File(join(dir, rel)) } };
  saveManifest(dir, m);
}

test("an index edited after the run (a failure turned into a pass) → results-tampered naming the index", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  await indexDir(dir);
  const index = resultsIndexPath(join(dir, "messages", "pw-desktop.ndjson"));
  writeFileSync(index, readFileSync(index, "utf8").replace('"status":"failed"', '"status":"passed"'));
  const d = await decide(dir);
  assert.equal(d.result, "FAILED");
  assert.match(
    reasonsOf(d, "results-tampered").join("\n"),
    /pw-desktop\.ndjson: not the file the run wrote \(its results index messages\/pw-desktop\.results\.jsonl is not the one run\.json records/,
  );
});

test("messages edited without changing their size (FAILED → PASSED), index kept or deleted → results-tampered", async () => {
  for (const deleteIndex of [false, true]) {
    const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
    await indexDir(dir);
    const messages = join(dir, "messages", "pw-desktop.ndjson");
    const before = readFileSync(messages, "utf8");
    const after = before
      .replaceAll('"status":"FAILED"', '"status":"PASSED"')
      .replace('"success":false', '"success":true ');
    assert.equal(after.length, before.length);
    writeFileSync(messages, after);
    if (deleteIndex) rmSync(resultsIndexPath(messages));
    const d = await decide(dir);
    assert.equal(d.result, "FAILED");
    const lines = reasonsOf(d, "results-tampered");
    assert.equal(lines.length, 1, d.reasons.join("\n"));
    assert.match(
      lines[0],
      deleteIndex
        ? /pw-desktop\.ndjson: .*results index messages\/pw-desktop\.results\.jsonl is listed in run\.json but missing/
        : /pw-desktop\.ndjson: .*SHA-256 [0-9a-f]{64} is not the [0-9a-f]{64} run\.json records/,
    );
  }
});

test("messages edited and the index's record removed from run.json → the messages' digest still decides: results-tampered", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  const messages = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(messages, readFileSync(messages, "utf8").replaceAll('"status":"FAILED"', '"status":"PASSED"'));
  const d = await decide(dir);
  assert.match(reasonsOf(d, "results-tampered").join("\n"), /pw-desktop\.ndjson: not the file the run wrote \(SHA-256/);
});

test("messages cut short or grown since the run → results-tampered (size)", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const messages = join(dir, "messages", "se-pixel7.ndjson");
  const text = readFileSync(messages, "utf8");
  writeFileSync(messages, text.slice(0, text.lastIndexOf('{"testRunFinished"')));
  const d = await decide(dir);
  assert.match(
    reasonsOf(d, "results-tampered").join("\n"),
    /se-pixel7\.ndjson: not the file the run wrote \(\d+ bytes, run\.json records \d+/,
  );
});

test("a truncated index is refused even when run.json's digest was made to match it → results-unreadable", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const index = resultsIndexPath(join(dir, "messages", "pw-pixel7.ndjson"));
  const lines = readFileSync(index, "utf8").trimEnd().split("\n");
  writeFileSync(index, lines.slice(0, -2).join("\n") + "\n"); // one scenario and the end line gone
  const manifest = manifestOf(dir);
  manifest.targets.find((t) => t.name === "pw-pixel7")!.files!["messages/pw-pixel7.ndjson"].index!.sha256 =
    sha256File(index);
  saveManifest(dir, manifest);
  const d = await decide(dir);
  assert.match(
    reasonsOf(d, "results-unreadable").join("\n"),
    /pw-pixel7\.ndjson: results unreadable \(messages\/pw-pixel7\.results\.jsonl: truncated results index\)/,
  );
});

test("no index recorded → the messages are read (and hashed); no record at all, or a malformed one → results-unrecorded", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const manifest = manifestOf(dir);
  manifest.targets[0].files!["messages/pw-desktop.ndjson"].index = undefined;
  delete manifest.targets[1].files;
  (manifest.targets[2] as any).files = { "messages/se-desktop.ndjson": { bytes: "many", sha256: "x" } };
  saveManifest(dir, manifest);
  const loaded = await loadResults([dir], TRUSTED);
  assert.deepEqual(sources(loaded), ["messages", undefined, undefined, "index"]);
  assert.deepEqual(
    loaded.files.map((f) => f.problem),
    [undefined, "results-unrecorded", "results-unrecorded", undefined],
  );
  const d = await decide(dir);
  assert.equal(reasonsOf(d, "results-unrecorded").length, 2, d.reasons.join("\n"));
});

test("run.json pointing outside the results dir (absolute, .., a symlink out; messages or index) → results-outside", async () => {
  const outside = writeResultsDir(tmp(), { scenarios: withOneFailure }); // a "good" copy somewhere else
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ["absolute", (dir) => point(dir, join(outside, "messages", "pw-desktop.ndjson")), /absolute path/],
    ["dot-dot", (dir) => point(dir, `../${outside.split("/").pop()}/messages/pw-desktop.ndjson`), /leaves/],
    [
      "symlink",
      (dir) => {
        rmSync(join(dir, "messages", "pw-desktop.ndjson"));
        symlinkSync(join(outside, "messages", "pw-desktop.ndjson"), join(dir, "messages", "pw-desktop.ndjson"));
      },
      /is a link to .*, outside/,
    ],
    [
      "symlinked index",
      (dir) => {
        const index = resultsIndexPath(join(dir, "messages", "pw-desktop.ndjson"));
        mkdirSync(join(outside, "elsewhere"), { recursive: true });
        copyFileSync(index, join(outside, "elsewhere", "index"));
        rmSync(index);
        symlinkSync(join(outside, "elsewhere", "index"), index);
      },
      /results index .* is a link to .*, outside/,
    ],
  ];
  for (const [name, attack, why] of cases) {
    const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
    await indexDir(dir);
    attack(dir);
    const d = await decide(dir);
    assert.equal(d.result, "FAILED", name);
    assert.match(reasonsOf(d, "results-outside").join("\n"), why, `${name}: ${d.reasons.join("\n")}`);
  }
  /** run.json lists `path` for pw-desktop, with the record of the real file there. */
  function point(dir: string, path: string): void {
    const m = manifestOf(dir);
    const t = m.targets.find((x) => x.name === "pw-desktop")!;
    const record = t.files![t.messages[0]];
    t.messages = [path];
    t.files = { [path]: { bytes: record.bytes, sha256: sha256File(join(outside, "messages", "pw-desktop.ndjson")) } };
    saveManifest(dir, m);
    rmSync(join(dir, "messages", "pw-desktop.ndjson"));
  }
});

test("a messages file in the results dir that run.json does not list → results-unlisted, not read", async () => {
  const dir = writeResultsDir(tmp());
  copyFileSync(join(dir, "messages", "pw-desktop.ndjson"), join(dir, "messages", "pw-desktop@shard-1-of-1.ndjson"));
  const d = await decide(dir);
  assert.match(reasonsOf(d, "results-unlisted").join("\n"), /pw-desktop@shard-1-of-1\.ndjson: not listed in run\.json/);
  const f = (await loadResults([dir], TRUSTED)).files.find((x) => x.path.endsWith("@shard-1-of-1.ndjson"))!;
  assert.equal(f.results, undefined);
});

/** pw-desktop's messages rewritten by `edit` and re-recorded in run.json (size, digest) as if the run wrote them. */
function forged(edit: (text: string) => string, counts?: { passed: number; failed: number; other: number }): string {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  const messages = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(messages, edit(readFileSync(messages, "utf8")));
  rerecord(dir, "pw-desktop");
  if (counts) {
    const m = manifestOf(dir);
    m.targets.find((t) => t.name === "pw-desktop")!.counts = counts;
    saveManifest(dir, m);
  }
  return dir;
}
const toPassed = (text: string) => text.replaceAll('"status":"FAILED"', '"status":"PASSED"');

test("an edit re-recorded in run.json is still cross-checked against run.json's counts and Cucumber's success", async () => {
  const d = await decide(forged(toPassed));
  assert.deepEqual(
    reasonsOf(d, "results-inconsistent").map((r) => r.replace(/^.*run\.json: /, "")),
    ["target pw-desktop records 2 passed, 1 failed, 0 other; its results say 3 passed, 0 failed, 0 other"],
  );
  assert.match(
    reasonsOf(d, "run-error").join("\n"),
    /pw-desktop\.ndjson: Cucumber reports the run as failed although every scenario passed/,
  );
});

test("… with the counts and testRunFinished.success forged too → the exit code run.json records disagrees", async () => {
  const d = await decide(
    forged((t) => toPassed(t).replace('"success":false', '"success":true'), { passed: 3, failed: 0, other: 0 }),
  );
  assert.equal(d.result, "FAILED");
  assert.deepEqual(
    reasonsOf(d, "results-inconsistent").map((r) => r.replace(/^.*run\.json: /, "")),
    ["target pw-desktop's Cucumber exited with 1, but its results say the run succeeded"],
  );
});

test("testRunFinished.success forged while a scenario still failed → results-inconsistent", async () => {
  const d = await decide(forged((t) => t.replace('"success":false', '"success":true')));
  assert.match(
    reasonsOf(d, "results-inconsistent").join("\n"),
    /pw-desktop\.ndjson: Cucumber reports the run as successful, yet 1 scenario\(s\) in it did not pass/,
  );
});

test("shard dirs (gate --results a b): b's run.json listing a's file through .. → results-outside, not skipped as already read", async () => {
  const a = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const b = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const m = manifestOf(b);
  const rel = `../${a.split("/").pop()}/messages/pw-desktop.ndjson`;
  m.targets[0].files = { [rel]: m.targets[0].files![m.targets[0].messages[0]] };
  m.targets[0].messages = [rel];
  saveManifest(b, m);
  rmSync(join(b, "messages"), { recursive: true });
  const loaded = await loadResults([a, b], TRUSTED);
  assert.deepEqual(
    loaded.files.map((f) => f.problem),
    [undefined, "results-outside"],
  );
});

test("without a run attestation the index is not believed: a forged index and its recorded digest change nothing", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  await indexDir(dir);
  const m = manifestOf(dir);
  const rel = m.targets[0].messages[0];
  const record = m.targets[0].files![rel] as { index: { file: string; sha256: string } };
  const indexFile = join(dir, record.index.file);
  const forged = readFileSync(indexFile, "utf8")
    .replace(/"FAILED"/g, '"PASSED"')
    .replace(/"failed"/g, '"passed"');
  writeFileSync(indexFile, forged);
  record.index.sha256 = createHash("sha256").update(forged).digest("hex");
  saveManifest(dir, m);
  const untrusted = await loadResults([dir]);
  assert.equal(untrusted.files[0].source, "messages");
  assert.equal(
    evaluate({ results: untrusted, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS }).result,
    "FAILED",
  );
});

test("a messages file's index is its own: run.json naming another file's index is results-tampered", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop", "se-desktop"] });
  await indexDir(dir);
  const m = manifestOf(dir);
  const [a, b] = m.targets.map((t) => t.files![t.messages[0]] as { index: { file: string; sha256: string } });
  a.index = { ...b.index };
  saveManifest(dir, m);
  const loaded = await loadResults([dir], TRUSTED);
  assert.equal(loaded.files[0].problem, "results-tampered");
  assert.match(
    String(loaded.files[0].error),
    /names messages\/se-desktop\.results\.jsonl as its results index; its index is messages\/pw-desktop\.results\.jsonl/,
  );
});

test("scenarios read from indexes share their strings and tag lists across targets; attemptIds: false drops only the attempt id", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  await indexDir(dir);
  const full = await loadResults([dir], TRUSTED);
  const slim = await loadResults([dir], { ...TRUSTED, attemptIds: false });
  assert.deepEqual(sources(slim), ["index", "index", "index", "index"]);
  const [a, b] = slim.files.map((f) => f.results!.scenarios[0]);
  assert.notEqual(a.target, b.target);
  assert.equal(a.tags, b.tags);
  assert.equal(a.requirements, b.requirements);
  assert.ok(Object.isFrozen(a.tags));
  // Everything else is what the full read gives, field by field.
  const withoutAttemptIds = plain(full).map((r: { scenarios: { testCaseStartedId?: string }[] }) => ({
    ...r,
    scenarios: r.scenarios.map(({ testCaseStartedId, ...s }) => (assert.ok(testCaseStartedId), s)),
  }));
  assert.deepEqual(plain(slim), withoutAttemptIds);
  const decide = (results: LoadedResults) =>
    evaluate({ results, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
  assert.deepEqual(decide(slim), decide(full));
});

test("the index carries what the messages say was parsed: each feature file's text digest and the scenarios not run", async () => {
  const withLeftOut = () => [
    ...exampleScenarios(),
    { name: "Left out", uri: "features/visitor-counter.feature", notRun: true },
  ];
  const dir = writeResultsDir(tmp(), { scenarios: withLeftOut });
  const fromMessages = await loadResults([dir], TRUSTED);
  await indexDir(dir);
  const fromIndex = await loadResults([dir], TRUSTED);
  assert.deepEqual(sources(fromIndex), ["index", "index", "index", "index"]);
  assert.deepEqual(plain(fromIndex), plain(fromMessages));
  const results = fromIndex.files[0].results!;
  const text = readFileSync(join(__dirname, "..", "..", "features", "visitor-counter.feature"));
  assert.deepEqual(results.sources, {
    "features/visitor-counter.feature": createHash("sha256").update(text).digest("hex"),
  });
  assert.deepEqual(
    results.notRun.map((n) => n.name),
    ["Left out"],
  );
});

test("an index in an older Signoff's format is refused, not read: @1 (no text digests, no scenarios not run, read as all ran), @2 (its parser passed scenarios with no steps)", async () => {
  const older: Array<(header: Record<string, unknown>) => Record<string, unknown>> = [
    ({ notRun: _n, sources: _s, ...old }) => ({ ...old, format: "signoff/results-index@1" }),
    (header) => ({ ...header, format: "signoff/results-index@2" }),
  ];
  for (const rewrite of older) {
    const dir = writeResultsDir(tmp());
    await indexDir(dir);
    const index = resultsIndexPath(join(dir, "messages", "pw-desktop.ndjson"));
    const [header, ...rest] = readFileSync(index, "utf8").split("\n");
    writeFileSync(index, [JSON.stringify(rewrite(JSON.parse(header))), ...rest].join("\n"));
    const manifest = manifestOf(dir);
    manifest.targets.find((t) => t.name === "pw-desktop")!.files!["messages/pw-desktop.ndjson"].index!.sha256 =
      sha256File(index);
    saveManifest(dir, manifest);
    const d = await decide(dir);
    assert.match(
      reasonsOf(d, "results-unreadable").join("\n"),
      /pw-desktop\.ndjson: results unreadable \(messages\/pw-desktop\.results\.jsonl: not a results index \(signoff\/results-index@3; one of an older Signoff is not read\)\)/,
    );
  }
});
