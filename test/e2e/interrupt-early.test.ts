// Ctrl+C before the first target runs (the preflight, git): exit 130, one line, nothing left behind or lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSignoff, tempDir } from "../helpers/cli";
import { leftovers, MARK_VAR, newMark } from "../helpers/processes";

const PREVIOUS_RUN = '{"previous":"run"}\n';

/** A project whose first target is pw-desktop (its browser starts with the preflight), and a previous run's results. */
function project(): { dir: string; reports: string; tmp: string } {
  const dir = tempDir("signoff-interrupt-early-");
  mkdirSync(join(dir, "features"));
  writeFileSync(
    join(dir, "features", "a.feature"),
    'Feature: A\n  Scenario: S\n    Given I open "/"\n    Then I should see "hello"\n',
  );
  const reports = join(dir, "reports");
  mkdirSync(join(reports, "messages"), { recursive: true });
  writeFileSync(join(reports, "run.json"), PREVIOUS_RUN);
  writeFileSync(join(reports, "messages", "pw-desktop.ndjson"), "{}\n");
  // Every temp file of the run (Signoff's, Playwright's browser profile) goes here, to be seen if left.
  const tmp = join(dir, "tmp");
  mkdirSync(tmp);
  return { dir, reports, tmp };
}

/** Waits until `file` exists (and holds `text`): the run reached the window the test interrupts. */
async function reached(file: string, text = ""): Promise<void> {
  const there = () => existsSync(file) && readFileSync(file, "utf8").includes(text);
  for (let i = 0; i < 1200 && !there(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(there(), `the run never reached the window (${file}: ${text})`);
}

async function interrupted(
  dir: string,
  reports: string,
  tmp: string,
  env: NodeJS.ProcessEnv,
  hold: () => Promise<void>,
) {
  const mark = newMark();
  const run = startSignoff(
    ["run", "--targets", "pw-desktop", "--base-url", "http://127.0.0.1:9/", "--reports", reports],
    { cwd: dir, env: { ...env, TMPDIR: tmp, [MARK_VAR]: mark } },
  );
  await hold();
  run.child.kill("SIGINT");
  const r = await run.done;
  return { r, left: await leftovers(mark) };
}

function assertNothingLostOrLeft(reports: string, tmp: string, left: unknown[]): void {
  assert.deepEqual(left, [], "no Cucumber process, browser or chromedriver left");
  assert.equal(readFileSync(join(reports, "run.json"), "utf8"), PREVIOUS_RUN, "the previous run's results are kept");
  assert.deepEqual(readdirSync(join(reports, "messages")), ["pw-desktop.ndjson"]);
  const temps = readdirSync(tmp).filter((f) => !f.startsWith("v8-compile-cache")); // Node's own cache stays
  assert.deepEqual(temps, [], "no temp dir (browser profile, process-group registry) left");
}

test("Ctrl+C while the preflight loads the project's steps: exit 130, one line, the browser started early closed", async () => {
  const { dir, reports, tmp } = project();
  const hold = join(dir, "loading-steps");
  // The project's steps take their time to load (top-level await): the runner waits on the preflight meanwhile.
  writeFileSync(
    join(dir, "slow.steps.mjs"),
    `import { writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(hold)}, "");
await new Promise((resolve) => setTimeout(resolve, 120_000));
`,
  );
  writeFileSync(join(dir, "signoff.config.yaml"), "steps:\n  - slow.steps.mjs\n");
  const { r, left } = await interrupted(dir, reports, tmp, {}, () => reached(hold));
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(r.stderr, "signoff: SIGINT received: stopped before any target ran; nothing was written\n");
  assertNothingLostOrLeft(reports, tmp, left);
});

test("Ctrl+C while the runner waits for git (the preflight done, the first target's browser up): the same", async () => {
  const { dir, reports, tmp } = project();
  // A git that is slow to answer (a network file system, a huge repository); it leaves no marked process. The
  // runner waits for it once the preflight is done (its phase mark): git answers only after the signal.
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "git"), `#!/bin/sh\nexec env -u ${MARK_VAR} sleep 9\n`);
  chmodSync(join(bin, "git"), 0o755);
  const phases = join(dir, "phases.jsonl");
  const env = { PATH: `${bin}:${process.env.PATH}`, SIGNOFF_PHASES: phases };
  const { r, left } = await interrupted(dir, reports, tmp, env, () => reached(phases, '"preflight done"'));
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(r.stderr, "signoff: SIGINT received: stopped before any target ran; nothing was written\n");
  assertNothingLostOrLeft(reports, tmp, left);
});
