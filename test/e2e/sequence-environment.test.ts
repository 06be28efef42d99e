// End to end: inside a sequence property, staging going away stops it as the environment's failure (no counterexample, no
// shrinking), while a page that answers 500 for some input is a counterexample, a product failure — on both drivers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";

const GONE = "test/fixtures/sequences/staging-gone.feature";
const SERVER_ERROR = "test/fixtures/sequences/server-error.feature";
/** The action's page load that finds staging gone: the first ones pass, so the property is under way. */
const FATAL_LOAD = 2;
/** Item pages from this number up answer 500 (the bug a generated input finds). */
const FIRST_BAD_ITEM = 7;

const PAGE = "<!DOCTYPE html><title>Hello</title><h1>Hello</h1>";

async function listen(server: Server): Promise<{ baseUrl: string; stop(): void }> {
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

/**
 * A staging that goes away while it is asked for the action's page the FATAL_LOAD-th time (a deploy that took it
 * down mid-run): that request gets no answer and the port closes. Only an action loads "/?from=action", so the
 * failure comes inside an action, where a product failure would be a counterexample.
 */
function dyingStaging(): Promise<{ baseUrl: string; stop(): void }> {
  let actionLoads = 0;
  const server = createServer((req, res) => {
    if (req.url === "/?from=action" && ++actionLoads === FATAL_LOAD) {
      server.close();
      server.closeAllConnections();
      return void req.socket.destroy();
    }
    res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
    res.end(PAGE);
  });
  return listen(server);
}

/** A staging whose item pages from FIRST_BAD_ITEM up answer 500; every other page is fine. */
function failingItems(): Promise<{ baseUrl: string; stop(): void }> {
  const server = createServer((req, res) => {
    const item = /^\/item\/(\d+)$/.exec(req.url ?? "");
    if (item && Number(item[1]) >= FIRST_BAD_ITEM) {
      res.writeHead(500, { "content-type": "text/plain" });
      return void res.end("Internal Server Error");
    }
    res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
    res.end(PAGE);
  });
  return listen(server);
}

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

function storedKeys(store: string): string[] {
  return Object.keys((existsSync(store) ? JSON.parse(readFileSync(store, "utf8")) : {}).properties ?? {});
}

/** `signoff run FEATURE` on one target against `staging` with a counterexample store of its own; both removed after. */
async function runAgainst(
  staging: { baseUrl: string; stop(): void },
  feature: string,
  target: string,
  judge: (r: CliResult, store: string, staging: { baseUrl: string }) => void,
): Promise<void> {
  const work = tempDir("signoff-seq-");
  const store = join(work, "counterexamples.json");
  try {
    const r = await runSignoff(
      ["run", feature, "--targets", target, "--base-url", staging.baseUrl, "--reports", join(work, "reports")],
      { env: { SIGNOFF_COUNTEREXAMPLES: store }, timeoutMs: 300_000 },
    );
    judge(r, store, staging);
  } finally {
    staging.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

for (const target of ["pw-desktop", "se-desktop"]) {
  test(`${target}: staging gone mid-sequence stops the property as an environment failure — one line, nothing shrunk or stored`, async () => {
    await runAgainst(await dyingStaging(), GONE, target, (r, store, staging) => {
      assert.equal(r.code, 3, show(r)); // the environment's failure (DESIGN.md), not the product's (1)
      assert.doesNotMatch(r.stdout, /Counterexample|PropertyAssertionError|property failed/, show(r));
      // The failure is the load that found staging gone, inside its action: the property stopped there, so no
      // shrinking run reached the start page's load (which would fail refused, naming "/").
      const url = staging.baseUrl.replace(/[.]/g, "\\.");
      assert.match(
        r.stdout,
        new RegExp(
          `^\\s+StagingError: staging error: ERR_[A-Z_]+ loading ${url}\\?from=action \\(action \\d: "I open "/\\?from=action""\\) ` +
            `— the property stopped after \\d+ passing run\\(s\\): the environment failed, not the product ` +
            `\\(no counterexample; nothing shrunk or stored\\)$`,
          "m",
        ),
        show(r),
      );
      assert.deepEqual(storedKeys(store), [], "nothing stored");
      assert.match(r.stderr, /staging went away during the run/, show(r));
    });
  });

  test(`${target}: a page answering 500 for a generated input is a counterexample, a product failure, shrunk to the first bad input`, async () => {
    await runAgainst(await failingItems(), SERVER_ERROR, target, (r, store) => {
      assert.equal(r.code, 1, show(r)); // the product's failure, not the environment's (3)
      assert.match(r.stdout, /PropertyAssertionError: Property failed: /, show(r));
      const block = /Counterexample \(.*\):\n([\s\S]*?)\n\s+Failure:/.exec(r.stdout);
      assert.ok(block, show(r));
      assert.deepEqual(
        block[1].replace(/^\s+/gm, "").trim().split("\n"),
        ['Given I open "/"', `When I open "/item/${FIRST_BAD_ITEM}"`],
        show(r),
      );
      assert.match(
        r.stdout,
        new RegExp(
          `action 1: "I open "/item/${FIRST_BAD_ITEM}"" failed: staging error: GET \\S+/item/${FIRST_BAD_ITEM} answered 500`,
        ),
        show(r),
      );
      assert.equal(storedKeys(store).length, 1, "the counterexample is stored for replay");
      assert.doesNotMatch(r.stderr, /staging went away/, show(r));
    });
  });
}
