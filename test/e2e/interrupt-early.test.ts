// Ctrl+C before the first target runs (the preflight, git): exit 130, one line, nothing left behind or lost.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { startPageServer, type PageServer } from "../conformance/server";
import { startSignoff, tempDir } from "../helpers/cli";
import { leftovers, MARK_VAR, newMark } from "../helpers/processes";

let pages: PageServer;
let grid: Server;
const sockets = new Set<Socket>();
before(async () => {
  pages = await startPageServer();
  grid = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => grid.listen(0, "127.0.0.1", resolve));
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => grid.close(resolve));
  await pages.close();
});

const PREVIOUS_RUN = '{"previous":"run"}\n';

/** A project (its first target's browser starts with the preflight), and a previous run's results. */
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
  writeFileSync(join(reports, "messages", "previous.ndjson"), "{}\n");
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
  target: string,

  dir: string,
  reports: string,
  tmp: string,
  env: NodeJS.ProcessEnv,
  hold: () => Promise<void>,
) {
  const mark = newMark();
  const run = startSignoff(["run", "--targets", target, "--base-url", "http://127.0.0.1:9/", "--reports", reports], {
    cwd: dir,
    env: { ...env, TMPDIR: tmp, [MARK_VAR]: mark },
  });
  await hold();
  run.child.kill("SIGINT");
  const r = await run.done;
  return { r, left: await leftovers(mark) };
}

function assertNothingLostOrLeft(reports: string, tmp: string, left: unknown[]): void {
  assert.deepEqual(left, [], "no Cucumber process, browser or chromedriver left");
  assert.equal(readFileSync(join(reports, "run.json"), "utf8"), PREVIOUS_RUN, "the previous run's results are kept");
  assert.deepEqual(readdirSync(join(reports, "messages")), ["previous.ndjson"]);
  const temps = readdirSync(tmp).filter((f) => !f.startsWith("v8-compile-cache")); // Node's own cache stays
  assert.deepEqual(temps, [], "no temp dir (browser profile, process-group registry) left");
}

for (const target of ["pw-desktop", "se-desktop"])
  test(`${target}: Ctrl+C while the preflight loads the project's steps: exit 130, one line, the early browser closed`, async () => {
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
    const { r, left } = await interrupted(target, dir, reports, tmp, {}, () => reached(hold));
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.equal(r.stderr, "signoff: SIGINT received: stopped before any target ran; nothing was written\n");
    assertNothingLostOrLeft(reports, tmp, left);
  });

/**
 * A run of `project()` whose only target is on a "Grid" that accepts the probe and never answers (the staging is a
 * real page server), interrupted by Ctrl+C once the Grid is asked; `fresh`: its reports dir holds no earlier run.
 */
async function interruptedWhileProbingAGrid(fresh: boolean) {
  const { dir, reports, tmp } = project();
  if (fresh) rmSync(reports, { recursive: true, force: true });
  const asked = new Promise<void>((resolve) => {
    grid.once("connection", () => resolve());
  });
  const port = (grid.address() as AddressInfo).port;
  writeFileSync(
    join(dir, "signoff.config.yaml"),
    `targets:\n  grid-desktop: { driver: selenium, device: Desktop Chrome, remote: "http://127.0.0.1:${port}" }\n`,
  );
  const mark = newMark();
  const run = startSignoff(["run", "--targets", "grid-desktop", "--base-url", pages.origin, "--reports", reports], {
    cwd: dir,
    env: { TMPDIR: tmp, [MARK_VAR]: mark },
  });
  await asked;
  run.child.kill("SIGINT");
  return { r: await run.done, reports, tmp, mark };
}

test("Ctrl+C while the runner probes a remote (run.json written, no target started): exit 130 at once, one line", async () => {
  const { r, reports, tmp, mark } = await interruptedWhileProbingAGrid(true);
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    `signoff: SIGINT received: stopped before any target ran; ${join(reports, "run.json")} says so\n`,
  );
  const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
  assert.equal(manifest.complete, false);
  assert.equal(manifest.interrupted.signal, "SIGINT");
  assert.deepEqual(await leftovers(mark), []);
  const temps = readdirSync(tmp).filter((f) => !f.startsWith("v8-compile-cache"));
  assert.deepEqual(temps, []);
});

test("Ctrl+C while the runner probes a remote, an earlier run in the reports dir: exit 130, nothing written, the earlier run kept", async () => {
  // An earlier run is kept while staging and the Grid are probed: nothing is cleared before they answer.
  const { r, reports, tmp, mark } = await interruptedWhileProbingAGrid(false);
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(r.stderr, "signoff: SIGINT received: stopped before any target ran; nothing was written\n");
  assertNothingLostOrLeft(reports, tmp, await leftovers(mark));
});

/**
 * Project steps that make the waiting target process slow to stop: when the runner lets it go (its IPC channel
 * closes) the process is held for `holdMs`, then ends as usual, writing `survived` first. `loaded` is written as
 * the steps load; with `preflightHold` the preflight itself waits (the runner is still before any target).
 */
function slowToStop(dir: string, holdMs: number, preflightHold: boolean) {
  const loaded = join(dir, "steps-loaded");
  const stopping = join(dir, "stopping");
  const survived = join(dir, "survived");
  writeFileSync(
    join(dir, "slow-stop.steps.mjs"),
    `import { writeFileSync } from "node:fs";
process.on("disconnect", () => {
  writeFileSync(${JSON.stringify(stopping)}, "");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
  writeFileSync(${JSON.stringify(survived)}, "");
});
writeFileSync(${JSON.stringify(loaded)}, "");
${preflightHold ? "await new Promise((resolve) => setTimeout(resolve, 120_000));" : ""}
`,
  );
  writeFileSync(join(dir, "signoff.config.yaml"), "steps:\n  - slow-stop.steps.mjs\n");
  return { loaded, stopping, survived };
}

test("a second Ctrl+C while the waiting target process stops: its group is killed at once, exit 130, one line", async () => {
  const { dir, reports, tmp } = project();
  // Held for less than the runner's grace period: a runner that waits it out lets the process finish its stop.
  const files = slowToStop(dir, 4_000, true);
  const mark = newMark();
  // Selenium: chromedriver's group (and Chrome in it) is recorded, so one kill ends the early browser too. (A
  // Playwright Chromium leads a group of its own that the runner does not know; it dies with its pipe, after.)
  const run = startSignoff(["run", "--targets", "se-desktop", "--base-url", pages.origin, "--reports", reports], {
    cwd: dir,
    env: { TMPDIR: tmp, [MARK_VAR]: mark },
  });
  await reached(files.loaded);
  run.child.kill("SIGINT");
  await reached(files.stopping);
  run.child.kill("SIGINT");
  const r = await run.done;
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(r.stderr, "signoff: SIGINT received: stopped before any target ran; nothing was written\n");
  assert.equal(existsSync(files.survived), false, "the process was killed, not left to finish its stop");
  assertNothingLostOrLeft(reports, tmp, await leftovers(mark));
});

test("Ctrl+C while the waiting target process stops after staging was unreachable: exit 130 and run.json agree, one line names both", async () => {
  const { dir, reports, tmp } = project();
  // A reports dir no run wrote: one an earlier run wrote keeps that run when staging does not answer (run.test.ts).
  rmSync(reports, { recursive: true, force: true });
  const files = slowToStop(dir, 4_000, false); // se-desktop: see the test above
  // A port nothing listens on: bound, then released.
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  const closedUrl = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/`;
  await new Promise((resolve) => spare.close(resolve));
  const mark = newMark();
  const run = startSignoff(["run", "--targets", "se-desktop", "--base-url", closedUrl, "--reports", reports], {
    cwd: dir,
    env: { TMPDIR: tmp, [MARK_VAR]: mark },
  });
  await reached(files.stopping);
  run.child.kill("SIGINT");
  const r = await run.done;
  const manifestPath = join(reports, "run.json");
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    `signoff: SIGINT received: stopped before any target ran; ${manifestPath} says so (the run had stopped on: staging unreachable: GET ${closedUrl} failed: ECONNREFUSED)\n`,
  );
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  assert.equal(manifest.interrupted.signal, "SIGINT");
  assert.equal(manifest.complete, false);
  assert.match(manifest.error, /^staging unreachable: /, "run.json still says what the run stopped on");
  assert.equal(existsSync(files.survived), false, "the process was killed, not left to finish its stop");
  assert.deepEqual(await leftovers(mark), []);
});
