// Starting the bundled app (or any app script) for a run, and probing staging before any scenario.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../../src/core/errors";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BUNDLED_APP, probeStaging, stagingGone, startApp } from "../../src/runner/staging";

const dir = mkdtempSync(join(tmpdir(), "signoff-staging-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the bundled app starts on a free 127.0.0.1 port, answers the probe, and stop() ends it", async () => {
  const app = await startApp(BUNDLED_APP);
  try {
    assert.match(app.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    await probeStaging(app.baseUrl);
  } finally {
    await app.stop();
  }
  assert.ok(app.process.exitCode !== null || app.process.signalCode !== null, "the app process has ended");
  await assert.rejects(probeStaging(app.baseUrl, 2000), EnvironmentError);
  await app.stop(); // twice is fine
});

test("an app that exits before listening is an environment error with its stderr", async () => {
  const script = join(dir, "dies.js");
  writeFileSync(script, 'console.error("port in use"); process.exit(4);\n');
  await assert.rejects(
    startApp(script),
    (err: unknown) =>
      err instanceof EnvironmentError && /exited with 4 before listening: port in use/.test((err as Error).message),
  );
});

test("stagingGone: the connection error's code when nothing listens; undefined while staging answers, even a 500", async () => {
  const server = createServer((_req, res) => res.writeHead(500).end("broken"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    assert.equal(await stagingGone(url), undefined);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await stagingGone(url), "ECONNREFUSED");
});
