// Keys, policy and trust files: generation, safe loading, schema errors naming file + field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { UsageError } from "../../src/core/errors";
import {
  keyIdOf,
  loadPublicKeyFile,
  loadRunKey,
  loadSigningKey,
  parsePublicKeyPem,
  writeKeyPair,
} from "../../src/attest/keys";
import { loadPolicy, parsePolicy } from "../../src/gate/policy";
import { addToTrust, loadTrust, parseTrust } from "../../src/attest/trust";
import { makeKey, tmp } from "./gate-helpers";

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

// ── keys ──

test("keygen writes PREFIX.key (0600) and PREFIX.pub; keyid = sha256 of the SPKI DER", () => {
  const prefix = join(tmp(), "gate");
  const { keyFile, pubFile, keyid } = writeKeyPair(prefix, "ecdsa-p256");
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.match(readFileSync(keyFile, "utf8"), /^-----BEGIN PRIVATE KEY-----/);
  const pub = readFileSync(pubFile, "utf8");
  assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
  const der = createPublicKey(pub).export({ type: "spki", format: "der" });
  assert.equal(keyid, createHash("sha256").update(der).digest("hex"));
  const loaded = loadSigningKey(keyFile, {});
  assert.equal(loaded.keyid, keyid);
  assert.equal(loaded.type, "ecdsa-p256");
  assert.equal(loadPublicKeyFile(pubFile).keyid, keyid);
});

test("keygen --type ed25519", () => {
  const prefix = join(tmp(), "qa");
  writeKeyPair(prefix, "ed25519");
  assert.equal(loadSigningKey(`${prefix}.key`, {}).type, "ed25519");
});

test("keygen makes a missing keys folder (private); a path it cannot create is one usage error", () => {
  const dir = join(tmp(), "keys", "team");
  writeKeyPair(join(dir, "gate"), "ecdsa-p256");
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const file = join(tmp(), "a-file");
  writeFileSync(file, "");
  assert.throws(
    () => writeKeyPair(join(file, "gate"), "ecdsa-p256"),
    usage(/a-file\/gate\.key: cannot create the key file: (ENOTDIR|EEXIST)/),
  );
});

test("keygen refuses to overwrite an existing key", () => {
  const prefix = join(tmp(), "gate");
  writeKeyPair(prefix, "ecdsa-p256");
  assert.throws(() => writeKeyPair(prefix, "ecdsa-p256"), usage(/gate\.key: already exists; refusing to overwrite/));
});

test("a private key file readable by group or others is refused, as ssh does", () => {
  const prefix = join(tmp(), "gate");
  const { keyFile } = writeKeyPair(prefix, "ecdsa-p256");
  chmodSync(keyFile, 0o644);
  assert.throws(() => loadSigningKey(keyFile, {}), usage(/gate\.key: permissions 0644 are too open.*chmod 600/));
  chmodSync(keyFile, 0o640);
  assert.throws(() => loadSigningKey(keyFile, {}), usage(/permissions 0640 are too open/));
});

test("a public key passed as the private key is named as such first, whatever its mode (keygen writes .pub 0644)", () => {
  const prefix = join(tmp(), "qa");
  const { pubFile } = writeKeyPair(prefix, "ecdsa-p256");
  const publicKey = usage(
    /^\S*qa\.pub: this is a public key; pass the private key \(PREFIX\.key from signoff keygen, not PREFIX\.pub\)$/,
  );
  assert.equal(statSync(pubFile).mode & 0o777, 0o644);
  assert.throws(() => loadSigningKey(pubFile, {}), publicKey);
  chmodSync(pubFile, 0o600);
  assert.throws(() => loadSigningKey(pubFile, {}), publicKey);
  assert.throws(
    () => loadSigningKey(undefined, { SIGNOFF_KEY: readFileSync(pubFile, "utf8") }),
    usage(/^\$SIGNOFF_KEY: this is a public key; pass the private key/),
  );
});

test("the private key can come from $SIGNOFF_KEY as PEM or as base64 of the PEM", () => {
  const pem = makeKey().privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const a = loadSigningKey(undefined, { SIGNOFF_KEY: pem });
  const b = loadSigningKey(undefined, { SIGNOFF_KEY: Buffer.from(pem).toString("base64") });
  assert.equal(a.keyid, b.keyid);
  assert.equal(a.source, "$SIGNOFF_KEY");
});

test("--key wins over $SIGNOFF_KEY; neither is a clear usage error", () => {
  const prefix = join(tmp(), "gate");
  const { keyFile, keyid } = writeKeyPair(prefix, "ecdsa-p256");
  const other = makeKey().privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  assert.equal(loadSigningKey(keyFile, { SIGNOFF_KEY: other }).keyid, keyid);
  assert.throws(() => loadSigningKey(undefined, {}), usage(/no signing key: pass --key FILE or set SIGNOFF_KEY/));
});

test("a key variable set but empty (a CI secret that is not defined) is an error, for the gate's and the runner's key", () => {
  const pem = makeKey().privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  assert.equal(loadRunKey({}), undefined, "unset: the run is not signed");
  assert.equal(loadRunKey({ SIGNOFF_RUN_KEY: pem })?.source, "$SIGNOFF_RUN_KEY");
  for (const empty of ["", " \n"]) {
    assert.throws(
      () => loadRunKey({ SIGNOFF_RUN_KEY: empty }),
      usage(
        /^no signing key: SIGNOFF_RUN_KEY is set but empty \(a CI secret that is not defined\?\): set it to the private key \(PEM, or base64 of the PEM\), or unset it to run without a run attestation$/,
      ),
    );
    assert.throws(
      () => loadSigningKey(undefined, { SIGNOFF_KEY: empty }),
      usage(
        /^no signing key: SIGNOFF_KEY is set but empty \(a CI secret that is not defined\?\): .*, or pass --key FILE$/,
      ),
    );
  }
  const { keyFile } = writeKeyPair(join(tmp(), "gate"), "ecdsa-p256");
  assert.equal(loadSigningKey(keyFile, { SIGNOFF_KEY: "" }).source, keyFile, "--key wins over an empty SIGNOFF_KEY");
});

test("an encrypted key needs $SIGNOFF_KEY_PASSWORD", () => {
  const prefix = join(tmp(), "gate");
  writeKeyPair(prefix, "ecdsa-p256", "s3cret");
  assert.match(readFileSync(`${prefix}.key`, "utf8"), /ENCRYPTED PRIVATE KEY/);
  assert.throws(
    () => loadSigningKey(`${prefix}.key`, {}),
    usage(/the private key is encrypted: set SIGNOFF_KEY_PASSWORD/),
  );
  assert.equal(loadSigningKey(`${prefix}.key`, { SIGNOFF_KEY_PASSWORD: "s3cret" }).type, "ecdsa-p256");
});

test("malformed PEM and unsupported key types are clear errors", () => {
  const dir = tmp();
  const f = join(dir, "bad.key");
  writeFileSync(f, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n", { mode: 0o600 });
  assert.throws(() => loadSigningKey(f, {}), usage(/bad\.key: malformed PEM private key/));
  writeFileSync(join(dir, "x.key"), "hello", { mode: 0o600 });
  assert.throws(() => loadSigningKey(join(dir, "x.key"), {}), usage(/x\.key: not a PEM private key/));
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  assert.throws(() => loadSigningKey(undefined, { SIGNOFF_KEY: rsa }), usage(/unsupported key type rsa/));
  const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({
    type: "spki",
    format: "pem",
  }) as string;
  assert.throws(() => parsePublicKeyPem(p384, "k.pub"), usage(/k\.pub: unsupported EC curve secp384r1/));
  assert.throws(
    () => parsePublicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "k.pub"),
    usage(/k\.pub: malformed PEM public key/),
  );
  assert.throws(
    () => loadSigningKey(join(dir, "missing.key"), {}),
    usage(/missing\.key: cannot read the private key \(ENOENT\)/),
  );
});

test("pinning a private key as a public key is refused", () => {
  const prefix = join(tmp(), "gate");
  const { keyFile } = writeKeyPair(prefix, "ecdsa-p256");
  assert.throws(() => loadPublicKeyFile(keyFile), usage(/this is a private key; pin the public key/));
});

// ── policy ──

test("the example gate.policy.yaml at the repo root is valid and requires the four targets and two sign-offs", () => {
  const p = loadPolicy(join(__dirname, "..", "..", "gate.policy.yaml"));
  assert.deepEqual(p.requiredTargets, ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"]);
  assert.equal(p.requirements, "all");
  assert.deepEqual(p.signoffs, { qa: 1, "release-manager": 1 });
  assert.equal(p.regressions.allowRemovals, false);
  assert.equal(p.maxAgeSeconds, 86400);
  assert.equal(
    p.digest,
    createHash("sha256")
      .update(readFileSync(join(__dirname, "..", "..", "gate.policy.yaml")))
      .digest("hex"),
  );
});

const BASE = "version: 1\nrequiredTargets: [a]\nrequirements: all\nmaxAge: 24h\n";
for (const [name, yaml, message] of [
  [
    "a non-string target",
    "version: 1\nrequiredTargets: [a, 3]\nrequirements: all\nmaxAge: 24h\n",
    "gate.policy.yaml:2:22: requiredTargets[1]: must be string",
  ],
  [
    "no targets",
    "version: 1\nrequiredTargets: []\nrequirements: all\nmaxAge: 24h\n",
    "gate.policy.yaml:2:1: requiredTargets: must list at least one item",
  ],
  [
    "a bad requirements value",
    BASE.replace("requirements: all", "requirements: most"),
    'gate.policy.yaml:3:1: requirements: must be "all" or a list of requirement ids',
  ],
  [
    "a bad maxAge",
    BASE.replace("24h", "one day"),
    "gate.policy.yaml:4:1: maxAge: must be a duration such as 24h, 90m, 7d",
  ],
  ["a zero maxAge", BASE.replace("24h", "0h"), "gate.policy.yaml: maxAge: must be a positive duration such as 24h"],
  ["an unknown field", BASE + "flakey: warn\n", 'gate.policy.yaml:5:1: flakey: unknown field (did you mean "flaky"?)'],
  [
    "an unknown nested field",
    BASE + "regressions: {allowRemoval: true}\n",
    'gate.policy.yaml:5:15: regressions.allowRemoval: unknown field (did you mean "allowRemovals"?)',
  ],
  [
    "a missing field",
    "version: 1\nrequiredTargets: [a]\nrequirements: all\n",
    "gate.policy.yaml:1:1: maxAge: required field is missing",
  ],
  [
    "a bad flaky rule",
    BASE + "flaky: sometimes\n",
    'gate.policy.yaml:5:1: flaky: must be one of "allow", "warn", "fail"',
  ],
  [
    "the gate as a sign-off role",
    BASE + "signoffs: {gate: 1}\n",
    "gate.policy.yaml:5:12: signoffs.gate: must be a role name",
  ],
  [
    "the runner as a sign-off role",
    BASE + "signoffs: {runner: 1}\n",
    'gate.policy.yaml:5:12: signoffs.runner: must be a role name (lowercase letters, digits, dashes); "gate" and "runner" sign decisions and runs',
  ],
  [
    "a non-boolean requireRunAttestation",
    BASE + "requireRunAttestation: yes please\n",
    "gate.policy.yaml:5:1: requireRunAttestation: must be boolean",
  ],
  ["zero signers", BASE + "signoffs: {qa: 0}\n", "gate.policy.yaml:5:12: signoffs.qa: must be >= 1"],
  [
    "a property tag without @",
    BASE + "properties: {tag: property}\n",
    "gate.policy.yaml:5:14: properties.tag: must be a tag such as @property",
  ],
  ["duplicate YAML keys", BASE + "maxAge: 1h\n", "gate.policy.yaml:5:1: Map keys must be unique"],
  ["a wrong version", BASE.replace("version: 1", "version: 2"), "gate.policy.yaml:1:1: version: must be 1"],
] as const) {
  test(`policy error names the file and field: ${name}`, () => {
    assert.throws(
      () => parsePolicy(yaml, "gate.policy.yaml"),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(message) && !e.message.includes("\n"),
    );
  });
}

test("policy defaults are the fail-closed ones", () => {
  const p = parsePolicy(BASE, "p.yaml");
  assert.equal(p.flaky, "warn");
  assert.equal(p.requirementCoverage, "every-target");
  assert.equal(p.requireObservedBuild, true);
  assert.equal(p.regressions.allowRemovals, false);
});

// ── trust ──

test("trust add creates trust.yaml, pins keys per role, allows policies, sets max age", () => {
  const dir = tmp();
  const file = join(dir, "trust.yaml");
  const gate = makeKey();
  const qa = makeKey("ed25519");
  writeFileSync(join(dir, "gate.policy.yaml"), BASE);
  addToTrust(file, { role: "gate", publicKeyPem: gate.publicPem });
  addToTrust(file, { role: "qa", publicKeyPem: qa.publicPem, keyName: "Quinn (QA)" });
  addToTrust(file, { allowPolicy: { digest: "d".repeat(64), name: "gate.policy.yaml" }, maxAge: "12h" });
  addToTrust(file, { allowPolicy: { digest: "d".repeat(64), name: "gate.policy.yaml" } }); // idempotent
  const text = readFileSync(file, "utf8");
  assert.match(text, /^# Signoff trust file/);
  const t = loadTrust(file, { requireGate: true });
  assert.equal(t.maxAgeSeconds, 12 * 3600);
  assert.deepEqual([...t.allowedPolicies.keys()], ["d".repeat(64)]);
  assert.equal(t.roles.gate.keys[0].keyid, gate.keyid);
  assert.equal(t.roles.qa.keys[0].keyid, qa.keyid);
  assert.equal(t.roles.qa.threshold, 1);
  addToTrust(file, { role: "qa", threshold: 0 });
  assert.equal(loadTrust(file).roles.qa.threshold, 0);
});

test("trust add --allow-policy: a new version of a policy file replaces its earlier ones (no downgrade), others stay", () => {
  const file = join(tmp(), "trust.yaml");
  const allow = (digest: string, name?: string) => addToTrust(file, { allowPolicy: { digest, name } });
  assert.deepEqual(allow("a".repeat(64), "gate.policy.yaml").replaced, []);
  allow("b".repeat(64), "apps/shop/gate.policy.yaml"); // another product's policy: beside it
  allow("c".repeat(64)); // no name (by hand): kept whatever comes
  const edited = allow("d".repeat(64), "./gate.policy.yaml");
  assert.deepEqual(edited.replaced, [`sha256:${"a".repeat(64)}`], "the same file, spelt another way");
  assert.deepEqual(
    [...loadTrust(file).allowedPolicies.keys()],
    ["b", "c", "d"].map((x) => x.repeat(64)),
  );
  assert.deepEqual(allow("d".repeat(64), "gate.policy.yaml").replaced, [], "allowing it again drops nothing");
  assert.deepEqual(
    [...loadTrust(file).allowedPolicies.keys()],
    ["b", "c", "d"].map((x) => x.repeat(64)),
  );
});

test("trust add refuses an existing file with a repeated key, naming its line, and writes nothing", () => {
  const file = join(tmp(), "trust.yaml");
  addToTrust(file, { role: "gate", publicKeyPem: makeKey().publicPem });
  const edited = `${readFileSync(file, "utf8")}maxAge: 1h\nmaxAge: 2h\n`;
  writeFileSync(file, edited);
  const line = edited.split("\n").length - 1; // the second maxAge, the last line
  assert.throws(
    () => addToTrust(file, { maxAge: "3h" }),
    (e: unknown) => e instanceof UsageError && e.message === `${file}:${line}:1: Map keys must be unique`,
  );
  assert.equal(readFileSync(file, "utf8"), edited);
});

test("trust: one key may serve one role only (the gate can never approve itself)", () => {
  const file = join(tmp(), "trust.yaml");
  const k = makeKey();
  addToTrust(file, { role: "gate", publicKeyPem: k.publicPem });
  assert.throws(
    () => addToTrust(file, { role: "qa", publicKeyPem: k.publicPem }),
    usage(
      /--key: this key \(keyid [0-9a-f]{64}\) is already pinned for role gate in .*trust\.yaml; a key may serve one role only/,
    ),
  );
  assert.throws(
    () => addToTrust(file, { role: "gate", publicKeyPem: k.publicPem }),
    usage(/is already pinned for role gate in/),
  );
  // A hand-edited file with the same key under two roles does not load either.
  const pem = JSON.stringify(k.publicPem);
  assert.throws(
    () =>
      parseTrust(
        `{"version":1,"roles":{"gate":{"keys":[{"publicKey":${pem}}]},"qa":{"keys":[{"publicKey":${pem}}]}}}`,
        "trust.yaml",
      ),
    usage(/roles\.qa\.keys\[0\]: this key is already pinned for role gate/),
  );
});

/** The public key in another SPKI point encoding, converted by the real openssl CLI. */
function opensslConvert(pubPem: string, form: "compressed" | "hybrid" | "uncompressed"): string {
  const dir = tmp();
  writeFileSync(join(dir, "in.pub"), pubPem);
  execFileSync(
    "openssl",
    ["ec", "-pubin", "-in", join(dir, "in.pub"), "-conv_form", form, "-pubout", "-out", join(dir, "out.pub")],
    { stdio: "ignore" },
  );
  return readFileSync(join(dir, "out.pub"), "utf8");
}

test("one key is one key: an EC point in compressed, hybrid or uncompressed SPKI has one keyid, that of the uncompressed DER", () => {
  const k = makeKey("ecdsa-p256");
  const uncompressedDer = createPublicKey(k.publicPem).export({ type: "spki", format: "der" });
  assert.equal(k.keyid, createHash("sha256").update(uncompressedDer).digest("hex"), "existing keyids do not change");
  for (const form of ["compressed", "hybrid"] as const) {
    const pem = opensslConvert(k.publicPem, form);
    assert.notEqual(pem, k.publicPem, `openssl wrote another encoding (${form})`);
    assert.equal(parsePublicKeyPem(pem, form).keyid, k.keyid, form);
    assert.equal(keyIdOf(createPublicKey(pem)), k.keyid, form);
  }
});

/** An Ed25519 SPKI PEM of raw public key bytes (hex, little-endian y with x's sign in the top bit). */
const ed25519Pem = (hex: string) =>
  createPublicKey({
    key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  }).export({ type: "spki", format: "pem" }) as string;

test("an Ed25519 key of small order or in a non-canonical encoding is refused: a fixed signature verifies under it", () => {
  const smallOrder = [
    "0100000000000000000000000000000000000000000000000000000000000000", // the identity
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p: the identity's other spelling
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0100000000000000000000000000000000000000000000000000000000000080", // the identity, x's sign set
  ];
  const nonCanonical = ["efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"]; // p + 2
  // Why it matters: the identity point with the signature (R = identity, S = 0) verifies any message in node:crypto.
  const forged = Buffer.concat([Buffer.from(smallOrder[0], "hex"), Buffer.alloc(32)]);
  assert.ok(verify(null, Buffer.from("any message"), createPublicKey(ed25519Pem(smallOrder[0])), forged));
  for (const hex of [...smallOrder, ...nonCanonical])
    assert.throws(
      () => parsePublicKeyPem(ed25519Pem(hex), "weak.pub"),
      usage(/^weak\.pub: an Ed25519 public key anyone can sign for/),
      hex,
    );
  const file = join(tmp(), "trust.yaml");
  assert.throws(
    () => addToTrust(file, { role: "qa", publicKeyPem: ed25519Pem(smallOrder[0]) }),
    usage(/--key: an Ed25519/),
  );
  assert.throws(
    () =>
      parseTrust(
        JSON.stringify({ version: 1, roles: { qa: { keys: [{ publicKey: ed25519Pem(smallOrder[3]) }] } } }),
        "trust.yaml",
      ),
    usage(
      /^trust\.yaml: roles\.qa\.keys\[0\]\.publicKey: an Ed25519 public key anyone can sign for \(a point of small order\)/,
    ),
  );
  // A key keygen makes is taken, with one keyid.
  const real = makeKey("ed25519");
  assert.equal(parsePublicKeyPem(real.publicPem, "ok.pub").keyid, real.keyid);
});

test("trust add refuses a key already pinned under another role in another point encoding (compressed, hybrid)", () => {
  const dir = tmp();
  const file = join(dir, "trust.yaml");
  const qa = makeKey("ecdsa-p256");
  addToTrust(file, { role: "qa", publicKeyPem: qa.publicPem });
  const before = readFileSync(file, "utf8");
  for (const form of ["compressed", "hybrid"] as const) {
    const pem = opensslConvert(qa.publicPem, form);
    assert.throws(
      () => addToTrust(file, { role: "release-manager", publicKeyPem: pem }),
      usage(/already pinned for role qa/),
      form,
    );
    assert.throws(
      () =>
        parseTrust(
          JSON.stringify({
            version: 1,
            roles: { qa: { keys: [{ publicKey: qa.publicPem }] }, "release-manager": { keys: [{ publicKey: pem }] } },
          }),
          "trust.yaml",
        ),
      usage(/already pinned for role qa/),
      form,
    );
  }
  assert.equal(readFileSync(file, "utf8"), before, "nothing written");
});

test("trust: an unreachable threshold, a wrong keyid and a missing gate role are load errors", () => {
  const k = makeKey();
  const pem = JSON.stringify(k.publicPem);
  assert.throws(
    () => parseTrust(`{"version":1,"roles":{"qa":{"threshold":2,"keys":[{"publicKey":${pem}}]}}}`, "trust.yaml"),
    usage(/trust\.yaml: roles\.qa\.threshold: 2 can never be met with 1 pinned key/),
  );
  assert.throws(
    () =>
      parseTrust(
        `{"version":1,"roles":{"gate":{"keys":[{"keyid":"${"0".repeat(64)}","publicKey":${pem}}]}}}`,
        "trust.yaml",
      ),
    usage(
      new RegExp(
        `roles\\.gate\\.keys\\[0\\]\\.keyid: does not match the public key \\(its sha256 SPKI fingerprint is ${k.keyid}\\)`,
      ),
    ),
  );
  // A machine role pinned with threshold 0 would be required by the gate and not by verify: refused, as --threshold.
  for (const role of ["gate", "runner"])
    assert.throws(
      () => parseTrust(`{"version":1,"roles":{"${role}":{"threshold":0,"keys":[{"publicKey":${pem}}]}}}`, "trust.yaml"),
      usage(new RegExp(`^trust\\.yaml: roles\\.${role}\\.threshold: must be at least 1 \\(`)),
    );
  const file = join(tmp(), "trust.yaml");
  addToTrust(file, { role: "runner", publicKeyPem: k.publicPem });
  assert.throws(
    () => addToTrust(file, { role: "runner", threshold: 0 }),
    usage(/roles\.runner\.threshold: must be at least 1 \(a pinned runner key is required of every run\)/),
  );
  assert.equal(loadTrust(file).roles.runner.threshold, 1, "nothing written");
  assert.throws(
    () => parseTrust(`{"version":1,"roles":{}}`, "trust.yaml", { requireGate: true }),
    usage(/trust\.yaml: roles\.gate: required field is missing/),
  );
  assert.throws(
    () => parseTrust(`{"version":1,"allowedPolicies":[{"digest":"md5:abc"}]}`, "trust.yaml"),
    usage(/allowedPolicies\[0\]\.digest: must be sha256:<64 lowercase hex digits>/),
  );
  assert.throws(
    () => parseTrust(`{"version":1,"roles":{"QA":{"keys":[{"publicKey":${pem}}]}}}`, "trust.yaml"),
    usage(/roles\.QA: must be a role name/),
  );
});

test("keyIdOf is stable for the same key whatever its PEM formatting", () => {
  const k = makeKey();
  assert.equal(keyIdOf(createPublicKey(k.publicPem.replace(/\n/g, "\r\n"))), k.keyid);
});

test("an encrypted key with the wrong passphrase says so", () => {
  const prefix = join(tmp(), "gate");
  writeKeyPair(prefix, "ed25519", "right");
  assert.throws(
    () => loadSigningKey(`${prefix}.key`, { SIGNOFF_KEY_PASSWORD: "wrong" }),
    usage(/gate\.key: cannot decrypt the private key \(set SIGNOFF_KEY_PASSWORD to its passphrase; if it is right/),
  );
});

test("a wrong passphrase whose garbage decrypts with valid padding is still a wrong passphrase, not a malformed key", () => {
  const prefix = join(tmp(), "gate");
  writeKeyPair(prefix, "ed25519", "right");
  const pem = readFileSync(`${prefix}.key`, "utf8");
  // About 1 wrong passphrase in 250 gets past the padding check and fails in the decoder instead ("unsupported").
  let passphrase = "";
  for (let i = 0; i < 20_000 && !passphrase; i++)
    try {
      createPrivateKey({ key: pem, format: "pem", passphrase: `wrong${i}` });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_OSSL_UNSUPPORTED") passphrase = `wrong${i}`;
    }
  assert.ok(passphrase, "no wrong passphrase reached the decoder");
  assert.throws(
    () => loadSigningKey(`${prefix}.key`, { SIGNOFF_KEY_PASSWORD: passphrase }),
    usage(/cannot decrypt the private key/),
  );
});

test("a damaged encrypted key names the passphrase or the damage; a damaged plain key is malformed whatever the passphrase", () => {
  const dir = tmp();
  writeKeyPair(join(dir, "enc"), "ecdsa-p256", "right");
  const lines = readFileSync(join(dir, "enc.key"), "utf8").split("\n");
  lines[1] = "A".repeat(lines[1].length); // the encryption parameters' header, unreadable
  writeFileSync(join(dir, "enc.key"), lines.join("\n"), { mode: 0o600 });
  assert.throws(
    () => loadSigningKey(join(dir, "enc.key"), { SIGNOFF_KEY_PASSWORD: "right" }),
    usage(/enc\.key: cannot decrypt the private key .*the key file is damaged/),
  );
  writeKeyPair(join(dir, "plain"), "ecdsa-p256");
  const plain = readFileSync(join(dir, "plain.key"), "utf8").split("\n");
  plain[1] = "A".repeat(plain[1].length);
  writeFileSync(join(dir, "plain.key"), plain.join("\n"), { mode: 0o600 });
  assert.throws(
    () => loadSigningKey(join(dir, "plain.key"), { SIGNOFF_KEY_PASSWORD: "right" }),
    usage(/plain\.key: malformed PEM private key/),
  );
});
