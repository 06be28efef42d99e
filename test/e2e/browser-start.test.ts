// A browser or chromedriver that will not start, or a set path that is no executable: one line naming it, exit 3, never another binary or a stack.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir } from "../helpers/cli";
import { startFaultyStaging, type FaultyStaging } from "../helpers/faulty-staging";
import { leftovers, MARK_VAR, newMark } from "../helpers/processes";

const CONFIG = "test/fixtures/faults/signoff.config.yaml";

let staging: FaultyStaging;
before(async () => {
  staging = await startFaultyStaging();
});
after(() => staging.close());

const cases = [
  {
    target: "pw-desktop",
    env: { SIGNOFF_CHROMIUM: "/bin/false" },
    line: /^signoff: could not start Chromium for target "pw-desktop" \(\/bin\/false\): the browser exited as it started \(exit code 1\); the target's other scenarios were not tried$/m,
  },
  {
    target: "se-desktop",
    env: { SIGNOFF_CHROMEDRIVER: "/bin/true" },
    line: /^signoff: could not start a Selenium session for target "se-desktop": .+; the target's other scenarios were not tried$/m,
  },
];

/** `signoff run` of the two-page fixture on one target, with the fault config. */
function runTwoPages(target: string, args: string[], env: NodeJS.ProcessEnv) {
  return runSignoff(
    ["run", "test/fixtures/faults/two-pages.feature", "--config", CONFIG, "--targets", target, ...args],
    { env },
  );
}

for (const c of cases) {
  test(`${c.target}: a browser that will not start ends the target with one line and exit 3, never a stack`, async () => {
    const reports = tempDir();
    const mark = newMark();
    const r = await runTwoPages(c.target, ["--base-url", staging.baseUrl, "--reports", reports], {
      ...c.env,
      [MARK_VAR]: mark,
    });
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 3, out);
    assert.match(out, c.line);
    assert.doesNotMatch(out, /^\s+at /m, "no stack frame on the terminal");
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.targets[0].complete, false);
    assert.match(manifest.targets[0].error, /its browser could not be started/);
    const results = await readMessagesFile(join(reports, "messages", `${c.target}.ndjson`));
    assert.deepEqual(
      results.scenarios.map((s) => s.status),
      ["failed", "failed"],
    );
    assert.deepEqual(await leftovers(mark), []);
  });
}

test("a browser path set in the environment that is not an executable: run and doctor refuse it (exit 3), never use another", async () => {
  const env = { SIGNOFF_CHROMIUM: "/nonexistent/chromium" };
  const r = await runTwoPages("pw-desktop", ["--reports", tempDir()], env);

  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: SIGNOFF_CHROMIUM names \/nonexistent\/chromium, which is not an executable file \(fix or unset it/m,
  );
  const doctor = await runSignoff(["doctor", "--config", CONFIG], { env });
  assert.equal(doctor.code, 3, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout, /✗ SIGNOFF_CHROMIUM names \/nonexistent\/chromium, which is not an executable file/);
});

test("a long TMPDIR (macOS's is ≈ 49 bytes) still starts Chromium on both drivers: its socket goes where it fits", async () => {
  // Chromium aborts at launch when $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket passes 107 bytes.
  const longTemp = join(tempDir(), "t".repeat(64));
  mkdirSync(longTemp);
  const reports = tempDir();
  const r = await runTwoPages("pw-desktop,se-desktop", ["--base-url", staging.baseUrl, "--reports", reports], {
    TMPDIR: longTemp,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
  assert.deepEqual(
    manifest.targets.map((t: { name: string; complete: boolean }) => [t.name, t.complete]),
    [
      ["pw-desktop", true],
      ["se-desktop", true],
    ],
  );
});
