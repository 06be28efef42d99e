// The generic steps end to end: the real CLI runs a feature against a real page on all four targets.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { startPageServer, type PageServer } from "../conformance/server";
import { runSignoff, tempDir } from "../helpers/cli";

const CONFIG = "test/fixtures/steps/signoff.config.yaml";
const TARGETS = ["pw-desktop", "se-desktop", "pw-pixel7", "se-pixel7"];

let server: PageServer;
before(async () => {
  server = await startPageServer();
});
after(() => server.close());

test("scoping, the interactions and the assertions pass on every target", async () => {
  const reports = tempDir();
  const r = await runSignoff([
    "run", "test/fixtures/steps/widgets.feature", "--config", CONFIG, "--targets", TARGETS.join(","), "--base-url", server.origin, "--reports", reports,
  ], { timeoutMs: 400_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const target of TARGETS) {
    const results = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
    assert.ok(results.complete, `${target}: complete`);
    assert.deepEqual(
      results.scenarios.map((s) => [s.name, s.status]),
      [
        ["Scoping by container, text and position; element state", "passed"],
        ["Pointer, keyboard focus, typing, drag and drop, upload, scrolling", "passed"],
        ["Native dialogs and frames", "passed"],
      ],
      target,
    );
  }
});
