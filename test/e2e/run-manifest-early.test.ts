// What run.json says while a target runs (what a consumer reads if the run is then killed hard): its browser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSignoff, tempDir } from "../helpers/cli";
import { startFaultyStaging, type FaultyStaging } from "../helpers/faulty-staging";
import { killLeftovers, MARK_VAR, newMark } from "../helpers/processes";

let staging: FaultyStaging;
before(async () => {
  staging = await startFaultyStaging();
});
after(() => staging.close());

/** run.json as it is on disk now. */
function manifestOnDisk(reports: string): any {
  return JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
}

test("run.json names the running target's browser version before the target ends; a SIGKILL keeps it", async () => {
  const dir = tempDir("signoff-manifest-early-");
  const reports = join(dir, "reports");
  // The hanging page holds the target for a minute: long enough to read run.json while it runs.
  const config = join(dir, "signoff.config.yaml");
  writeFileSync(config, "timeouts:\n  stepMs: 90000\n  navigationMs: 60000\n");
  const tmp = join(dir, "tmp");
  mkdirSync(tmp);
  const mark = newMark();
  const run = startSignoff(
    [
      "run",
      "test/fixtures/faults/interrupt.feature",
      "--config",
      config,
      "--targets",
      "pw-desktop",
      "--base-url",
      staging.baseUrl,
      "--reports",
      reports,
    ],
    { env: { [MARK_VAR]: mark, TMPDIR: tmp }, timeoutMs: 300_000 },
  );
  try {
    await staging.requested("/hang", run.done);
    // Written by the runner once Chromium said its version; the target is still on the hanging page meanwhile.
    let seen: any;
    for (let i = 0; i < 300; i++) {
      seen = existsSync(join(reports, "run.json")) ? manifestOnDisk(reports) : undefined;
      if (seen?.targets?.[0]?.browserVersion) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(seen?.targets?.[0]?.browserVersion ?? "(none)", /^chromium \d+\./i, JSON.stringify(seen));
    assert.equal(seen.targets[0].complete, false);
    run.child.kill("SIGKILL");
    await run.done;
    const left = manifestOnDisk(reports);
    assert.equal(left.complete, false);
    assert.match(left.targets[0].browserVersion, /^chromium \d+\./i);
  } finally {
    run.child.kill("SIGKILL");
    await killLeftovers(mark, 0); // the runner was killed: its target's process group is ours to end
  }
});
