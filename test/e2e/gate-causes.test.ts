// What the gate and merge print when part of the results is not there (a results file refused, a shard missing, a
// feature file the gate was not given or edited since the run): the real cause first, and what follows from it says so.
// Two shards of a run made in memory (no browser), judged and merged through the real CLI.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attestRun } from "../../src/attest/run-attestation";
import { ROOT, runSignoff, tempDir, unsetEnv, type CliResult } from "../helpers/cli";
import { DIGEST, exampleScenarios, makeKey, writeResultsDir, type FakeScenario } from "../unit/gate-helpers";

const POLICY =
  "version: 1\nrequiredTargets: [pw-desktop, se-desktop]\nrequirements: [REQ-COUNTER-1, REQ-COUNTER-2]\nmaxAge: 24h\n";
const FEATURE = "features/visitor-counter.feature";
const TARGETS = ["pw-desktop", "se-desktop"];

describe("the gate and merge name the real cause first", () => {
  const dir = tempDir("signoff-causes-");
  const env = unsetEnv("SIGNOFF_KEY", "SIGNOFF_RUN_KEY");
  const runner = makeKey();
  const signoff = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runSignoff(args, { cwd: dir, env: { ...env, ...extra }, timeoutMs: 300_000 });
  let n = 0;
  const gate = (results: string[], features = "features", policy = "gate.policy.yaml") =>
    signoff([
      "gate",
      "--artifact",
      `registry.example/visitor-counter@sha256:${DIGEST}`,
      "--key",
      "keys/gate.key",
      "--policy",
      policy,
      "--features",
      features,
      "--out",
      `v-${++n}.jsonl`,
      ...results.flatMap((r) => ["--results", r]),
    ]);
  const reasons = (stdout: string) =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith("    - "))
      .map((l) => l.slice(6));

  /**
   * Shard i of 2 of the example's three scenarios: shard 1 runs the first (REQ-COUNTER-1), shard 2 the others
   * (REQ-COUNTER-2); each parses the whole feature file, so the other shard's scenarios are parsed and not run.
   */
  const shard = (index: 1 | 2, name = `results-${index}`): string =>
    writeResultsDir(join(dir, name), {
      targets: TARGETS,
      shard: { index, total: 2 },
      scenarios: () =>
        exampleScenarios().map((s, i): FakeScenario => ((i === 0) === (index === 1) ? s : { ...s, notRun: true })),
    });

  before(async () => {
    mkdirSync(join(dir, "features"));
    copyFileSync(join(ROOT, FEATURE), join(dir, FEATURE));
    writeFileSync(join(dir, "gate.policy.yaml"), POLICY);
    mkdirSync(join(dir, "keys"));
    assert.equal((await signoff(["keygen", "--out", "keys/gate"])).code, 0);
    writeFileSync(join(dir, "keys", "runner.pub"), runner.publicPem);
    const pinned = await signoff(["trust", "add", "--role", "runner", "--key", "keys/runner.pub"]);
    assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
    // "Pinned but not required" would be a runner key the gate requires and verify does not: refused, nothing written.
    const optional = await signoff(["trust", "add", "--role", "runner", "--threshold", "0"]);
    assert.equal(optional.code, 2, optional.stdout + optional.stderr);
    assert.match(
      optional.stderr,
      /^signoff: .*roles\.runner\.threshold: must be at least 1 \(a pinned runner key is required of every run\)\n$/,
    );
    assert.doesNotMatch(readFileSync(join(dir, "trust.yaml"), "utf8"), /threshold: 0/);
    for (const i of [1, 2] as const) attestRun(shard(i), runner);
    const whole = await gate(["results-1", "results-2"]);
    assert.equal(whole.code, 0, whole.stdout + whole.stderr);
  });

  test("one tampered messages file: results-tampered first, then what it leaves without a result, naming it; its cells read !", async () => {
    cpSync(join(dir, "results-1"), join(dir, "tampered-1"), { recursive: true });
    appendFileSync(join(dir, "tampered-1", "messages", "pw-desktop@shard-1-of-2.ndjson"), "\n");
    const r = await gate(["tampered-1", "results-2"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(reasons(r.stdout), [
      "results-tampered: tampered-1/messages/pw-desktop@shard-1-of-2.ndjson: not the file the run wrote (" +
        r.stdout.split("not the file the run wrote (")[1].split("\n")[0],
      "run-selected: 1 scenario(s) have no result (a results file of pw-desktop was refused: see results-tampered): features/visitor-counter.feature:10 The counter displays in a browser — not on pw-desktop",
      "requirement-target-uncovered: requirement REQ-COUNTER-1 has no scenario result on required target(s) pw-desktop (a results file of pw-desktop was refused: see results-tampered)",
    ]);
    assert.match(r.stdout, /^ {2}REQ-COUNTER-1 +! +✓ *$/m, "the refused cell is no result, not no scenario");
    assert.match(r.stdout, /^ {2}REQ-COUNTER-2 +✓ +✓ *$/m);
  });

  test("a shard missing: shard-missing first; requirement-uncovered names it instead of guessing a --tags selection", async () => {
    const r = await gate(["results-1"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(reasons(r.stdout), [
      "shard-missing: target pw-desktop: shard(s) 2 of 2 missing",
      "shard-missing: target se-desktop: shard(s) 2 of 2 missing",
      "run-selected: 2 scenario(s) have no result (shards of pw-desktop, se-desktop are missing: see shard-missing): features/visitor-counter.feature:11 Refreshing the page increments the visitor count — not on pw-desktop, se-desktop; features/visitor-counter.feature:12 Counting never goes backwards — not on pw-desktop, se-desktop",
      "requirement-uncovered: requirement REQ-COUNTER-2 has no scenario in these results (a feature file declares it; shards of pw-desktop, se-desktop are missing: see shard-missing)",
    ]);
    assert.doesNotMatch(r.stdout, /--tags|@mobile-only/);
    assert.match(r.stdout, /^ {2}REQ-COUNTER-2 +! +! *$/m);
  });

  test("a feature file the gate was not given is named as such; one edited since the run is named once, by the gate's path", async () => {
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "other", "other.feature"), "Feature: Other\n");
    const missing = await gate(["results-1", "results-2"], "other");
    assert.equal(missing.code, 1, missing.stdout + missing.stderr);
    assert.deepEqual(
      reasons(missing.stdout).filter((l) => l.startsWith("features-not-run: ")),
      [
        "features-not-run: features/visitor-counter.feature: not given to the gate: the run parsed this feature file (the results of pw-desktop, se-desktop), and no feature file the gate judges has that name — pass the gate the same feature files the run ran (--features)",
        "features-not-run: other/other.feature: the run did not parse it (left out of the run, or added since): no result speaks for its scenarios",
      ],
    );
    assert.doesNotMatch(missing.stdout, /changed since the run/);

    mkdirSync(join(dir, "app", "features"), { recursive: true });
    copyFileSync(join(ROOT, FEATURE), join(dir, "app", FEATURE));
    appendFileSync(join(dir, "app", FEATURE), "# edited after the run\n");
    const edited = await gate(["results-1", "results-2"], "app/features");
    assert.equal(edited.code, 1, edited.stdout + edited.stderr);
    const lines = reasons(edited.stdout).filter((l) => l.startsWith("features-not-run: "));
    assert.equal(lines.length, 1, edited.stdout);
    assert.match(
      lines[0],
      /^features-not-run: app\/features\/visitor-counter\.feature \(the run's features\/visitor-counter\.feature\): changed since the run: the results of pw-desktop \(results-1\/messages\/pw-desktop@shard-1-of-2\.ndjson\), .* were parsed from another text of it than the one judged/,
    );

    // A copy of the file as it was at the run, added under another name, does not make the old results speak for the
    // edited file (the results speak only for the file their uri names), under either policy.
    copyFileSync(join(ROOT, FEATURE), join(dir, "app", "features", "archive.feature"));
    writeFileSync(join(dir, "selected.policy.yaml"), `${POLICY}scenarios: selected\n`);
    for (const policy of ["gate.policy.yaml", "selected.policy.yaml"]) {
      const copied = await gate(["results-1", "results-2"], "app/features", policy);
      assert.equal(copied.code, 1, copied.stdout + copied.stderr);
      assert.match(
        reasons(copied.stdout).join("\n"),
        /^features-not-run: app\/features\/visitor-counter\.feature \(the run's features\/visitor-counter\.feature\): changed since the run/m,
      );
      assert.match(copied.stdout, /^ {2}REQ-COUNTER-1 +! +! *$/m, "no requirement shows covered by the old results");
    }
  });

  test("merge with a shard's attestation missing: that problem first, no target COMPLETE, the signature's path relative", async () => {
    cpSync(join(dir, "results-2"), join(dir, "unsigned-2"), { recursive: true });
    rmSync(join(dir, "unsigned-2", "run.json.dsse"));
    const runKey = { SIGNOFF_RUN_KEY: runner.privateKey.export({ type: "pkcs8", format: "pem" }) as string };
    const r = await signoff(["merge", "results-1", "unsigned-2", "--into", "merged", "--trust", "trust.yaml"], runKey);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "Merged 2 results dir(s) into merged: INCOMPLETE (the gate fails it)");
    assert.match(lines[1], /^ {2}run attestation missing: unsigned-2\/run\.json\.dsse: no run attestation/);
    assert.match(
      lines[2],
      /^ {2}INCOMPLETE pw-desktop +3 scenario\(s\): .* \(the merged run is incomplete: see above\)$/,
    );
    assert.match(lines[3], /^ {2}INCOMPLETE se-desktop +3 scenario\(s\)/);
    assert.match(
      lines[4],
      /^Signed the merged run manifest: merged\/run\.json\.dsse \(runner key [0-9a-f]{12}…\), marked incomplete$/,
    );
    assert.doesNotMatch(r.stdout, /\bCOMPLETE\b/);

    const ok = await signoff(
      ["merge", "results-1", "results-2", "--into", "merged-ok", "--trust", "trust.yaml"],
      runKey,
    );
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^Merged 2 results dir\(s\) into merged-ok\n {2}COMPLETE {3}pw-desktop /);
    assert.match(
      ok.stdout,
      /\nSigned the merged run manifest: merged-ok\/run\.json\.dsse \(runner key [0-9a-f]{12}…\)\n$/,
    );
  });
});
