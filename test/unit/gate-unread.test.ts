// A run attestation that does not verify: the gate FAILs with every reason run.json and the file listing give, reads no
// messages, and says the results were not read; the policy's uri in the verdict is the file's name, not its path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attestRun } from "../../src/attest/run-attestation";
import { loadBaseline } from "../../src/gate/baseline";
import { evaluate } from "../../src/gate/evaluate";
import { runGate } from "../../src/gate/gate";
import { parsePolicy } from "../../src/gate/policy";
import { GATE_DETAIL_KEY, type GateDetail } from "../../src/gate/statements";
import { gateSummary } from "../../src/gate/summary";
import { loadResults } from "../../src/results/loader";
import { ARTIFACT, NOW, OTHER_DIGEST, makeKey, makeTrust, tmp, writeResultsDir } from "./gate-helpers";

const POLICY = parsePolicy(
  "version: 1\nrequiredTargets: [pw-desktop, se-desktop, pw-pixel7]\nrequirements: all\nmaxAge: 24h\n",
  "/elsewhere/on/this/machine/release.policy.yaml",
);

const payloadOf = (line: string) =>
  JSON.parse(Buffer.from(JSON.parse(line).payload as string, "base64").toString("utf8")) as {
    predicate: Record<string, unknown>;
  };

/**
 * A results dir signed by a key the trust file does not pin, with: pw-desktop's messages replaced by garbage of the
 * same size (read, it would be results-tampered), se-desktop's grown by a byte, and an unlisted messages file.
 */
function brokenRun(): string {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop", "se-desktop"] });
  const pw = join(dir, "messages", "pw-desktop.ndjson");
  writeFileSync(pw, "x".repeat(statSync(pw).size));
  appendFileSync(join(dir, "messages", "se-desktop.ndjson"), "\n");
  writeFileSync(join(dir, "messages", "extra.ndjson"), "not messages either\n");
  attestRun(dir, makeKey());
  return dir;
}

test("an attestation that does not verify: FAILED with every reason known without reading the messages, none read", async () => {
  const dir = brokenRun();
  const out = join(dir, "verdict.intoto.jsonl");
  const gateKey = makeKey();
  const trust = makeTrust({ roles: { gate: { keys: [gateKey] }, runner: { keys: [makeKey()] } } });
  const res = await runGate({
    artifact: { ...ARTIFACT, sha256: OTHER_DIGEST },
    policy: POLICY,
    key: gateKey,
    resultsDirs: [dir],
    out,
    now: NOW,
    trust,
  });
  const d = res.decision;
  assert.equal(d.verificationResult, "FAILED");
  assert.deepEqual([...new Set(d.findings.map((f) => f.code))].sort(), [
    "build-mismatch",
    "results-tampered",
    "results-unlisted",
    "run-attestation-invalid",
    "target-missing",
  ]);
  const reason = (code: string) => d.reasons.filter((r) => r.startsWith(`${code}: `));
  assert.match(
    reason("run-attestation-invalid")[0],
    /run\.json\.dsse: not signed by a runner key pinned in trust\.yaml .*\(no result can count without it, so none was read\)$/,
  );
  // Only the size check, which needs no read: the same-size garbage in pw-desktop's file is not found.
  assert.equal(reason("results-tampered").length, 1, d.reasons.join("\n"));
  assert.match(
    reason("results-tampered")[0],
    /se-desktop\.ndjson: not the file the run wrote \(\d+ bytes, run\.json records/,
  );
  assert.match(reason("target-missing")[0], /required target pw-pixel7 has no results and is not in run\.json/);
  assert.ok(res.results.unread);
  for (const f of res.results.files) assert.equal(f.results, undefined, f.path);
  assert.equal(d.counts.total, 0);
  assert.deepEqual(d.coverage.requirements, []);
  assert.match(gateSummary(d, ARTIFACT, out, POLICY.source), /\n {2}scenarios: not read \(no result can count/);

  // Still signed and written: the decision carries the same reasons.
  const lines = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(lines.length, 2);
  const detail = payloadOf(lines[1]).predicate[GATE_DETAIL_KEY] as GateDetail;
  assert.deepEqual(detail.reasons, d.reasons);
});

test("the same results with a valid attestation are read: the garbage is results-tampered", async () => {
  const dir = brokenRun();
  const runner = makeKey();
  attestRun(dir, runner);
  const gateKey = makeKey();
  const res = await runGate({
    artifact: ARTIFACT,
    policy: POLICY,
    key: gateKey,
    resultsDirs: [dir],
    out: join(dir, "verdict.intoto.jsonl"),
    now: NOW,
    trust: makeTrust({ roles: { gate: { keys: [gateKey] }, runner: { keys: [runner] } } }),
  });
  assert.equal(res.results.unread, undefined);
  assert.ok(
    res.decision.reasons.some((r) => /^results-tampered: .*pw-desktop\.ndjson: .*SHA-256/.test(r)),
    res.decision.reasons.join("\n"),
  );
});

test("evaluate fails closed on unread results even without a reason of its own: never a PASS", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const results = await loadResults([dir], { readMessages: false });
  const policy = parsePolicy("version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n", "p.yaml");
  const d = evaluate({ results, policy, artifact: ARTIFACT, declaredRequirements: ["REQ-1"] });
  assert.equal(d.verificationResult, "FAILED");
  assert.deepEqual(d.reasons, [
    "zero-scenarios: the results were not read: there is nothing to base a release decision on",
  ]);
});

test("unread, a baseline the policy requires and was not given is still named (it needs no results)", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const results = await loadResults([dir], { readMessages: false });
  const policy = parsePolicy(
    "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\nregressions: {requireBaseline: true}\n",
    "p.yaml",
  );
  const d = evaluate({ results, policy, artifact: ARTIFACT, declaredRequirements: ["REQ-1"] });
  assert.equal(d.verificationResult, "FAILED");
  assert.deepEqual(
    d.findings.map((f) => f.code),
    ["baseline-missing"],
  );
});

test("unread, a recorded results index is checked for presence (gone = results-tampered), its bytes are not read", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const m = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
  const rec = m.targets[0].files["messages/pw-desktop.ndjson"];
  rec.index = { file: "messages/pw-desktop.results.jsonl", sha256: "0".repeat(64) };
  writeFileSync(join(dir, "run.json"), JSON.stringify(m));
  const gone = await loadResults([dir], { readMessages: false });
  assert.equal(gone.files[0].problem, "results-tampered");
  assert.match(
    gone.files[0].error ?? "",
    /results index messages\/pw-desktop\.results\.jsonl is listed in run\.json but missing/,
  );
  // Present with other bytes than recorded: a read would refuse it; unread, it is not looked into.
  writeFileSync(join(dir, "messages", "pw-desktop.results.jsonl"), "{}\n");
  const present = await loadResults([dir], { readMessages: false });
  assert.equal(present.files[0].error, undefined);
  const read = await loadResults([dir]);
  assert.equal(read.files[0].problem, "results-tampered");
});

test("a verdict whose results were not read is no regression baseline: it would compare the next run with nothing", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop", "se-desktop", "pw-pixel7"] });
  attestRun(dir, makeKey()); // a key the trust file does not pin: the attestation does not verify
  const gateKey = makeKey();
  const out = join(dir, "verdict.intoto.jsonl");
  const trust = makeTrust({ roles: { gate: { keys: [gateKey] }, runner: { keys: [makeKey()] } } });
  await runGate({ artifact: ARTIFACT, policy: POLICY, key: gateKey, resultsDirs: [dir], out, now: NOW, trust });
  // The same run as a results dir is a baseline of its scenarios; its unread verdict must not be an empty one, under
  // which every regression and removal of the next run would go unseen.
  assert.ok((await loadBaseline(dir, "REQ-")).tests.size > 0);
  await assert.rejects(
    loadBaseline(out, "REQ-"),
    (err: Error) =>
      err.name === "UsageError" &&
      /verdict\.intoto\.jsonl: line 1: the baseline has no scenario results$/.test(err.message),
  );
});

test("the policy's uri in the verdict is the policy file's name wherever it lies; its digest is the file's", async () => {
  assert.equal(POLICY.uri, "release.policy.yaml");
  assert.equal(POLICY.source, "/elsewhere/on/this/machine/release.policy.yaml");
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop", "se-desktop", "pw-pixel7"] });
  const out = join(dir, "verdict.intoto.jsonl");
  await runGate({ artifact: ARTIFACT, policy: POLICY, key: makeKey(), resultsDirs: [dir], out, now: NOW });
  const [evidence, decision] = readFileSync(out, "utf8").trim().split("\n").map(payloadOf);
  assert.deepEqual(decision.predicate.policy, { uri: "release.policy.yaml", digest: { sha256: POLICY.digest } });
  const configuration = evidence.predicate.configuration as { name: string; uri?: string }[];
  assert.equal(configuration.find((c) => c.name === "policy")?.uri, "release.policy.yaml");
});
