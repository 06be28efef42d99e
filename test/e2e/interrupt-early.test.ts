// Ctrl+C before the first target runs (the preflight, git): exit 130, one line, nothing left behind or lost.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

test("Ctrl+C while the runner probes a remote (run.json written, no target started): exit 130 at once, one line", async () => {
  const { dir, reports, tmp } = project();
  // A "Grid" that accepts the probe and never answers; the staging is a real page server.
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
  const r = await run.done;
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
