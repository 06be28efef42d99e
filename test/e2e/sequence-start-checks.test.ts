// End to end: a sequence property's checks before any action are its runs' start — one failing on the fresh visitor
// each run is (the cart a Given filled is gone) stops the property with a hint and stores nothing, on both drivers,
// while a check an action breaks is still a counterexample, shrunk and stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const FEATURE = "test/fixtures/sequences/fresh-start-checks.feature";
const TARGETS = ["pw-desktop", "se-desktop"];

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

const page = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cart</title></head><body>${body}</body></html>`;

/**
 * A shop whose cart is a cookie: /add puts one item in it and shows /cart; /cart shows the count, a "Look" button
 * that changes nothing and a "Remove" button that empties the cart.
 */
function cartServer() {
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const html = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
    if (path === "/add") {
      res.writeHead(302, { location: "/cart", "set-cookie": "cart=1; Path=/" });
      return void res.end();
    }
    if (path === "/cart") {
      const n = /(?:^|;\s*)cart=(\d+)/.exec(req.headers.cookie ?? "")?.[1] ?? "0";
      res.writeHead(200, html);
      return void res.end(
        page(
          `<p id="c">Items in cart: ${n}</p><p id="s"></p><button id="l">Look</button><button id="r">Remove</button>` +
            `<script>l.onclick=()=>{s.textContent="Looked"};` +
            `r.onclick=()=>{document.cookie="cart=0; Path=/";c.textContent="Items in cart: 0"}</script>`,
        ),
      );
    }
    res.writeHead(path === "/" ? 200 : 404, html);
    res.end(page("<h1>Shop</h1>"));
  });
}

test("a check failing before any action on a fresh visitor stops the property with the start-rows hint, stores nothing; one an action breaks is still a stored counterexample — on both drivers", async () => {
  const work = tempDir("signoff-seq-start-");
  const store = join(work, "counterexamples.json");
  const server = cartServer();
  try {
    const baseUrl = await listenLocal(server);
    const r = await runSignoff(
      ["run", FEATURE, "--targets", TARGETS.join(","), "--base-url", `${baseUrl}/`, "--reports", join(work, "reports")],
      { env: { SIGNOFF_COUNTEREXAMPLES: store }, timeoutMs: 300_000 },
    );
    assert.equal(r.code, 1, show(r));
    for (const t of TARGETS) assert.match(r.stdout, new RegExp(`FAIL\\s+${t}\\s+0 passed, 2 failed`), show(r));

    // The fresh visitor's cart: the check's own failure, the hint, the runner's "no counterexample" — once per driver.
    const url = `${baseUrl}/cart`.replace(/[.]/g, "\\.");
    const startFailures =
      r.stdout.match(
        new RegExp(
          `\\w*AssertionError: before any action: "I should see "Items in cart: 1"" failed: .*Items in cart: 0.* — ` +
            `each run starts from a fresh browser at ${url}: the scenario's earlier steps are not repeated in a run; ` +
            "put those the checks need in `start` rows \\(.*steps\\.md\\) — the property stopped at its first run's " +
            "start, before the run used its value \\(no counterexample; nothing shrunk or stored\\)",
          "g",
        ),
      ) ?? [];
    assert.equal(startFailures.length, TARGETS.length, show(r));

    // The action that empties the cart: a counterexample of one action, one per driver, each stored.
    const blocks = [...r.stdout.matchAll(/Counterexample \(.*\):\n([\s\S]*?)\n\s+Failure:/g)].map((m) =>
      m[1].replace(/^\s+/gm, "").trim(),
    );
    assert.equal(blocks.length, TARGETS.length, show(r));
    for (const b of blocks)
      assert.equal(
        b,
        'Given I open "/add"\nWhen I click the "Remove" button\nThen I should see "Items in cart: 1"',
        show(r),
      );
    const properties = (existsSync(store) ? JSON.parse(readFileSync(store, "utf8")) : {}).properties ?? {};
    assert.deepEqual(
      Object.keys(properties).map((k) => k.split(" › ")[1]),
      ["The same check, the cart filled by a start row, broken by an action"],
      "only the action's counterexample is stored",
    );
  } finally {
    server.close();
    server.closeAllConnections();
    rmSync(work, { recursive: true, force: true });
  }
});
