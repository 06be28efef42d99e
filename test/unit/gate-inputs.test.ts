// Hostile-input helpers: bounded regular-file reads, control-character escaping, run attestations, what judged the build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../src/core/errors";
import { InputTooLargeError, readInputFile } from "../../src/core/input-file";
import { escapeControl } from "../../src/core/safe-text";
import { envelopeLine, signEnvelope } from "../../src/attest/dsse";
import { evaluate } from "../../src/gate/evaluate";
import { parsePolicy } from "../../src/gate/policy";
import { loadResults } from "../../src/results/loader";
import { runGate } from "../../src/gate/gate";
import { loadBaseline } from "../../src/gate/baseline";
import {
  RUN_ATTESTATION_FILE,
  RUN_MANIFEST_PAYLOAD_TYPE,
  attestRun,
  checkRunAttestation,
} from "../../src/attest/run-attestation";
import { combinedDigest, findLockFile, judgedBy, stepDefinitionUris } from "../../src/core/judged-by";
import { ARTIFACT, NOW, makeKey, makeTrust, tmp, writeResultsDir } from "./gate-helpers";

test("readInputFile: a regular file within the limit is read; a FIFO, a directory or an oversized file is a UsageError naming it", () => {
  const dir = tmp();
  writeFileSync(join(dir, "ok.txt"), "hello");
  assert.equal(readInputFile(join(dir, "ok.txt"), { what: "thing", maxBytes: 5 }).toString(), "hello");
  assert.throws(
    () => readInputFile(join(dir, "ok.txt"), { what: "thing", maxBytes: 4 }),
    (e) =>
      e instanceof InputTooLargeError &&
      e.size === 5 &&
      /ok\.txt: the thing is 5 bytes, more than the limit of 4 bytes/.test(e.message),
  );
  execFileSync("mkfifo", [join(dir, "fifo")]);
  assert.throws(
    () => readInputFile(join(dir, "fifo"), { what: "thing", maxBytes: 10 }),
    (e) => e instanceof UsageError && /fifo: the thing is not a regular file \(a FIFO\)/.test(e.message),
  );
  mkdirSync(join(dir, "d"));
  assert.throws(
    () => readInputFile(join(dir, "d"), { what: "thing", maxBytes: 10 }),
    (e) => e instanceof UsageError && /the thing is not a regular file \(a directory\)/.test(e.message),
  );
  assert.throws(
    () => readInputFile(join(dir, "none"), { what: "thing", maxBytes: 10 }),
    (e) => e instanceof UsageError && /none: cannot read the thing \(ENOENT\)/.test(e.message),
  );
});

test("escapeControl: C0/C1 controls, DEL, line separators and bidi overrides become visible escapes; other text is unchanged", () => {
  assert.equal(
    escapeControl("a\u001b[31mb\nc\td\re\u0000\u007f\u0085\u2028\u202e\u2066é✓"),
    "a\\x1b[31mb\\nc\\td\\re\\x00\\x7f\\x85\\u2028\\u202e\\u2066é✓",
  );
  assert.equal(escapeControl("plain — text ✓"), "plain — text ✓");
});

const RUN_POLICY = parsePolicy(
  "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: [REQ-COUNTER-1]\nmaxAge: 24h\nrequireRunAttestation: true\n",
  "p.yaml",
);

test("run attestation: valid when a pinned runner key signed run.json's exact bytes; missing, edited, unpinned, other payloadType, below threshold are not", () => {
  const runner = makeKey();
  const runner2 = makeKey("ed25519");
  const stranger = makeKey();
  const trust = makeTrust({ roles: { gate: { keys: [makeKey()] }, runner: { keys: [runner, runner2] } } });
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  assert.equal(checkRunAttestation(dir, trust).status, "missing");
  attestRun(dir, runner);
  const ok = checkRunAttestation(dir, trust);
  assert.equal(ok.status, "valid", ok.message);
  assert.deepEqual(ok.keyids, [runner.keyid]);

  const manifest = readFileSync(join(dir, "run.json"));
  writeFileSync(join(dir, "run.json"), Buffer.concat([manifest, Buffer.from(" ")]));
  assert.match(checkRunAttestation(dir, trust).message ?? "", /signs other bytes than .*run\.json/);
  writeFileSync(join(dir, "run.json"), manifest);

  attestRun(dir, stranger);
  assert.match(checkRunAttestation(dir, trust).message ?? "", /not signed by a runner key pinned in trust\.yaml/);
  writeFileSync(
    join(dir, RUN_ATTESTATION_FILE),
    envelopeLine(signEnvelope("application/json", manifest, runner)) + "\n",
  );
  assert.match(
    checkRunAttestation(dir, trust).message ?? "",
    /payloadType "application\/json" is not application\/vnd\.signoff\.run-manifest\+json/,
  );
  writeFileSync(join(dir, RUN_ATTESTATION_FILE), "{not json");
  assert.match(checkRunAttestation(dir, trust).message ?? "", /not a DSSE envelope/);

  const two = makeTrust({ roles: { gate: { keys: [makeKey()] }, runner: { keys: [runner, runner2], threshold: 2 } } });
  const env = signEnvelope(RUN_MANIFEST_PAYLOAD_TYPE, manifest, runner);
  env.signatures.push({ ...env.signatures[0], keyid: "another-hint" }); // the same key twice counts once
  writeFileSync(join(dir, RUN_ATTESTATION_FILE), envelopeLine(env) + "\n");
  assert.match(
    checkRunAttestation(dir, two).message ?? "",
    /signed by 1 distinct runner key\(s\), trust\.yaml requires 2/,
  );
  env.signatures.push(signEnvelope(RUN_MANIFEST_PAYLOAD_TYPE, manifest, runner2).signatures[0]);
  writeFileSync(join(dir, RUN_ATTESTATION_FILE), envelopeLine(env) + "\n");
  assert.equal(checkRunAttestation(dir, two).status, "valid");
});

test("a run.json replaced or deleted after its attestation was checked: the gate judges and names the bytes the runner signed", async () => {
  const runner = makeKey();
  const gateKey = makeKey();
  const trust = makeTrust({ roles: { gate: { keys: [gateKey] }, runner: { keys: [runner] } } });
  const runManifestDigest = (out: string) =>
    (
      JSON.parse(Buffer.from(JSON.parse(readFileSync(out, "utf8").split("\n")[0]).payload, "base64").toString("utf8"))
        .predicate.configuration as { name: string; digest: { sha256: string } }[]
    ).find((c) => c.name === "run-manifest")?.digest.sha256;
  for (const replace of [(path: string) => writeFileSync(path, '{"forged":true}'), (path: string) => rmSync(path)]) {
    const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
    attestRun(dir, runner);
    const signed = readFileSync(join(dir, "run.json"));
    const out = join(dir, "verdict.intoto.jsonl");
    const res = await runGate({
      artifact: ARTIFACT,
      policy: parsePolicy(
        "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: [REQ-COUNTER-1]\nmaxAge: 24h\n",
        "p.yaml",
      ),
      key: gateKey,
      resultsDirs: [dir],
      out,
      now: NOW,
      trust,
      // Called after the attestation was checked and before the results are evaluated.
      features: () => (replace(join(dir, "run.json")), undefined),
    });
    assert.equal(res.decision.verificationResult, "PASSED", JSON.stringify(res.decision.findings));
    assert.equal(runManifestDigest(out), createHash("sha256").update(signed).digest("hex"));
  }
});

test("a required baseline counts only as a passing verdict of a pinned gate key; the evidence names the one compared with", async () => {
  const gateKey = makeKey();
  const trust = makeTrust({ roles: { gate: { keys: [gateKey] } } });
  const yaml = "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: [REQ-COUNTER-1]\nmaxAge: 24h\n";
  const requiring = parsePolicy(`${yaml}regressions: {requireBaseline: true}\n`, "p.yaml");
  const gate = (dir: string, policy = requiring, baseline?: Awaited<ReturnType<typeof loadBaseline>>) =>
    runGate({
      artifact: ARTIFACT,
      policy,
      key: gateKey,
      resultsDirs: [dir],
      out: join(dir, "v.jsonl"),
      now: NOW,
      baseline,
    });
  const codes = (r: Awaited<ReturnType<typeof gate>>) => r.decision.findings.map((f) => f.code);
  const results = () => writeResultsDir(tmp(), { targets: ["pw-desktop"] });

  const first = results();
  assert.deepEqual(codes(await gate(first)), ["baseline-missing"]);
  assert.equal(
    configurationOf(join(first, "v.jsonl")).find((c) => c.name === "baseline"),
    undefined,
  );
  const failed = join(first, "v.jsonl");
  // The last release, judged before the policy required a baseline: PASSED.
  const released = results();
  assert.deepEqual(codes(await gate(released, parsePolicy(yaml, "p.yaml"))), []);
  const last = join(released, "v.jsonl");
  const forged = join(tmp(), "forged.jsonl");
  writeFileSync(
    forged,
    readFileSync(last, "utf8").replace(/"sig":"(.)/, (_, c) => `"sig":"${c === "A" ? "B" : "A"}`),
  );

  const unverified = async (baseline: string, t: typeof trust | undefined, why: RegExp) => {
    const r = await gate(results(), requiring, await loadBaseline(baseline, "REQ-", t));
    assert.deepEqual(codes(r), ["baseline-unverified"], baseline);
    assert.match(r.decision.findings[0].message, why);
  };
  await unverified(last, undefined, /: its signature was not checked \(the gate was given no --trust\)$/);
  await unverified(failed, trust, /the gate's decision is "FAILED", not PASSED/);
  await unverified(forged, trust, /signature does not verify with the pinned gate key/);
  await unverified(released, trust, /: a results directory is no signed verdict$/);
  const other = makeTrust({ roles: { gate: { keys: [makeKey()] } } });
  await unverified(last, other, /not signed by any key the trust file pins for role "gate"/);
  // Another artifact's passing verdict (the gate of another product, same gate key): not this artifact's last release.
  const r = await gate(results(), requiring, await loadBaseline(last, "REQ-", trust, "registry.example/other"));
  assert.deepEqual(codes(r), ["baseline-unverified"]);
  assert.match(
    r.decision.findings[0].message,
    /it is a verdict on "[^"]+", not on "registry\.example\/other", the artifact being gated/,
  );

  const next = results();
  assert.deepEqual(codes(await gate(next, requiring, await loadBaseline(last, "REQ-", trust, ARTIFACT.name))), []);
  assert.deepEqual(
    configurationOf(join(next, "v.jsonl")).find((c) => c.name === "baseline"),
    {
      name: "baseline",
      uri: last,
      digest: { sha256: createHash("sha256").update(readFileSync(last)).digest("hex") },
    },
  );
});

function configurationOf(verdict: string): { name: string; uri?: string; digest: { sha256: string } }[] {
  const evidence = JSON.parse(readFileSync(verdict, "utf8").split("\n")[0]).payload;
  return JSON.parse(Buffer.from(evidence, "base64").toString("utf8")).predicate.configuration;
}

test("evaluate: run-attestation-invalid always fails; run-attestation-missing fails when the policy requires it or the trust file pins runner keys", async () => {
  const dir = writeResultsDir(tmp(), { targets: ["pw-desktop"] });
  const results = await loadResults([dir]);
  const base = { results, artifact: ARTIFACT, declaredRequirements: ["REQ-COUNTER-1"] };
  const missing = [{ path: `${dir}/run.json.dsse`, status: "missing" as const, message: "no run attestation" }];
  assert.equal(
    evaluate({ ...base, policy: RUN_POLICY }).verificationResult,
    "PASSED",
    "no checks made: nothing to say",
  );
  assert.match(
    evaluate({ ...base, policy: RUN_POLICY, runAttestations: missing }).reasons.join("\n"),
    /^run-attestation-missing: no run attestation; the policy requires one/m,
  );
  const notRequired = { ...RUN_POLICY, requireRunAttestation: false };
  assert.equal(evaluate({ ...base, policy: notRequired, runAttestations: missing }).verificationResult, "PASSED");
  // Not required, but the trust file pins runner keys: an unsigned dir reads like one whose attestation was deleted.
  assert.match(
    evaluate({ ...base, policy: notRequired, runAttestations: missing, runnerKeysPinned: true }).reasons.join("\n"),
    /^run-attestation-missing: no run attestation; the trust file pins runner keys, so every results dir must be signed/m,
  );
  const invalid = evaluate({
    ...base,
    policy: notRequired,
    runAttestations: [{ path: "x", status: "invalid", message: "x: signs other bytes" }],
  });
  assert.equal(invalid.verificationResult, "FAILED");
  assert.match(invalid.reasons[0], /^run-attestation-invalid: x: signs other bytes/);
});

test("judged by: step definition uris from Cucumber's stepDefinition messages, a combined digest, the lock file found upward", async () => {
  const root = tmp();
  mkdirSync(join(root, "app", "steps"), { recursive: true });
  writeFileSync(join(root, "package-lock.json"), "{}");
  writeFileSync(join(root, "app", "steps", "a.ts"), "Given('a', () => {})");
  writeFileSync(join(root, "app", "steps", "b.ts"), "Given('b', () => {})");
  const messages = join(root, "m.ndjson");
  const def = (id: string, uri: string) =>
    JSON.stringify({
      stepDefinition: {
        id,
        pattern: { source: id, type: "CUCUMBER_EXPRESSION" },
        sourceReference: { uri, location: { line: 1 } },
      },
    });
  writeFileSync(join(root, "app", "steps", "hooks.ts"), "Before(() => {})");
  writeFileSync(join(root, "app", "steps", "types.ts"), "defineParameterType({})");
  const hook = JSON.stringify({
    hook: { id: "4", type: "BEFORE_TEST_CASE", sourceReference: { uri: "steps/hooks.ts", location: { line: 1 } } },
  });
  const type = JSON.stringify({
    parameterType: {
      id: "5",
      name: "x",
      regularExpressions: ["x"],
      preferForRegularExpressionMatch: false,
      useForSnippets: false,
      sourceReference: { uri: "steps/types.ts", location: { line: 1 } },
    },
  });
  const installed = JSON.stringify({
    hook: {
      id: "6",
      type: "BEFORE_TEST_CASE",
      sourceReference: { uri: "node_modules/allure-cucumberjs/src/index.ts", location: { line: 1 } },
    },
  });
  writeFileSync(
    messages,
    [
      JSON.stringify({ meta: {} }),
      installed,
      type,
      def("1", "steps/b.ts"),
      def("2", "steps/a.ts"),
      def("3", "steps/a.ts"),
      hook,
      JSON.stringify({ testRunFinished: { success: true } }),
    ].join("\n") + "\n",
  );
  const uris = await stepDefinitionUris(messages);
  // Hooks and parameter types decide what a step does as much as its definition does.
  assert.deepEqual(uris.sort(), [
    "node_modules/allure-cucumberjs/src/index.ts",
    "steps/a.ts",
    "steps/b.ts",
    "steps/hooks.ts",
    "steps/types.ts",
  ]);
  const j = judgedBy(uris, join(root, "app"));
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["steps/a.ts", "steps/b.ts", "steps/hooks.ts", "steps/types.ts"],
  );
  assert.equal(j.stepDefinitions.digest, combinedDigest(j.stepDefinitions.files));
  assert.equal(findLockFile(join(root, "app", "steps")), join(root, "package-lock.json"));
  assert.equal(j.lockFile?.path, "../package-lock.json", "relative to the run's directory");
  writeFileSync(join(root, "app", "steps", "b.ts"), "Given('b', () => { /* changed */ })");
  assert.notEqual(
    judgedBy(uris, join(root, "app")).stepDefinitions.digest,
    j.stepDefinitions.digest,
    "any step file change changes the digest",
  );
});
