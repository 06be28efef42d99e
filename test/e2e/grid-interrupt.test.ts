// Ctrl+C while the runner's remote probe opens its Grid session: exit 130, one line, and no session left on a real Grid.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startPageServer, type PageServer } from "../conformance/server";
import { startSignoff, tempDir } from "../helpers/cli";
import { gridSessionCount, startGrid, type Grid } from "../helpers/grid";
import { killLeftovers, leftovers, MARK_VAR, newMark } from "../helpers/processes";

const gridMark = newMark();
let grid: Grid;
let pages: PageServer;

before(async () => {
  pages = await startPageServer();
  grid = await startGrid(gridMark);
});

after(async () => {
  await grid?.stop();
  await pages?.close();
  assert.deepEqual(await killLeftovers(gridMark), [], "nothing the Grid started is left");
});

/**
 * A pass-through proxy in front of the Grid that holds the Grid's answer to the new-session request until
 * `release`: the session exists on the Grid while the client still waits for it, the window the test interrupts.
 */
async function holdingProxy(target: string): Promise<{
  url: string;
  created: Promise<string>;
  release: () => void;
  requests: string[];
  close: () => Promise<void>;
}> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let created!: (sessionId: string) => void;
  const createdP = new Promise<string>((r) => (created = r));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          const body = Buffer.concat(chunks);
          const send = () => {
            res.writeHead(answer.statusCode ?? 502, { "content-type": "application/json; charset=utf-8" });
            res.end(body);
          };
          if (req.method === "POST" && req.url === "/session") {
            created(JSON.parse(body.toString("utf8")).value.sessionId);
            void released.then(send);
          } else send();
        });
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    created: createdP,
    release,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** The Grid's session count once it settles at zero, or what it still holds after a while. */
async function sessionsLeft(url: string): Promise<number> {
  let count = await gridSessionCount(url);
  for (let i = 0; i < 50 && count > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    count = await gridSessionCount(url);
  }
  return count;
}

test("Ctrl+C while the probe's Grid session is being opened: the session is quit, exit 130, one line", async () => {
  const proxy = await holdingProxy(grid.url);
  const dir = tempDir("signoff-grid-interrupt-");
  mkdirSync(join(dir, "features"));
  writeFileSync(
    join(dir, "features", "a.feature"),
    'Feature: A\n  Scenario: S\n    Given I open "/"\n    Then I should see "hello"\n',
  );
  writeFileSync(
    join(dir, "signoff.config.yaml"),
    `targets:\n  grid-desktop: { driver: selenium, device: Desktop Chrome, remote: "${proxy.url}" }\n`,
  );
  const reports = join(dir, "reports");
  const mark = newMark();
  try {
    const run = startSignoff(["run", "--targets", "grid-desktop", "--base-url", pages.origin, "--reports", reports], {
      cwd: dir,
      env: { [MARK_VAR]: mark },
    });
    const sessionId = await proxy.created;
    assert.equal(await gridSessionCount(grid.url), 1, "the probe's session is open on the Grid");
    run.child.kill("SIGINT");
    // The runner has taken the signal (run.json says so) before the session reaches it: it must still quit it.
    const manifestPath = join(reports, "run.json");
    const interrupted = () => existsSync(manifestPath) && readFileSync(manifestPath, "utf8").includes('"interrupted"');
    for (let i = 0; i < 600 && !interrupted(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(interrupted(), "run.json records the interrupt");
    proxy.release();
    const r = await run.done;
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.equal(r.stderr, `signoff: SIGINT received: stopped before any target ran; ${manifestPath} says so\n`);
    assert.ok(proxy.requests.includes(`DELETE /session/${sessionId}`), proxy.requests.join("\n"));
    assert.equal(await sessionsLeft(grid.url), 0, "no session left on the Grid");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    assert.equal(manifest.complete, false);
    assert.equal(manifest.interrupted.signal, "SIGINT");
    assert.deepEqual(await leftovers(mark), [], "no Cucumber process left");
  } finally {
    proxy.release();
    await proxy.close();
  }
});
