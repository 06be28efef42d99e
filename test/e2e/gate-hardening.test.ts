// Issue 13's negative corpus through the real CLI: one key in two encodings, non-regular files, YAML bombs,
// forged decisions at approve, control characters, extra subjects, lying sign-offs — exit code and reason each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IN_TOTO_PAYLOAD_TYPE, envelopeLine, signEnvelope } from "../../src/attest/dsse";
import { keyIdOf } from "../../src/attest/keys";
import { ROOT, runSignoff, unsetEnv, type CliResult } from "../helpers/cli";
import {
  approve,
  gate,
  gatePin,
  makeKeys,
  ok,
  pinKeys,
  verify as verifyVerdict,
  type Signoff,
} from "../helpers/release-flow";
import { DIGEST, exampleScenarios, tmp, writeResultsDir } from "../unit/gate-helpers";

const ARTIFACT = `registry.example/visitor-counter@sha256:${DIGEST}`;

function signoff(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runSignoff(args, {
    cwd,
    env: { ...unsetEnv("SIGNOFF_KEY", "SIGNOFF_KEY_PASSWORD", "SIGNOFF_RUN_KEY"), ...env },
    timeoutMs: 60_000,
  });
}

/** The CLI in DIR, with no key or password from the environment. */
const inDir =
  (dir: string): Signoff =>
  (args, env) =>
    signoff(dir, args, env);

/** Keys via keygen, trust via trust add, results as a run leaves them, and a PASSED verdict. */
async function project(o: { signoffs?: boolean } = {}): Promise<string> {
  const dir = tmp("signoff-hardening-");
  const cli = inDir(dir);
  mkdirSync(join(dir, "features"));
  copyFileSync(join(ROOT, "features", "visitor-counter.feature"), join(dir, "features", "visitor-counter.feature"));
  copyFileSync(join(ROOT, "gate.policy.yaml"), join(dir, "gate.policy.yaml"));
  mkdirSync(join(dir, "keys"));
  await makeKeys(cli, [
    { name: "gate", type: "ecdsa-p256" },
    { name: "qa", type: "ecdsa-p256" },
    { name: "rm", type: "ed25519" },
  ]);
  await pinKeys(cli, [gatePin(), { role: "qa", key: "keys/qa.pub" }]);
  writeResultsDir(join(dir, "reports"), {
    scenarios: (t) => [
      ...exampleScenarios(),
      ...(t.endsWith("pixel7")
        ? [
            {
              name: "The counter displays on a mobile device",
              uri: "features/visitor-counter.feature",
              tags: ["@REQ-COUNTER-3", "@mobile-only"],
            },
          ]
        : []),
    ],
  });
  await ok(gate(cli, ARTIFACT));
  if (o.signoffs) {
    await pinKeys(cli, [{ role: "release-manager", key: "keys/rm.pub" }]);
    await ok(approve(cli, { role: "qa", key: "qa", trust: "trust.yaml" }));
    await ok(approve(cli, { role: "release-manager", key: "rm", trust: "trust.yaml" }));
  }
  return dir;
}

const verify = (dir: string, verdict = "reports/verdict.intoto.jsonl", artifact = ARTIFACT) =>
  verifyVerdict(inDir(dir), artifact, { verdict, trust: "trust.yaml" });

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");
const statementOf = (line: string) => JSON.parse(Buffer.from(JSON.parse(line).payload, "base64").toString("utf8"));
const keyOf = (dir: string, name: string) => {
  const privateKey = createPrivateKey(readFileSync(join(dir, "keys", `${name}.key`)));
  return { privateKey, keyid: keyIdOf(createPublicKey(privateKey)) };
};
const sign = (stmt: unknown, key: ReturnType<typeof keyOf>) =>
  envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(stmt)), key));

test("the two-roles attack: qa.pub re-encoded by openssl (compressed, hybrid) cannot be pinned as release-manager, and a trust file with it does not load", async () => {
  const dir = await project();
  openssl(dir, [
    "ec",
    "-pubin",
    "-in",
    "keys/qa.pub",
    "-conv_form",
    "compressed",
    "-pubout",
    "-out",
    "keys/rm-compressed.pub",
  ]);
  openssl(dir, ["ec", "-pubin", "-in", "keys/qa.pub", "-conv_form", "hybrid", "-pubout", "-out", "keys/rm-hybrid.pub"]);
  for (const pub of ["keys/rm-compressed.pub", "keys/rm-hybrid.pub"]) {
    const r = await signoff(dir, ["trust", "add", "--role", "release-manager", "--key", pub]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^signoff: --key: this key \(keyid [0-9a-f]{64}\) is already pinned for role qa in trust\.yaml; a key may serve one role only\n$/,
    );
  }
  // A trust file edited by hand to pin it anyway: verify refuses to load it (exit 2), so two approvals by qa.key never pass.
  const trust = readFileSync(join(dir, "trust.yaml"), "utf8");
  const pem = readFileSync(join(dir, "keys", "rm-compressed.pub"), "utf8")
    .trim()
    .split("\n")
    .map((l) => `          ${l}`)
    .join("\n");
  writeFileSync(join(dir, "trust.yaml"), `${trust}  release-manager:\n    keys:\n      - publicKey: |\n${pem}\n`);
  await ok(
    signoff(dir, ["approve", "--verdict", "reports/verdict.intoto.jsonl", "--key", "keys/qa.key", "--role", "qa"]),
  );
  await ok(
    signoff(dir, [
      "approve",
      "--verdict",
      "reports/verdict.intoto.jsonl",
      "--key",
      "keys/qa.key",
      "--role",
      "release-manager",
    ]),
  );
  const r = await verify(dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: trust\.yaml: roles\.release-manager\.keys\[0\]: this key is already pinned for role qa; a key may serve one role only\n$/,
  );
});

test("an Ed25519 key anyone can sign for (the identity point) is refused by trust add, and by verify in a trust file edited by hand", async () => {
  const dir = await project();
  const identity = Buffer.concat([
    Buffer.from("302a300506032b6570032100", "hex"),
    Buffer.from("01".padEnd(64, "0"), "hex"),
  ]);
  const pem = createPublicKey({ key: identity, format: "der", type: "spki" }).export({ type: "spki", format: "pem" });
  writeFileSync(join(dir, "keys", "weak.pub"), pem);
  const before = readFileSync(join(dir, "trust.yaml"), "utf8");
  const added = await signoff(dir, ["trust", "add", "--role", "release-manager", "--key", "keys/weak.pub"]);
  assert.equal(added.code, 2, added.stdout + added.stderr);
  assert.match(
    added.stderr,
    /^signoff: keys\/weak\.pub: an Ed25519 public key anyone can sign for \(a point of small order\): .*\n$/,
  );
  assert.equal(readFileSync(join(dir, "trust.yaml"), "utf8"), before, "nothing written");
  const indented = String(pem)
    .trim()
    .split("\n")
    .map((l) => `          ${l}`)
    .join("\n");
  writeFileSync(join(dir, "trust.yaml"), `${before}  release-manager:\n    keys:\n      - publicKey: |\n${indented}\n`);
  const r = await verify(dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: trust\.yaml: roles\.release-manager\.keys\[0\]\.publicKey: an Ed25519 public key anyone can sign for/,
  );
});

test("verify, approve and gate open only regular files: a FIFO or a directory is exit 2 naming it, without hanging", async () => {
  const dir = await project();
  execFileSync("mkfifo", [join(dir, "fifo")]);
  mkdirSync(join(dir, "adir"));
  const cases: Array<[string[], RegExp]> = [
    [
      ["verify", "--verdict", "fifo", "--artifact", ARTIFACT, "--trust", "trust.yaml"],
      /^signoff: fifo: the verdict is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["verify", "--verdict", "reports/verdict.intoto.jsonl", "--artifact", ARTIFACT, "--trust", "fifo"],
      /^signoff: fifo: the trust file is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["verify", "--verdict", "adir", "--artifact", ARTIFACT, "--trust", "trust.yaml"],
      /^signoff: adir: the verdict is not a regular file \(a directory\)\n$/,
    ],
    [
      ["approve", "--verdict", "fifo", "--key", "keys/qa.key", "--role", "qa"],
      /^signoff: fifo: the verdict is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["approve", "--verdict", "reports/verdict.intoto.jsonl", "--key", "fifo", "--role", "qa"],
      /^signoff: fifo: the private key is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--policy", "fifo"],
      /^signoff: fifo: the gate policy is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--baseline", "fifo"],
      /^signoff: fifo: the baseline is not a regular file \(a FIFO\)\n$/,
    ],
    [
      ["trust", "add", "--trust", "trust.yaml", "--role", "qa", "--key", "fifo"],
      /^signoff: fifo: the public key is not a regular file \(a FIFO\)\n$/,
    ],
  ];
  for (const [args, want] of cases) {
    const r = await signoff(dir, args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, want, args.join(" "));
  }
  // An oversized trust file is refused before it is read.
  writeFileSync(join(dir, "big.yaml"), `version: 1\n#${"x".repeat(1024 * 1024)}\n`);
  const big = await signoff(dir, [
    "verify",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "big.yaml",
  ]);
  assert.equal(big.code, 2);
  assert.match(big.stderr, /^signoff: big\.yaml: the trust file is \d+ bytes, more than the limit of 1048576 bytes\n$/);
});

const BOMB = `version: 1
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
`;

test("a YAML alias bomb or a YAML syntax error in a policy or trust file is one line naming the file, exit 2", async () => {
  const dir = await project();
  writeFileSync(join(dir, "bomb.yaml"), BOMB);
  writeFileSync(join(dir, "broken.yaml"), "version: 1\nroles: {gate: [\n");
  const cases: Array<[string[], RegExp]> = [
    [
      ["verify", "--verdict", "reports/verdict.intoto.jsonl", "--artifact", ARTIFACT, "--trust", "bomb.yaml"],
      /^signoff: bomb\.yaml: Excessive alias count/,
    ],
    [
      ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--policy", "bomb.yaml"],
      /^signoff: bomb\.yaml: Excessive alias count/,
    ],
    [["trust", "add", "--trust", "bomb.yaml", "--max-age", "1h"], /^signoff: bomb\.yaml: Excessive alias count/],
    [
      ["verify", "--verdict", "reports/verdict.intoto.jsonl", "--artifact", ARTIFACT, "--trust", "broken.yaml"],
      /^signoff: broken\.yaml:\d+:\d+: /,
    ],
  ];
  for (const [args, want] of cases) {
    const r = await signoff(dir, args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, want, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line, no stack trace: ${r.stderr}`);
  }
  assert.equal(readFileSync(join(dir, "bomb.yaml"), "utf8"), BOMB, "nothing written");
});

test("approve --trust checks the decision's gate signature first and refuses a forged decision (exit 1, nothing appended)", async () => {
  const dir = await project();
  await ok(signoff(dir, ["keygen", "--out", "keys/mallory"]));
  const verdict = join(dir, "reports", "verdict.intoto.jsonl");
  const [evidence, decision] = lines(verdict);
  writeFileSync(join(dir, "forged.jsonl"), `${evidence}\n${sign(statementOf(decision), keyOf(dir, "mallory"))}\n`);
  const before = readFileSync(join(dir, "forged.jsonl"), "utf8");
  const r = await signoff(dir, [
    "approve",
    "--verdict",
    "forged.jsonl",
    "--key",
    "keys/qa.key",
    "--role",
    "qa",
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: forged\.jsonl: line 2: the decision is signed by 0 of the 1 gate key\(s\) trust\.yaml requires \(forged or altered\); refusing to sign off\n$/,
  );
  assert.equal(readFileSync(join(dir, "forged.jsonl"), "utf8"), before);
  await ok(
    signoff(dir, [
      "approve",
      "--verdict",
      "reports/verdict.intoto.jsonl",
      "--key",
      "keys/qa.key",
      "--role",
      "qa",
      "--trust",
      "trust.yaml",
    ]),
  );
});

test("untrusted strings are printed with control characters escaped (scenario names at the gate, keyid hints at verify, errors)", async () => {
  const dir = await project();
  const evil = "Counter\u001b[2J\u001b]0;owned\u0007\nsignoff gate: PASSED";
  writeResultsDir(join(dir, "evil"), {
    scenarios: () => [
      { name: evil, uri: "features/visitor-counter.feature", tags: ["@REQ-COUNTER-1"], attempts: ["FAILED"] },
    ],
  });
  const gate = await signoff(dir, [
    "gate",
    "--artifact",
    ARTIFACT,
    "--key",
    "keys/gate.key",
    "--results",
    "evil",
    "--out",
    "evil/verdict.intoto.jsonl",
  ]);
  assert.equal(gate.code, 1, gate.stdout + gate.stderr);
  assert.doesNotMatch(gate.stdout, /[\u0000-\u0009\u000b-\u001f]/, "no raw control character");
  assert.match(gate.stdout, /Counter\\x1b\[2J\\x1b\]0;owned\\x07\\nsignoff gate: PASSED/);
  assert.equal(gate.stdout.split("\n").filter((l) => l.startsWith("signoff gate:")).length, 1, "no forged line");

  const [evidence, decision] = lines(join(dir, "reports", "verdict.intoto.jsonl"));
  const env = JSON.parse(decision);
  env.signatures[0].keyid = "\u001b[31mtrusted\u001b[0m\r";
  env.signatures[0].sig = Buffer.from("not a signature").toString("base64");
  writeFileSync(join(dir, "hint.jsonl"), `${evidence}\n${JSON.stringify(env)}\n`);
  const r = await verify(dir, "hint.jsonl");
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f]/);
  assert.match(
    r.stderr,
    /\[signature\] line 2 \(decision\): not signed by any key the trust file pins for role "gate" \(signature keyid hint \\x1b\[31mtrusted… is not pinned/,
  );

  const bad = await signoff(dir, [
    "verify",
    "--verdict",
    "nope\u001b[2J.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "signoff: nope\\x1b[2J.jsonl: cannot read the verdict (ENOENT)\n");
});

test("a statement must name the promoted artifact, by name and digest, as its only subject", async () => {
  const dir = await project({ signoffs: true });
  const all = lines(join(dir, "reports", "verdict.intoto.jsonl"));
  assert.equal((await verify(dir)).code, 0);
  const st = statementOf(all[1]);
  st.subject.push({ name: "registry.example/payments", digest: { sha256: "c".repeat(64) } });
  writeFileSync(join(dir, "two.jsonl"), [all[0], sign(st, keyOf(dir, "gate")), ...all.slice(2)].join("\n") + "\n");
  const two = await verify(dir, "two.jsonl");
  assert.equal(two.code, 1);
  assert.match(
    two.stderr,
    /\[subject\] line 2 \(decision\): 2 subjects \(registry\.example\/visitor-counter@sha256:a{64}, registry\.example\/payments@sha256:c{64}\); a statement must name only the artifact being promoted/,
  );
  const other = await verify(dir, "reports/verdict.intoto.jsonl", `registry.example/payments@sha256:${DIGEST}`);
  assert.equal(other.code, 1);
  assert.match(
    other.stderr,
    /\[subject\] line 2 \(decision\): subject name "registry\.example\/visitor-counter" is not the artifact being promoted \(registry\.example\/payments@sha256:a{64}\)/,
  );
});

test("a sign-off must name the key that signed it and be dated after the decision and not in the future", async () => {
  const dir = await project({ signoffs: true });
  const all = lines(join(dir, "reports", "verdict.intoto.jsonl"));
  const [evidence, decision, qaLine, rmLine] = all;
  const qa = keyOf(dir, "qa");
  const variants: Array<[string, (p: Record<string, any>) => void, RegExp]> = [
    [
      "signer",
      (p) => (p.signer.keyid = keyOf(dir, "rm").keyid),
      /\[signoff\] line 3 \(sign-off\): signer\.keyid [0-9a-f]{12}… is not the key that signed it/,
    ],
    [
      "future",
      (p) => (p.timeSigned = new Date(Date.now() + 3600_000).toISOString()),
      /\[signoff\] line 3 \(sign-off\): timeSigned \S+ is in the future \(more than 5m ahead/,
    ],
    [
      "early",
      (p) => (p.timeSigned = "2020-01-01T00:00:00.000Z"),
      /\[signoff\] line 3 \(sign-off\): timeSigned 2020-01-01T00:00:00\.000Z is before the decision it approves/,
    ],
  ];
  for (const [name, mutate, want] of variants) {
    const st = statementOf(qaLine);
    mutate(st.predicate);
    writeFileSync(join(dir, `${name}.jsonl`), [evidence, decision, sign(st, qa), rmLine].join("\n") + "\n");
    const r = await verify(dir, `${name}.jsonl`);
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, want, name);
    assert.match(r.stderr, /\[threshold\] role qa: 0 of 1/, name);
  }
});

test("a 30 MB verdict line of one object with 2.4 million keys: verify exits 1 with one line naming the line and the cap", async () => {
  const dir = await project();
  const body = Array.from({ length: 2_400_000 }, (_, k) => `"k${k}":0`).join(",");
  writeFileSync(join(dir, "keys.jsonl"), `{${body}}\n`);
  const r = await verify(dir, "keys.jsonl");
  assert.equal(r.code, 1, r.stderr);
  const failed = r.stderr.split("\n").filter((l) => l.includes("✗"));
  assert.deepEqual(failed, [
    `  ✗ [json] line 1: an object with more than 100000 keys at offset ${body.indexOf('"k100000"') + 1}`,
  ]);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});
