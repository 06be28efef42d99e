// `approve`: which roles may sign off, which decisions may be signed off (one, PASSED, the gate's, another key's), and what is appended.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  IN_TOTO_PAYLOAD_TYPE,
  envelopeLine,
  pae,
  signEnvelope,
  verifyBytes,
  type DsseEnvelope,
} from "../../src/attest/dsse";
import { RefusedError, UsageError, type SignoffError } from "../../src/core/errors";
import { approve } from "../../src/gate/approve";
import { evaluate, type GateDecision } from "../../src/gate/evaluate";
import { buildVerdict } from "../../src/gate/gate";
import { verifyVerdict } from "../../src/gate/verify";
import { loadResults } from "../../src/results/loader";
import { tempDir } from "../helpers/cli";
import {
  ARTIFACT,
  makeKey,
  makeTrust,
  NOW,
  RELEASE_POLICY as POLICY,
  T0,
  tmp,
  writeResultsDir,
  type FakeScenario,
} from "./gate-helpers";

const T1 = new Date("2025-06-01T12:30:00.000Z");

const gateKey = makeKey("ecdsa-p256", "gate.key");
const qaKey = makeKey("ed25519", "qa.key");
const rmKey = makeKey("ecdsa-p256", "rm.key");
const forgerKey = makeKey("ecdsa-p256", "forger.key");
const trust = makeTrust({
  allowedPolicies: [POLICY.digest],
  roles: { gate: { keys: [gateKey] }, qa: { keys: [qaKey] }, "release-manager": { keys: [rmKey] } },
});

const root = tempDir("signoff-approve-");
const cleanup: string[] = [root];
after(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

async function decisionFor(scenarios?: (t: string) => FakeScenario[]): Promise<GateDecision> {
  const dir = writeResultsDir(tmp(), { scenarios });
  cleanup.push(dir);
  const results = await loadResults([dir]);
  return evaluate({
    results,
    policy: POLICY,
    artifact: ARTIFACT,
    declaredRequirements: ["REQ-COUNTER-1", "REQ-COUNTER-2"],
  });
}

let passed: GateDecision;
let failed: GateDecision;
before(async () => {
  passed = await decisionFor();
  failed = await decisionFor((t) => [
    {
      name: "Counting",
      tags: ["@REQ-COUNTER-1", "@REQ-COUNTER-2"],
      attempts: t === "se-desktop" ? ["FAILED"] : ["PASSED"],
    },
  ]);
});

let n = 0;
/** A verdict file holding the given lines (default: the gate's evidence + decision for a PASSED decision). */
function verdictFile(lines?: string[]): string {
  const file = join(root, `verdict-${++n}.intoto.jsonl`);
  const text = (lines ?? gateLines().lines).join("\n") + "\n";
  writeFileSync(file, text);
  return file;
}

function gateLines(o: { decision?: GateDecision; key?: typeof gateKey } = {}) {
  return buildVerdict({
    decision: o.decision ?? passed,
    artifact: ARTIFACT,
    policy: POLICY,
    key: o.key ?? gateKey,
    now: T0,
  });
}

/** The decision line's statement, changed, then signed by the gate key again. */
function resignedDecision(change: (statement: Record<string, unknown>) => void): string[] {
  const [evidence, decision] = gateLines().lines;
  const env = JSON.parse(decision) as DsseEnvelope;
  const statement = JSON.parse(Buffer.from(env.payload, "base64").toString("utf8")) as Record<string, unknown>;
  change(statement);
  return [evidence, envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), gateKey))];
}

/** Throws an error of `type` whose one-line message matches every pattern, and leaves the file as it was. */
function refuses(
  file: string,
  run: () => unknown,
  type: new (m: string) => SignoffError,
  code: number,
  ...parts: RegExp[]
) {
  const before = readFileSync(file);
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.name}: ${e.message}`);
    assert.equal((e as SignoffError).exitCode, code);
    assert.doesNotMatch(e.message, /\n/, "one line");
    for (const p of parts) assert.match(e.message, p);
    return true;
  });
  assert.deepEqual(readFileSync(file), before, "nothing written");
}

const payloadOf = (line: string) => {
  const env = JSON.parse(line) as DsseEnvelope;
  return { env, statement: JSON.parse(Buffer.from(env.payload, "base64").toString("utf8")) };
};

describe("a sign-off of a PASSED decision", () => {
  test("appends one sign-off line signed by the key, naming the artifact, the role and the decision", () => {
    const gate = gateLines();
    const file = verdictFile(gate.lines);
    const before = readFileSync(file);
    const r = approve({ verdictFile: file, key: qaKey, role: "qa", comment: "explored checkout", now: T1 });
    assert.equal(r.decisionDigest, gate.decisionDigest);
    assert.deepEqual(r.subject, { name: ARTIFACT.name, digest: { sha256: ARTIFACT.sha256 } });
    const after = readFileSync(file);
    assert.deepEqual(after.subarray(0, before.length), before, "the gate's lines are kept byte for byte");
    assert.equal(after.subarray(before.length).toString("utf8"), r.line + "\n");

    const { env, statement } = payloadOf(r.line);
    assert.equal(env.signatures.length, 1);
    assert.equal(env.signatures[0].keyid, qaKey.keyid);
    assert.ok(
      verifyBytes(
        pae(env.payloadType, Buffer.from(env.payload, "base64")),
        Buffer.from(env.signatures[0].sig, "base64"),
        qaKey.publicKey,
      ),
    );
    assert.deepEqual(statement.subject, [{ name: ARTIFACT.name, digest: { sha256: ARTIFACT.sha256 } }]);
    assert.equal(statement.predicate.role, "qa");
    assert.equal(statement.predicate.signer.keyid, qaKey.keyid);
    assert.equal(statement.predicate.timeSigned, T1.toISOString());
    assert.equal(statement.predicate.comment, "explored checkout");
    assert.deepEqual(statement.predicate.decision, {
      uri: `verdict-${n}.intoto.jsonl#2`,
      digest: { sha256: gate.decisionDigest },
    });
  });

  test("no comment: no comment field", () => {
    const r = approve({ verdictFile: verdictFile(), key: qaKey, role: "qa", now: T1 });
    assert.equal("comment" in payloadOf(r.line).statement.predicate, false);
  });

  test("the sign-offs the policy asks for make the verdict verify; with the trust file, the gate's signature is checked first", () => {
    const file = verdictFile();
    approve({ verdictFile: file, key: qaKey, role: "qa", trust, now: T1 });
    const partial = verifyVerdict(readFileSync(file), { artifact: ARTIFACT, trust, now: NOW });
    assert.equal(partial.ok, false, "one sign-off of two is not enough");
    approve({ verdictFile: file, key: rmKey, role: "release-manager", trust, now: T1 });
    const report = verifyVerdict(readFileSync(file), { artifact: ARTIFACT, trust, now: NOW });
    assert.deepEqual(report.failures, []);
    assert.equal(report.ok, true);
  });

  test("a role of 63 characters is accepted", () => {
    assert.doesNotThrow(() => approve({ verdictFile: verdictFile(), key: qaKey, role: "a".repeat(63), now: T1 }));
  });
});

describe("roles", () => {
  test("a role that is not lowercase letters, digits and dashes, starting with a letter, is a usage error", () => {
    const file = verdictFile();
    for (const role of ["", "QA", "qa lead", "qa_lead", "-qa", "1qa", "a".repeat(64)])
      refuses(
        file,
        () => approve({ verdictFile: file, key: qaKey, role }),
        UsageError,
        2,
        /^--role: ".*" must be lowercase letters, digits and dashes/,
      );
  });

  test("a role with a trailing newline is refused too (the pattern is anchored at the very end)", () => {
    const file = verdictFile();
    assert.throws(() => approve({ verdictFile: file, key: qaKey, role: "qa\n" }), UsageError);
  });

  test("the gate and runner roles cannot sign off", () => {
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "gate" }),
      UsageError,
      2,
      /^--role: "gate" signs decisions/,
    );
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "runner" }),
      UsageError,
      2,
      /^--role: "runner" signs run manifests/,
    );
  });
});

describe("the verdict file", () => {
  test("a missing file or a directory is a usage error naming it", () => {
    const missing = join(root, "nope.intoto.jsonl");
    assert.throws(
      () => approve({ verdictFile: missing, key: qaKey, role: "qa" }),
      (e: Error) => e instanceof UsageError && e.message.startsWith(`${missing}: cannot read the verdict`),
    );
    assert.throws(
      () => approve({ verdictFile: root, key: qaKey, role: "qa" }),
      (e: Error) => e instanceof UsageError && e.message.startsWith(`${root}: the verdict is not a regular file`),
    );
  });

  test("a line that is no signed statement is a usage error naming the file", () => {
    const file = verdictFile([...gateLines().lines, "{not json"]);
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa" }),
      UsageError,
      2,
      new RegExp(`^${file.replace(/[.]/g, "\\.")}: `),
    );
  });

  test("no decision, or two, is a usage error counting them", () => {
    const [evidence, decision] = gateLines().lines;
    const none = verdictFile([evidence]);
    refuses(
      none,
      () => approve({ verdictFile: none, key: qaKey, role: "qa" }),
      UsageError,
      2,
      /: expected exactly one decision statement, found 0$/,
    );
    const two = verdictFile([evidence, decision, gateLines().lines[1]]);
    refuses(
      two,
      () => approve({ verdictFile: two, key: qaKey, role: "qa" }),
      UsageError,
      2,
      /: expected exactly one decision statement, found 2$/,
    );
  });

  test("a decision about two artifacts is a usage error naming its line", () => {
    const file = verdictFile(
      resignedDecision(
        (s) => void (s.subject as unknown[]).push({ name: "other", digest: { sha256: "c".repeat(64) } }),
      ),
    );
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa" }),
      UsageError,
      2,
      /: line 2: the decision names 2 subjects/,
    );
  });

  test("a decision whose subject's sha256 is not hex is a usage error naming the line and field", () => {
    const file = verdictFile(
      resignedDecision((s) => void (s.subject = [{ name: ARTIFACT.name, digest: { sha256: "not-hex" } }])),
    );
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa" }),
      UsageError,
      2,
      /: line 2: subject\[0\]\.digest\.sha256: must be 64 lowercase hex digits$/,
    );
  });
});

describe("decisions that must not be signed off", () => {
  test("a FAILED decision is refused (exit 1)", () => {
    const file = verdictFile(gateLines({ decision: failed }).lines);
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa" }),
      RefusedError,
      1,
      /: the gate's decision is FAILED; refusing to sign off$/,
    );
  });

  test("the key that signed the decision cannot sign it off", () => {
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: gateKey, role: "qa" }),
      UsageError,
      2,
      /^gate\.key: this key signed the decision; a sign-off must come from a different key$/,
    );
  });

  test("with a trust file, a decision not signed by the trusted gate key is refused (exit 1)", () => {
    const file = verdictFile(gateLines({ key: forgerKey }).lines);
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa", trust }),
      RefusedError,
      1,
      /: line 2: the decision is signed by 0 of the 1 gate key\(s\) trust\.yaml requires \(forged or altered\); refusing to sign off$/,
    );
    assert.doesNotThrow(
      () => approve({ verdictFile: file, key: qaKey, role: "qa" }),
      "without a trust file the signature is not checked",
    );
  });

  test("with a trust file, an altered decision (content changed, old signature kept) is refused", () => {
    const [evidence, decision] = gateLines().lines;
    const env = JSON.parse(decision) as DsseEnvelope;
    const statement = JSON.parse(Buffer.from(env.payload, "base64").toString("utf8"));
    statement.predicate.timeVerified = T1.toISOString();
    env.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
    const file = verdictFile([evidence, JSON.stringify(env)]);
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa", trust }),
      RefusedError,
      1,
      /signed by 0 of the 1 gate key/,
    );
  });

  test("a trust file without a gate role is a usage error naming the field", () => {
    const noGate = makeTrust({ roles: { qa: { keys: [qaKey] } } });
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "qa", trust: noGate }),
      UsageError,
      2,
      /^trust\.yaml: roles\.gate: required field is missing/,
    );
  });
});

describe("with a trust file, sign-offs verify would never count are refused before anything is appended", () => {
  test("a key the trust file does not pin is refused (exit 2), naming the key and the fix", () => {
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: forgerKey, role: "release-manager", trust }),
      UsageError,
      2,
      new RegExp(
        `^forger\\.key: this key \\(keyid ${forgerKey.keyid}\\) is not pinned in trust\\.yaml, so verify would not count its sign-off \\(pin its public key: signoff trust add --role release-manager --key PUB\\)$`,
      ),
    );
  });

  test("a key pinned for another role is refused (exit 2): the qa key cannot sign as release-manager", () => {
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: qaKey, role: "release-manager", trust }),
      UsageError,
      2,
      /^qa\.key: this key is pinned for role qa in trust\.yaml, not release-manager; verify would not count it as a release-manager sign-off$/,
    );
  });

  test("a role the trust file does not know is refused (exit 2) with the role it most likely meant", () => {
    const file = verdictFile();
    refuses(
      file,
      () => approve({ verdictFile: file, key: rmKey, role: "release-manger", trust }),
      UsageError,
      2,
      /^--role: trust\.yaml has no role "release-manger" \(did you mean "release-manager"\?\); its sign-off roles: qa, release-manager$/,
    );
    // "constructor" (the one Object.prototype member a role name can spell) is no role either.
    refuses(
      file,
      () => approve({ verdictFile: file, key: rmKey, role: "constructor", trust }),
      UsageError,
      2,
      /^--role: trust\.yaml has no role "constructor"/,
    );
  });

  test("without a trust file the same sign-offs are appended as before (verify is what rejects them)", () => {
    const file = verdictFile();
    approve({ verdictFile: file, key: forgerKey, role: "release-manager" });
    approve({ verdictFile: file, key: qaKey, role: "release-manager" });
    approve({ verdictFile: file, key: rmKey, role: "release-manger" });
    assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 5);
  });
});
