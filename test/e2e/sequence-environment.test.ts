// End to end: staging going away in the middle of a sequence property ends the run as the environment's failure, not a counterexample.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";

const FEATURE = "test/fixtures/sequences/staging-gone.feature";
/** The action's page load that finds staging gone: the first ones pass, so the property is under way. */
const FATAL_LOAD = 2;

/**
 * A staging that goes away while it is asked for the action's page the FATAL_LOAD-th time (a deploy that took it
 * down mid-run): that request gets no answer and the port closes. Only an action loads "/?from=action", so the
 * failure comes inside an action, where a product failure would be a counterexample.
 */
async function dyingStaging(): Promise<{ baseUrl: string; stop(): void }> {
  let actionLoads = 0;
  const server = createServer((req, res) => {
    if (req.url === "/?from=action" && ++actionLoads === FATAL_LOAD) {
      server.close();
      server.closeAllConnections();
      return void req.socket.destroy();
    }
    res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
    res.end("<!DOCTYPE html><title>Hello</title><h1>Hello</h1>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    stop: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

for (const target of ["pw-desktop", "se-desktop"]) {
  test(`${target}: staging gone mid-sequence ends the run as an environment failure, nothing stored as a counterexample`, async () => {
    const work = tempDir("signoff-seq-env-");
    const store = join(work, "counterexamples.json");
    const staging = await dyingStaging();
    try {
      const r = await runSignoff(
        ["run", FEATURE, "--targets", target, "--base-url", staging.baseUrl, "--reports", join(work, "reports")],
        { env: { SIGNOFF_COUNTEREXAMPLES: store }, timeoutMs: 300_000 },
      );
      require("node:fs").writeFileSync(`/tmp/out-${target}.txt`, show(r));
      assert.equal(r.code, 3, show(r)); // the environment's failure (DESIGN.md), not the product's (1)
      assert.doesNotMatch(r.stdout, /Counterexample/, show(r));
      const stored = existsSync(store) ? JSON.parse(readFileSync(store, "utf8")) : { properties: {} };
      assert.deepEqual(Object.keys(stored.properties ?? {}), [], "nothing stored");
      assert.match(r.stdout + r.stderr, /staging/i, show(r));
    } finally {
      staging.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
}
