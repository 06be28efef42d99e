// Negative corpus through the real CLI on a real run's results: every way to edit a failing run into a pass is a FAIL with its own reason code.
//
// One real run (2 scenarios pass, 2 fail, pw-desktop) is copied per case; each case edits the copy the
// way an attacker holding the results dir would and runs `signoff gate` on it.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { failingFixtureRun } from "../helpers/shared-run";

const MESSAGES = "messages/pw-desktop.ndjson";
const INDEX = "messages/pw-desktop.results.jsonl";
const POLICY =
  "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: [REQ-COUNTER-1, REQ-COUNTER-2, REQ-BANNER-1, REQ-BANNER-2]\nmaxAge: 24h\n";

describe("signoff gate on a real run's results edited by an attacker", () => {
  const work = tempDir("signoff-tamper-");
  const real = join(work, "real");
  let artifact = "";

  before(async () => {
    // The same run report.test.ts renders (made once, see test/helpers/shared-run.ts).
    const shared = await failingFixtureRun();
    cpSync(shared.reports, real, { recursive: true });
    const run = shared.result;
    assert.equal(run.code, 1, run.stdout + run.stderr);
    artifact = `visitor-counter@${JSON.parse(readFileSync(join(real, "run.json"), "utf8")).build.digest}`;
    writeFileSync(join(work, "policy.yaml"), POLICY);
    const keygen = await runSignoff(["keygen", "--out", join(work, "gate")]);
    assert.equal(keygen.code, 0, keygen.stderr);
  });

  let n = 0;
  /** A fresh copy of the real run's results dir. */
  function copy(): string {
    const dir = join(work, `case-${++n}`);
    cpSync(real, dir, { recursive: true });
    return dir;
  }
  const gate = (...dirs: string[]): Promise<CliResult> => gateWith([], ...dirs);
  /** `signoff gate` on the dirs, with other options too. */
  const gateWith = (options: string[], ...dirs: string[]): Promise<CliResult> =>
    runSignoff([
      "gate",
      "--artifact",
      artifact,
      "--key",
      join(work, "gate.key"),
      "--policy",
      join(work, "policy.yaml"),
      ...options,
      "--results",
      ...dirs,
      "--out",
      join(dirs[0], "verdict.intoto.jsonl"),
    ]);
  const edit = (dir: string, rel: string, f: (text: string) => string) =>
    writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), "utf8")));
  const manifest = (dir: string, f: (m: any) => void) =>
    edit(dir, "run.json", (t) => {
      const m = JSON.parse(t);
      f(m);
      return JSON.stringify(m, null, 2);
    });
  /** What an attacker who also rewrites run.json does: record the edited messages' size and digest, drop the index. */
  function rerecord(dir: string): void {
    const bytes = readFileSync(join(dir, MESSAGES));
    manifest(
      dir,
      (m) =>
        (m.targets[0].files = {
          [MESSAGES]: { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") },
        }),
    );
  }
  /** Every failed or skipped step passed, Cucumber's verdict flipped: the same number of bytes. */
  const allPassed = (text: string) =>
    text
      .replace(
        /"status":"(FAILED|SKIPPED)"/g,
        (_m, s: string) => `"status":"PASSED"${" ".repeat(s.length - "PASSED".length)}`,
      )
      .replace('"success":false', '"success":true ');
  const failedStepLine = (lines: string[]) =>
    lines.findIndex((l) => l.startsWith('{"testStepFinished"') && l.includes('"status":"FAILED"'));

  function assertFails(r: CliResult, code: string, detail: RegExp): void {
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^signoff gate: FAILED/);
    const lines = r.stdout.split("\n").filter((l) => l.trimStart().startsWith(`- ${code}: `));
    assert.ok(lines.length > 0, `no ${code} reason in:\n${r.stdout}`);
    assert.match(lines.join("\n"), detail);
  }

  test("the untouched run: FAILED for its two failing scenarios, and nothing else wrong with the files", async () => {
    const r = await gate(copy());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /- scenario-failed: 2 scenario\(s\) on required targets failed/);
    assert.doesNotMatch(r.stdout, /results-/);
    // Each failure names its scenario's line and, after "at", the line its failing step is written on.
    const reason = r.stdout.split("\n").find((l) => l.trimStart().startsWith("- scenario-failed: "))!;
    const at = "test/fixtures/report/failing.feature";
    assert.ok(
      reason.includes(
        `${at}:9 The home page greets the visitor by name — on pw-desktop — at ${at}:12 "I should see "Welcome back, Ada""`,
      ),
      reason,
    );
    assert.ok(
      reason.includes(
        `${at}:15 The banner can be dismissed — on pw-desktop — at ${at}:17 "I click the "Dismiss banner" button"`,
      ),
      reason,
    );
  });

  test("statuses FAILED → PASSED, same size, index kept → results-tampered (the messages' SHA-256)", async () => {
    const dir = copy();
    edit(dir, MESSAGES, allPassed);
    const r = await gate(dir);
    assertFails(
      r,
      "results-tampered",
      /pw-desktop\.ndjson: not the file the run wrote \(SHA-256 [0-9a-f]{64} is not the [0-9a-f]{64} run\.json records/,
    );
    // Its scenarios were refused, not zero: no "ran zero scenarios", and its cells read "no result".
    assert.doesNotMatch(r.stdout, /target-empty/, r.stdout);
    assert.match(r.stdout, /^ {2}REQ-\S+ +! *$/m, r.stdout);
  });

  test("… and the index deleted → results-tampered (the index run.json records is missing)", async () => {
    const dir = copy();
    edit(dir, MESSAGES, allPassed);
    rmSync(join(dir, INDEX));
    assertFails(
      await gate(dir),
      "results-tampered",
      /pw-desktop\.ndjson: .*results index messages\/pw-desktop\.results\.jsonl is listed in run\.json but missing/,
    );
  });

  test("… and the index's record removed from run.json → results-tampered (the messages, hashed as they are parsed)", async () => {
    const dir = copy();
    edit(dir, MESSAGES, allPassed);
    rmSync(join(dir, INDEX));
    manifest(dir, (m) => delete m.targets[0].files[MESSAGES].index);
    assertFails(await gate(dir), "results-tampered", /pw-desktop\.ndjson: not the file the run wrote \(SHA-256/);
  });

  test("messages grown by a line → results-tampered (size)", async () => {
    const dir = copy();
    edit(dir, MESSAGES, (t) => t + t.split("\n")[0] + "\n");
    assertFails(
      await gate(dir),
      "results-tampered",
      /pw-desktop\.ndjson: not the file the run wrote \(\d+ bytes, run\.json records \d+/,
    );
  });

  test("the results index edited (failed → passed) → results-tampered naming the index", async () => {
    const dir = copy();
    edit(dir, INDEX, (t) => t.replaceAll('"status":"failed"', '"status":"passed"'));
    assertFails(
      await gate(dir),
      "results-tampered",
      /its results index messages\/pw-desktop\.results\.jsonl is not the one run\.json records/,
    );
  });

  test('a failed step\'s status rewritten to "CONSTRUCTOR", run.json re-recorded → results-unreadable naming the line', async () => {
    const dir = copy();
    const lines = readFileSync(join(dir, MESSAGES), "utf8").split("\n");
    const i = failedStepLine(lines);
    lines[i] = lines[i].replace('"status":"FAILED"', '"status":"CONSTRUCTOR"');
    writeFileSync(join(dir, MESSAGES), lines.join("\n"));
    rerecord(dir);
    assertFails(
      await gate(dir),
      "results-unreadable",
      new RegExp(
        `pw-desktop\\.ndjson: results unreadable \\(line ${i + 1}: not a Cucumber message: /testStepFinished/testStepResult/status must be equal to one of the allowed values`,
      ),
    );
  });

  test('a failed step\'s line carrying a nested {"status":"PASSED"} member, run.json re-recorded → results-unreadable', async () => {
    const dir = copy();
    const lines = readFileSync(join(dir, MESSAGES), "utf8").split("\n");
    const i = failedStepLine(lines);
    lines[i] = lines[i].replace('{"testStepFinished":{', '{"testStepFinished":{"note":{"status":"PASSED"},');
    writeFileSync(join(dir, MESSAGES), lines.join("\n"));
    rerecord(dir);
    assertFails(
      await gate(dir),
      "results-unreadable",
      new RegExp(`line ${i + 1}: not a Cucumber message: /testStepFinished must NOT have additional properties`),
    );
  });

  test("the failing scenario's pickle line deleted, run.json re-recorded → results-unreadable, not a dropped scenario", async () => {
    const dir = copy();
    edit(dir, MESSAGES, (t) =>
      t
        .split("\n")
        .filter((l) => !(l.startsWith('{"pickle"') && l.includes("The home page greets the visitor by name")))
        .join("\n"),
    );
    rerecord(dir);
    assertFails(
      await gate(dir),
      "results-unreadable",
      /pw-desktop\.ndjson: results unreadable \(test case [0-9a-f-]+: its pickle [0-9a-f-]+ is not in the file\)/,
    );
  });

  test("run.json pointing at messages outside the results dir: absolute path, .., a symlink out → results-outside", async () => {
    const forged = copy(); // a passing-looking copy somewhere else
    edit(forged, MESSAGES, allPassed);
    const cases: Array<[string, (dir: string) => void, RegExp]> = [
      [
        "absolute",
        (dir) => point(dir, join(forged, MESSAGES)),
        /run\.json gives the messages file as an absolute path/,
      ],
      [
        "dot-dot",
        (dir) => point(dir, `../case-${forged.split("case-")[1]}/${MESSAGES}`),
        /run\.json's path for the messages file \(\.\.\/case-\d+\/messages\/pw-desktop\.ndjson\) leaves/,
      ],
      [
        "symlink",
        (dir) => {
          rmSync(join(dir, MESSAGES));
          symlinkSync(join(forged, MESSAGES), join(dir, MESSAGES));
          rmSync(join(dir, INDEX));
          manifest(dir, (m) => (m.targets[0].files[MESSAGES] = record(join(forged, MESSAGES))));
        },
        /pw-desktop\.ndjson: outside the results directory \(messages file messages\/pw-desktop\.ndjson is a link to .*, outside/,
      ],
    ];
    for (const [name, attack, why] of cases) {
      const dir = copy();
      attack(dir);
      const r = await gate(dir);
      assertFails(r, "results-outside", why);
      assert.doesNotMatch(r.stdout, /results-tampered/, name);
    }
    /** run.json lists `path` for pw-desktop, with the size and digest of the file there. */
    function point(dir: string, path: string): void {
      manifest(dir, (m) => {
        m.targets[0].messages = [path];
        m.targets[0].files = { [path]: record(join(forged, MESSAGES)) };
      });
      rmSync(join(dir, "messages"), { recursive: true });
    }
    function record(file: string) {
      const bytes = readFileSync(file);
      return { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    }
  });

  test("run.json listing feature files outside the checkout, or a feature file linked to a secret: exit 2, the secret neither read into a reason nor quoted", async () => {
    const secret = join(work, "secret.txt");
    writeFileSync(secret, "SECRET-TOKEN-4711\n");
    const secretFeature = join(work, "secret.feature");
    writeFileSync(secretFeature, "SECRET-TOKEN-4711\n");
    // A link inside the checkout (as one in a results dir would be) to the directory the secret is in.
    const link = join(ROOT, ".signoff", "tmp", "ext-link");
    rmSync(link, { force: true });
    mkdirSync(join(ROOT, ".signoff", "tmp"), { recursive: true });
    symlinkSync(work, link);
    const linkedSecret = `${relative(ROOT, link)}/secret.feature`;
    for (const [listed, why] of [
      [secretFeature, /lists the feature file .*secret\.feature, outside this checkout: .*--features/],
      ["../../../../../../../../../.." + secretFeature, /outside this checkout/],
      ["features/../../" + secretFeature.split("/").pop(), /outside this checkout/],
      ["package.json", /lists package\.json as a feature file: it is not a \.feature file/],
      [linkedSecret, /lists the feature file .*ext-link\/secret\.feature, a link to outside this checkout/],
    ] as const) {
      const dir = copy();
      manifest(dir, (m) => (m.features = [listed]));
      const r = await gate(dir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stdout + r.stderr, /SECRET-TOKEN/);
    }
    rmSync(link);
    // --features naming a directory whose .feature file is a link to a file that is not Gherkin: named, not quoted.
    const features = join(work, "linked-features");
    cpSync(join(ROOT, "features"), features, { recursive: true });
    symlinkSync(secret, join(features, "leak.feature"));
    const r = await gateWith(["--features", features], copy());
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /leak\.feature:1:1: not valid Gherkin \(the gate quotes nothing from it/);
    assert.doesNotMatch(r.stdout + r.stderr, /SECRET-TOKEN/);
  });

  test("run.json fields of the wrong type → manifest-unreadable naming the field, never a crash", async () => {
    for (const [f, why] of [
      [(m: any) => (m.error = 5), /run\.json: error: must be string/],
      [
        (m: any) => {
          m.build = null;
          m.buildError = { a: 1 };
        },
        /run\.json: buildError: must be string/,
      ],
      [(m: any) => (m.targets[0].counts = { passed: "4", failed: 0, other: 0 }), /targets\[0\]\.counts\.passed/],
    ] as const) {
      const dir = copy();
      manifest(dir, f);
      assertFails(await gate(dir), "manifest-unreadable", why);
    }
    const dir = copy();
    manifest(dir, (m) => (m.judgedBy.lockFile = null));
    const r = await gate(dir);
    assert.equal(r.code, 1, r.stdout + r.stderr); // judged (FAILED), not a crash
  });

  test("a messages file in the results dir that run.json does not list → results-unlisted", async () => {
    const dir = copy();
    copyFileSync(join(dir, MESSAGES), join(dir, "messages", "pw-pixel7.ndjson"));
    assertFails(await gate(dir), "results-unlisted", /messages\/pw-pixel7\.ndjson: not listed in run\.json/);
  });

  test("an edit made consistent with run.json's digest, counts and Cucumber's success still disagrees with the exit code → results-inconsistent", async () => {
    const dir = copy();
    edit(dir, MESSAGES, allPassed);
    rerecord(dir);
    manifest(dir, (m) => (m.targets[0].counts = { passed: 4, failed: 0, other: 0 }));
    assertFails(
      await gate(dir),
      "results-inconsistent",
      /target pw-desktop's Cucumber exited with 1, but its results say the run succeeded/,
    );
  });

  test("shards in two dirs: the second's run.json reaching into the first → results-outside; `signoff merge` output passes every file check", async () => {
    const [a, b] = [copy(), copy()];
    manifest(b, (m) => {
      m.targets[0].messages = [`../${a.split("/").pop()}/${MESSAGES}`];
      m.targets[0].files = { [m.targets[0].messages[0]]: m.targets[0].files[MESSAGES] };
    });
    rmSync(join(b, "messages"), { recursive: true });
    assertFails(await gate(a, b), "results-outside", /leaves/);

    const merged = join(work, "merged");
    const merge = await runSignoff(["merge", real, "--into", merged]);
    assert.equal(merge.code, 0, merge.stdout + merge.stderr); // every shard arrived (the scenarios' failures are the gate's to judge)
    const r = await gate(merged);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /- scenario-failed: 2 scenario\(s\)/);
    assert.doesNotMatch(r.stdout, /results-|target-incomplete|run-incomplete/);
    // and the merged dir's files are checked like a run's
    edit(merged, MESSAGES, allPassed);
    assertFails(
      await gate(merged),
      "results-tampered",
      /merged\/messages\/pw-desktop\.ndjson: not the file the run wrote/,
    );
  });
});
