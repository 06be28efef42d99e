// Interop: our DSSE envelopes verify with an independent implementation, sigstore-js (@sigstore/verify 3.x).
//
// @sigstore/verify checks a Sigstore bundle; a bundle with a `dsseEnvelope` and a public-key hint
// (no transparency log, no timestamps, thresholds 0) is exactly "verify this DSSE envelope with this key".
// It computes PAE and checks the signature itself (@sigstore/core), so this is not our code checking our code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Verifier, toSignedEntity, toTrustMaterial } from "@sigstore/verify";
import { bundleFromJSON } from "@sigstore/bundle";
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from "../../src/attest/dsse";
import { evaluate } from "../../src/gate/evaluate";
import { buildVerdict } from "../../src/gate/gate";
import { parsePolicy } from "../../src/gate/policy";
import { loadResults } from "../../src/results/loader";
import { ARTIFACT, makeKey, tmp, writeResultsDir } from "./gate-helpers";

type Key = ReturnType<typeof makeKey>;

function sigstoreVerify(env: DsseEnvelope, key: Key): void {
  const bundle = bundleFromJSON({
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: {
      publicKey: { hint: "signoff-gate" },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: env,
  });
  const trust = toTrustMaterial(
    {
      mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    },
    (hint: string) => {
      if (hint !== "signoff-gate") throw new Error(`unknown key ${hint}`);
      return { publicKey: key.publicKey, validFor: () => true };
    },
  );
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  const signer = verifier.verify(toSignedEntity(bundle));
  assert.ok(signer.key, "sigstore returned the verifying key");
}

async function verdict(key: Key) {
  const policy = parsePolicy(
    "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n",
    "gate.policy.yaml",
  );
  const results = await loadResults([writeResultsDir(tmp(), { targets: ["pw-desktop"] })]);
  const decision = evaluate({ results, policy, artifact: ARTIFACT, declaredRequirements: [] });
  return buildVerdict({ decision, artifact: ARTIFACT, policy, key }).lines.map((l) => JSON.parse(l) as DsseEnvelope);
}

test("interop: @sigstore/verify accepts our ECDSA P-256 evidence and decision envelopes", async () => {
  const key = makeKey("ecdsa-p256");
  for (const env of await verdict(key)) sigstoreVerify(env, key);
});

test("interop: @sigstore/verify accepts our Ed25519 envelopes", async () => {
  const key = makeKey("ed25519");
  for (const env of await verdict(key)) sigstoreVerify(env, key);
});

test("interop: @sigstore/verify rejects a tampered payload and a wrong key (the check is real)", async () => {
  const key = makeKey("ecdsa-p256");
  const [evidence] = await verdict(key);
  const payload = Buffer.from(evidence.payload, "base64");
  payload[payload.length - 2] ^= 1;
  assert.throws(
    () => sigstoreVerify({ ...evidence, payload: payload.toString("base64") }, key),
    /signature verification failed/,
  );
  assert.throws(() => sigstoreVerify(evidence, makeKey("ecdsa-p256")), /signature verification failed/);
});

test("interop: the in-toto statement in our payload has the standard shape", async () => {
  const key = makeKey();
  const [evidence, decision] = await verdict(key);
  const ev = JSON.parse(Buffer.from(evidence.payload, "base64").toString("utf8"));
  const de = JSON.parse(Buffer.from(decision.payload, "base64").toString("utf8"));
  assert.equal(evidence.payloadType, IN_TOTO_PAYLOAD_TYPE);
  assert.equal(ev._type, "https://in-toto.io/Statement/v1");
  assert.deepEqual(ev.subject, [{ name: ARTIFACT.name, digest: { sha256: ARTIFACT.sha256 } }]);
  assert.equal(ev.predicateType, "https://in-toto.io/attestation/test-result/v0.1");
  assert.deepEqual(Object.keys(ev.predicate).sort(), [
    "configuration",
    "failedTests",
    "passedTests",
    "result",
    "warnedTests",
  ]);
  assert.equal(de.predicateType, "https://slsa.dev/verification_summary/v1");
  for (const k of [
    "verifier",
    "timeVerified",
    "resourceUri",
    "policy",
    "inputAttestations",
    "verificationResult",
    "verifiedLevels",
  ])
    assert.ok(k in de.predicate, k);
  assert.equal(de.predicate.resourceUri, `${ARTIFACT.name}@sha256:${ARTIFACT.sha256}`);
  // a plain signEnvelope (no statements) also interoperates
  sigstoreVerify(signEnvelope("text/plain", Buffer.from("hello world"), key), key);
});
