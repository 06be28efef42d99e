// A real run signs its manifest (SIGNOFF_RUN_KEY); the gate, given the trust file, FAILs when the attestation
// is missing, unpinned or not over run.json's bytes, and its evidence names the attestation and what judged the build.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { attestRun, RUN_ATTESTATION_FILE } from "../../src/attest/run-attestation";
import { loadSigningKey } from "../../src/attest/keys";
import { parseFeature, tagNamesOf } from "../../src/core/gherkin";
import { ROOT, runSignoff, tempDir, unsetEnv, type CliResult } from "../helpers/cli";
import { uncoveredRequirements } from "../helpers/uncovered";

const POLICY = `version: 1
requiredTargets: [pw-desktop]
requirements: [REQ-COUNTER-1, REQ-COUNTER-2]
maxAge: 24h
requireRunAttestation: true
`;

describe("run attestation through the real CLI on a real run", () => {
  const dir = tempDir("signoff-attest-");
  const reports = join(dir, "reports");
  let artifact = "";
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...unsetEnv("SIGNOFF_KEY", "SIGNOFF_RUN_KEY"), ...extra });
  /** The environment of a run or merge that signs its run.json with keys/NAME.key. */
  const runKey = (name = "runner") => ({ SIGNOFF_RUN_KEY: readFileSync(join(dir, "keys", `${name}.key`), "utf8") });
  const signoff = (args: string[], extra: NodeJS.ProcessEnv = {}, cwd = dir): Promise<CliResult> =>
    runSignoff(args, { cwd, env: env(extra), timeoutMs: 300_000 });
  const gate = (results: string[], extra: string[] = ["--trust", "trust.yaml"]) =>
    signoff([
      "gate",
      "--artifact",
      artifact,
      "--key",
      "keys/gate.key",
      "--policy",
      "gate.policy.yaml",
      "--features",
      join(ROOT, "features", "visitor-counter.feature"), // the feature file the run ran
      "--out",
      join(dir, `v-${Math.random().toString(36).slice(2)}.jsonl`),
      ...results.flatMap((r) => ["--results", r]),
      ...extra,
    ]);

  before(async () => {
    mkdirSync(join(dir, "keys"));
    writeFileSync(join(dir, "gate.policy.yaml"), POLICY);
    for (const name of ["gate", "runner", "other"])
      assert.equal((await signoff(["keygen", "--out", `keys/${name}`])).code, 0);
    for (const args of [
      ["--role", "gate", "--key", "keys/gate.pub"],
      ["--role", "runner", "--key", "keys/runner.pub"],
    ])
      assert.equal((await signoff(["trust", "add", ...args])).code, 0);
    const run = await signoff(
      // A phone too: the feature's @mobile-only scenario must run somewhere for the gate to judge every scenario.
      ["run", "features/visitor-counter.feature", "--targets", "pw-desktop,pw-pixel7", "--reports", reports],
      runKey(),
      ROOT,
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Signed the run manifest: .*run\.json\.dsse \(runner key [0-9a-f]{12}…\)/);
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    artifact = `visitor-counter@${manifest.build.digest}`;
  });

  test("the run records what judged it: the step definition files Cucumber loaded, the lock file and Signoff's version", () => {
    const j = JSON.parse(readFileSync(join(reports, "run.json"), "utf8")).judgedBy;
    const paths = j.stepDefinitions.files.map((f: { path: string }) => f.path);
    assert.ok(
      paths.some((p: string) => /steps\/.*\.ts$/.test(p)),
      `step files: ${paths.join(", ")}`,
    );
    for (const f of j.stepDefinitions.files) assert.match(f.sha256, /^[0-9a-f]{64}$/);
    assert.match(j.stepDefinitions.digest, /^[0-9a-f]{64}$/);
    assert.equal(j.lockFile.path, "package-lock.json", "relative to the directory the run ran in");
    assert.equal(j.signoff.version, JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  test("a signed run passes a gate that requires it; the evidence references the attestation and what judged the build", async () => {
    const r = await gate([reports]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Printed relative to the gate's working directory (dir) when inside it.
    const out = resolve(dir, r.stdout.match(/verdict: (\S+)/)![1]);
    const evidence = JSON.parse(
      Buffer.from(JSON.parse(readFileSync(out, "utf8").split("\n")[0]).payload, "base64").toString("utf8"),
    );
    const names = evidence.predicate.configuration.map((c: { name: string }) => c.name);
    for (const n of ["run-manifest", "run-attestation", "step-definitions", "lock-file", "signoff"])
      assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
    const att = evidence.predicate.configuration.find((c: { name: string }) => c.name === "run-attestation");
    assert.equal(
      att.digest.sha256,
      createHash("sha256")
        .update(readFileSync(join(reports, RUN_ATTESTATION_FILE)))
        .digest("hex"),
    );
  });

  test("the policy requires an attestation but the gate has no trust file: exit 2", async () => {
    const r = await gate([reports], []);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^signoff: gate\.policy\.yaml: requireRunAttestation: pass --trust FILE pinning the runner's key/,
    );
  });

  test("run.json changed after the run signed it: FAILED run-attestation-invalid", async () => {
    const copy = join(dir, "edited");
    cpSync(reports, copy, { recursive: true });
    const m = JSON.parse(readFileSync(join(copy, "run.json"), "utf8"));
    m.targets[0].counts.failed = 0;
    writeFileSync(join(copy, "run.json"), JSON.stringify(m, null, 1) + "\n");
    const r = await gate([copy]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /run-attestation-invalid: .*edited\/run\.json\.dsse: signs other bytes than .*edited\/run\.json/,
    );
  });

  test("no attestation (one of two results dirs unsigned): FAILED run-attestation-missing naming that dir", async () => {
    const copy = join(dir, "unsigned");
    cpSync(reports, copy, { recursive: true });
    rmSync(join(copy, RUN_ATTESTATION_FILE));
    const r = await gate([reports, copy]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const missing = r.stdout.split("\n").filter((l) => l.includes("run-attestation-"));
    assert.equal(missing.length, 1, missing.join("\n"));
    assert.match(
      missing[0],
      /run-attestation-missing: .*unsigned\/run\.json\.dsse: no run attestation .*the policy requires one/,
    );
    // A policy that does not require attestations: the dir alone passes a gate that pins no runner key, and fails
    // one whose trust file pins a runner key (the attestation may have been deleted to edit the results).
    writeFileSync(join(dir, "lenient.policy.yaml"), POLICY.replace("requireRunAttestation: true", ""));
    const lenient = (extra: string[]) =>
      signoff([
        ...["gate", "--artifact", artifact, "--key", "keys/gate.key", "--policy", "lenient.policy.yaml"],
        ...["--features", join(ROOT, "features", "visitor-counter.feature"), "--results", copy],
        ...["--out", join(dir, `v-${Math.random().toString(36).slice(2)}.jsonl`), ...extra],
      ]);
    const noTrust = await lenient([]);
    assert.equal(noTrust.code, 0, noTrust.stdout + noTrust.stderr);
    const pinned = await lenient(["--trust", "trust.yaml"]);
    assert.equal(pinned.code, 1, pinned.stdout + pinned.stderr);
    assert.match(
      pinned.stdout,
      /run-attestation-missing: .*unsigned\/run\.json\.dsse: no run attestation .*the trust file pins runner keys, so every results dir must be signed by one/,
    );
  });

  test("signed by a key the trust file does not pin for runner (merge re-signed with another key): FAILED; re-signed by the runner key: PASSED", async () => {
    const other = join(dir, "merged-other");
    // Without --trust a run key does not sign: it would vouch for shards nobody checked.
    const unchecked = await signoff(["merge", reports, "--into", join(dir, "merged-unchecked")], runKey());
    assert.equal(unchecked.code, 2, unchecked.stdout + unchecked.stderr);
    assert.match(unchecked.stderr, /SIGNOFF_RUN_KEY is set, so give --trust FILE/);
    const merge = await signoff(["merge", reports, "--into", other, "--trust", "trust.yaml"], runKey("other"));
    assert.equal(merge.code, 0, merge.stdout + merge.stderr);
    assert.ok(existsSync(join(other, RUN_ATTESTATION_FILE)));
    const r = await gate([other]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /run-attestation-invalid: .*merged-other\/run\.json\.dsse: not signed by a runner key pinned in trust\.yaml/,
    );

    const good = join(dir, "merged-runner");
    assert.equal((await signoff(["merge", reports, "--into", good, "--trust", "trust.yaml"], runKey())).code, 0);
    const ok = await gate([good]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });

  test("a gate given a trust file pinning another runner key PASSES; approve --trust refuses to sign what verify will refuse", async () => {
    const other = join(dir, "merged-by-other");
    const merge = await signoff(["merge", reports, "--into", other, "--trust", "trust.yaml"], runKey("other"));
    assert.equal(merge.code, 0, merge.stdout + merge.stderr);
    // The gate job was handed a trust file that pins the other key as the runner's (a developer's own, say).
    for (const args of [
      ["--role", "gate", "--key", "keys/gate.pub"],
      ["--role", "runner", "--key", "keys/other.pub"],
    ])
      assert.equal((await signoff(["trust", "add", "--trust", "dev-trust.yaml", ...args])).code, 0);
    const verdict = join(dir, "by-other.intoto.jsonl");
    const gated = await gate([other], ["--trust", "dev-trust.yaml", "--out", verdict]);
    assert.equal(gated.code, 0, gated.stdout + gated.stderr);
    // The release's trust file, with a QA key: its holder is asked to sign off.
    cpSync(join(dir, "trust.yaml"), join(dir, "qa-trust.yaml"));
    assert.equal((await signoff(["keygen", "--out", "keys/qa"])).code, 0);
    const qa = ["--role", "qa", "--key", "keys/qa.pub", "--trust", "qa-trust.yaml"];
    assert.equal((await signoff(["trust", "add", ...qa])).code, 0);
    const approve = (trust: string) =>
      signoff(["approve", "--verdict", verdict, "--role", "qa", "--key", "keys/qa.key", "--trust", trust]);
    const refused = await approve("qa-trust.yaml");
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      /line 1 \(evidence\): the run ".*merged-by-other\/run\.json" was judged without a run attestation signed by a runner key this trust file pins \(none of its signers is pinned here\): the gate was given another trust file, or none; refusing to sign off: verify would refuse it/,
    );
    assert.equal(readFileSync(verdict, "utf8").trim().split("\n").length, 2, "nothing was signed");
  });

  test("merge --trust does not launder: an edited shard makes the merged run incomplete, so the gate FAILs although the merge re-signed it", async () => {
    const shard = join(dir, "shard-edited");
    cpSync(reports, shard, { recursive: true });
    const m = JSON.parse(readFileSync(join(shard, "run.json"), "utf8"));
    m.gitCommit = "0".repeat(40);
    writeFileSync(join(shard, "run.json"), JSON.stringify(m, null, 2) + "\n");
    const merged = join(dir, "merged-checked");
    const merge = await signoff(["merge", shard, "--into", merged, "--trust", "trust.yaml"], runKey());
    assert.equal(merge.code, 1, merge.stdout + merge.stderr);
    assert.match(merge.stdout, /run attestation invalid: .*shard-edited\/run\.json\.dsse: signs other bytes/);
    const r = await gate([merged]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /run-error: .*run attestation invalid: .*shard-edited/);

    const clean = await signoff(
      ["merge", reports, "--into", join(dir, "merged-clean"), "--trust", "trust.yaml"],
      runKey(),
    );
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  });

  test("the run records each feature file's tags by its digest; a gate that trusts the run takes them from there, and parses a file edited since", async () => {
    const feature = readFileSync(join(ROOT, "features", "visitor-counter.feature"));
    const sha = createHash("sha256").update(feature).digest("hex");
    const tags = [...new Set(tagNamesOf(parseFeature(feature.toString("utf8"), "visitor-counter.feature")))];
    assert.deepEqual(JSON.parse(readFileSync(join(reports, "run.json"), "utf8")).featureTags, { [sha]: tags });

    writeFileSync(
      join(dir, "all.policy.yaml"),
      "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n",
    );
    const features = (name: string, extra = "") => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "visitor-counter.feature"), feature.toString("utf8") + extra);
      return join(dir, name);
    };
    const asRun = features("features-as-run");
    const edited = features(
      "features-edited",
      "\n  @REQ-EDITED\n  Scenario: Added since the run\n    When I open the home page\n",
    );
    /** The requirements the gate finds no scenario for: those of the feature files as it reads them. */
    const uncovered = async (results: string, featureDir: string, trusted: boolean) => {
      const r = await signoff([
        "gate",
        ...["--artifact", artifact, "--key", "keys/gate.key", "--policy", "all.policy.yaml"],
        ...[
          "--features",
          featureDir,
          "--results",
          results,
          "--out",
          join(dir, `v-${Math.random().toString(36).slice(2)}.jsonl`),
        ],
        ...(trusted ? ["--trust", "trust.yaml"] : []),
      ]);
      assert.ok(r.code === 0 || r.code === 1, r.stdout + r.stderr);
      return uncoveredRequirements(r.stdout);
    };
    const base = await uncovered(reports, asRun, true);

    // The record says more than the file: signed by the runner, the gate believes it (the run's own parse).
    const lying = join(dir, "recorded-more");
    cpSync(reports, lying, { recursive: true });
    const m = JSON.parse(readFileSync(join(lying, "run.json"), "utf8"));
    m.featureTags[sha] = [...m.featureTags[sha], "@REQ-RECORDED-ONLY"];
    writeFileSync(join(lying, "run.json"), JSON.stringify(m, null, 2) + "\n");
    attestRun(lying, loadSigningKey(join(dir, "keys", "runner.key")));
    assert.deepEqual(await uncovered(lying, asRun, true), [...base, "REQ-RECORDED-ONLY"].sort());
    // Not trusted (no --trust): the record counts for nothing, the file is parsed.
    assert.deepEqual(await uncovered(lying, asRun, false), base);
    // A file edited since the run has another digest: parsed, the record not used for it.
    assert.deepEqual(await uncovered(lying, edited, true), [...base, "REQ-EDITED"].sort());
  });

  test("a release is judged on every scenario: a feature file changed since the run, or a run of selected scenarios, FAILs", async () => {
    const feature = readFileSync(join(ROOT, "features", "visitor-counter.feature"), "utf8");
    const featuresAs = (name: string, text: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "visitor-counter.feature"), text);
      return join(dir, name);
    };
    const gateWith = (results: string, features: string) =>
      signoff([
        ...["gate", "--artifact", artifact, "--key", "keys/gate.key", "--policy", "gate.policy.yaml"],
        ...["--features", features, "--results", results, "--trust", "trust.yaml"],
        ...["--out", join(dir, `v-${Math.random().toString(36).slice(2)}.jsonl`)],
      ]);
    // The run's own file passes; an expectation edited since the run, or a scenario appended, does not.
    assert.equal((await gateWith(reports, featuresAs("as-run", feature))).code, 0);
    for (const [name, text] of [
      ["expectation-edited", feature.replace("should be at least 1", "should be at least 99")],
      ["appended", `${feature}\n  @REQ-COUNTER-1\n  Scenario: Never run\n    When I open the home page\n`],
    ]) {
      assert.notEqual(text, feature);
      const r = await gateWith(reports, featuresAs(name, text));
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `features-not-run: \\S*${name}/visitor-counter\\.feature \\(the run's features/visitor-counter\\.feature\\): changed since the run`,
        ),
      );
      assert.equal(r.stdout.match(/features-not-run: /g)?.length, 1, `the file is named once: ${r.stdout}`);
    }
    /** A signed run of one scenario (`args` select it), as the gate judges it: recorded, and refused. */
    const gateOneScenarioRun = async (args: string[], name: string): Promise<string> => {
      const out = join(dir, name);
      const run = await signoff([...args, "--reports", out], runKey(), ROOT);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(JSON.parse(readFileSync(join(out, "run.json"), "utf8")).lines, [
        "features/visitor-counter.feature:8",
      ]);
      const r = await gateWith(out, featuresAs(`for-${name}`, feature));
      assert.equal(r.code, 1, r.stdout + r.stderr);
      // What the messages show, whatever run.json says: the scenarios Cucumber parsed and did not run.
      assert.match(
        r.stdout,
        /run-selected: 1 scenario\(s\) were not run: features\/visitor-counter\.feature:14 Refreshing the page increments the visitor count — not on pw-desktop;/,
      );
      return r.stdout;
    };
    // Selected on the command line (file:LINE).
    assert.match(
      await gateOneScenarioRun(
        ["run", "features/visitor-counter.feature:8", "--targets", "pw-desktop"],
        "one-scenario",
      ),
      /run-selected: \S*one-scenario\/run\.json: the run selected scenarios \(features\/visitor-counter\.feature:8\)/,
    );
    // The same selection made in the config (which run.json recorded nowhere before).
    writeFileSync(
      join(dir, "selecting.config.yaml"),
      `defaultTargets: [pw-desktop]\nfeatures:\n  - ${join(ROOT, "features", "visitor-counter.feature")}:8\n`,
    );
    await gateOneScenarioRun(["run", "--config", join(dir, "selecting.config.yaml")], "config-selected");
  });

  test("a gate key pinned for another role is refused (exit 2)", async () => {
    const r = await signoff([
      "gate",
      "--artifact",
      artifact,
      "--key",
      "keys/runner.key",
      "--policy",
      "gate.policy.yaml",
      "--results",
      reports,
      "--trust",
      "trust.yaml",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the gate's key \(keyid [0-9a-f]{64}\) is pinned for role runner/);
  });
});
