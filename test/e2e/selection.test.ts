// End to end: a run that selects nothing fails (exit 1, one line, nothing written); a run records the feature files it read; every target's device is checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSignoff, tempDir } from "../helpers/cli";

const FEATURE = "features/visitor-counter.feature";

for (const [why, args] of [
  ["a file:line on a tag line", [`${FEATURE}:7`]],
  ["a tag expression no scenario has", [FEATURE, "--tags", "@no-such-tag"]],
] as const) {
  test(`${why} selects no scenario: exit 1, one line, the previous run.json kept`, async () => {
    const reports = tempDir();
    writeFileSync(join(reports, "run.json"), "previous\n");
    const r = await runSignoff(["run", ...args, "--targets", "pw-desktop", "--reports", reports]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^signoff: .*visitor-counter\.feature.* selects no scenario.*; nothing was run$/);
    // The hint about file:line only where a file:line was given.
    assert.equal(/a file:line must point at a Scenario/.test(lines[0]), args.length === 1, lines[0]);
    assert.equal(readFileSync(join(reports, "run.json"), "utf8"), "previous\n");
    assert.equal(existsSync(join(reports, "messages")), false);
  });
}

test("a device typo in a target the run does not select is still a config error (exit 2, naming it), before anything runs", async () => {
  const dir = tempDir();
  const config = join(dir, "signoff.config.yaml");
  writeFileSync(config, "targets:\n  my-phone:\n    driver: playwright\n    device: Pixel7\n");
  const reports = join(dir, "reports");
  const r = await runSignoff(["run", FEATURE, "--config", config, "--targets", "pw-desktop", "--reports", reports]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: \S*signoff\.config\.yaml: targets\.my-phone\.device: unknown device "Pixel7" \(did you mean "Pixel 7"\?\)/m,
  );
  assert.equal(existsSync(join(reports, "messages")), false);
});

/** `signoff run FEATURE [extra…]` on pw-desktop into a fresh reports dir: for the runs refused before they start. */
async function runRefused(feature: string, ...extra: string[]) {
  const reports = tempDir();
  const r = await runSignoff(["run", feature, ...extra, "--targets", "pw-desktop", "--reports", reports]);
  return { r, reports };
}

test("an element phrase naming no ARIA role is refused before anything runs: exit 2, file:line, the word, did-you-mean", async () => {
  const { r, reports } = await runRefused("test/fixtures/features/role-typo.feature");
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.deepEqual(
    lines.map((l) => l.replace(/ cannot be read: .*/, "")),
    [
      'signoff: test/fixtures/features/role-typo.feature:5: the step "I should not see the buton named "Sign in""',
      'signoff: test/fixtures/features/role-typo.feature:9: the step "I should see 0 of the buton named "Sign in""',
      'signoff: test/fixtures/features/role-typo.feature:13: the step "I should not see the "Sign in" button in the dialgo named "Login""',
    ],
    r.stderr,
  );
  assert.match(lines[0], /: "buton" is not an ARIA role \(did you mean "button"\?\)/);
  assert.match(lines[2], /: "dialgo" is not an ARIA role \(did you mean "dialog"\?\).*\(no scenario was run\)$/);
  assert.equal(existsSync(join(reports, "messages")), false);
  assert.equal(existsSync(join(reports, "run.json")), false);
});

test("a malformed --tags is refused before any process starts: exit 2, the tag-expressions parser's reason", async () => {
  const { r, reports } = await runRefused(FEATURE, "--tags", "@REQ-COUNTER-1 and");
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr.split("\n")[0],
    /'--tags <expression>' argument '@REQ-COUNTER-1 and' is invalid\. .*could not be parsed because of syntax error: Expected operand/,
  );
  assert.doesNotMatch(r.stderr, /cucumber could not start|pickles:filter|\n\s+at /);
  assert.deepEqual(readdirSync(reports), []);
});

test("a @target: tag naming no configured target is refused before anything runs: exit 2, file:line, did-you-mean", async () => {
  const { r, reports } = await runRefused("test/fixtures/features/target-typo.feature");
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /^signoff: test\/fixtures\/features\/target-typo\.feature:7: @target:pw-destkop names no configured target \(did you mean "pw-desktop"\?\); known targets: .*pw-desktop.* \(no scenario was run\)$/,
  );
  assert.equal(existsSync(join(reports, "messages")), false);
});
