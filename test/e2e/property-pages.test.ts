// End to end: property steps against pages that fooled them (an adversarial review) — a sequence property whose action
// is hidden, a number the page's script fills in over a placeholder, a counter rendered by script, a request that
// crashes staging — each failing on the buggy page and passing on the correct one, on both drivers where a browser judges.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const HIDDEN = "test/fixtures/sequences/hidden-action.feature";
const DISABLED = "test/fixtures/sequences/disabled-action.feature";
const STUCK = "test/fixtures/sequences/stuck-action.feature";
const RARE = "test/fixtures/sequences/rare-action.feature";
const NEVER_DECREASE = "test/fixtures/sequences/never-decrease.feature";
const SCRIPT_COUNTER = "test/fixtures/properties/script-counter.feature";
const CRASHING = "test/fixtures/properties/crashing-request.feature";
const BOTH = "pw-desktop,se-desktop";

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/**
 * The pages, correct or `buggy`: /todo (buggy: its Add button hidden), /counter (a "0" placeholder its script
 * replaces after a slow request; buggy: the number goes down at every load), /spa-counter ("…" until its script's
 * request counts the load; buggy: every other load is not counted), /pager (three pages, "Previous" disabled on the
 * first and "Next" on the last, as MUI's pagination does; buggy: both always disabled; `?stuck`: "Previous" always
 * disabled).
 */
function pagesServer(buggy: boolean) {
  let shown = 1000;
  let hits = 0;
  const json = (res: import("node:http").ServerResponse, value: unknown, delayMs: number) => {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    setTimeout(() => res.end(JSON.stringify(value)), delayMs);
  };
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    const stuck = url.searchParams.has("stuck");
    if (path === "/api/count") return json(res, { count: buggy ? --shown : ++shown }, 300);
    if (path === "/api/hit") return json(res, { count: buggy ? Math.ceil(++hits / 2) : ++hits }, 150);
    const pages: Record<string, string> = {
      "/": page("Home", "<h1>Home</h1>"), // the staging probe's page
      "/todo": page(
        "To-do",
        `<label>New to-do <input id="t"></label><button id="a"${buggy ? " hidden" : ""}>Add</button>` +
          `<ul aria-label="To-dos" id="l"></ul>` +
          `<script>a.onclick=()=>{const li=document.createElement("li");li.textContent=t.value||"x";l.append(li)}</script>`,
      ),
      "/pager": page(
        "Pager",
        `<p role="status" aria-label="Page">Page <span id="n">1</span> of 3</p>` +
          `<button id="p" disabled>Previous</button><button id="x"${buggy ? " disabled" : ""}>Next</button>` +
          `<script>let i=1;const show=()=>{n.textContent=i;p.disabled=${buggy || stuck ? "true" : "i===1"};` +
          `x.disabled=${buggy ? "true" : "i===3"}};p.onclick=()=>{i--;show()};x.onclick=()=>{i++;show()}</script>`,
      ),
      "/counter": page(
        "Counter",
        `<p role="status" aria-label="Visitor count">Visitors: <span id="c">0</span></p>` +
          `<script>fetch("/api/count").then(r=>r.json()).then(j=>{c.textContent=j.count})</script>`,
      ),
      "/spa-counter": page(
        "Counter",
        `<p role="status" aria-label="Visitor count">You are visitor number <span id="c">…</span></p>` +
          `<script>fetch("/api/hit",{method:"POST"}).then(r=>r.json()).then(j=>{c.textContent=j.count})</script>`,
      ),
    };
    const html = pages[path];
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html ?? "not found");
  });
}

/** `signoff run feature` on `targets` against `server` (127.0.0.1), its own store and reports; all removed after. */
async function runOn(
  server: import("node:http").Server,
  feature: string,
  targets: string,
  judge: (r: CliResult, ctx: { store: string; reports: string; baseUrl: string }) => Promise<void> | void,
): Promise<void> {
  const work = tempDir("signoff-prop-pages-");
  const store = join(work, "counterexamples.json");
  const reports = join(work, "reports");
  try {
    const baseUrl = `${await listenLocal(server)}/`;
    const r = await runSignoff(["run", feature, "--targets", targets, "--base-url", baseUrl, "--reports", reports], {
      env: { SIGNOFF_COUNTEREXAMPLES: store },
      timeoutMs: 300_000,
    });
    await judge(r, { store, reports, baseUrl });
  } finally {
    server.close();
    server.closeAllConnections();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The property failed on both drivers for running no action in its 5 runs. */
function ranNoActionOnBoth(r: CliResult): void {
  // @runs:5: runs that ran no action are replaced up to 5 times; fast-check stops at the 6th (PropertySpec.counts).
  const said = r.stdout.match(/PropertyFailure: the sequence property ran no action in 6 run\(s\)/g) ?? [];
  assert.equal(said.length, 2, show(r));
  assert.doesNotMatch(r.stdout, /passed \d+ run\(s\)/, "a refused pass is not told as one");
}

const stored = (store: string) =>
  Object.values((existsSync(store) ? JSON.parse(readFileSync(store, "utf8")) : {}).properties ?? {}).flat();

describe("a sequence property whose action never runs", () => {
  test("its only action's button hidden: fails on both drivers, naming the action and that its button is hidden", async () => {
    await runOn(pagesServer(true), HIDDEN, BOTH, (r) => {
      assert.equal(r.code, 1, show(r));
      for (const t of ["pw-desktop", "se-desktop"])
        assert.match(r.stdout, new RegExp(`FAIL\\s+${t}\\s+0 passed, 1 failed`));
      ranNoActionOnBoth(r);
      assert.match(r.stdout, /I click the "Add" button: skipped, the button named "Add" is hidden/, show(r));
    });
  });

  test("the button shown: passes on both drivers, and the gate is told the runs that ran an action", async () => {
    await runOn(pagesServer(false), HIDDEN, BOTH, async (r, { reports }) => {
      assert.equal(r.code, 0, show(r));
      for (const t of ["pw-desktop", "se-desktop"]) {
        const res = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
        assert.deepEqual(
          res.scenarios.map((s) => s.propertyRuns),
          [5],
        );
      }
    });
  });
});

describe("a sequence property over controls the page disables where they do not apply", () => {
  test("a pager disabling Previous on page 1 and Next on page 3: passes on both drivers (acting on them failed it)", async () => {
    await runOn(pagesServer(false), DISABLED, BOTH, (r) => assert.equal(r.code, 0, show(r)));
  });

  test("Previous always disabled, Next working: passes on what ran, and says Previous never ran and why", async () => {
    await runOn(pagesServer(false), STUCK, "pw-desktop", async (r, { reports }) => {
      assert.equal(r.code, 0, show(r));
      assert.match(
        r.stdout,
        /Note: 1 action\(s\) never ran, so the property says nothing of them:\s+I click the "Previous" button: skipped, the button named "Previous" is disabled/,
        show(r),
      );
      // The runs whose every click was on Previous ran no action: each was replaced by another, so the 5 runs asked
      // for are 5 that ran one, the count the gate's properties.minRuns reads (QA12 F6: it read fewer, at random).
      const [s] = (await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"))).scenarios;
      assert.equal(s.propertyRuns, 5, show(r));
      assert.match(r.stdout, /passed 5 run\(s\), and [1-9]\d* that ran no action \(not counted\)/, show(r));
      assert.doesNotMatch(r.stdout, /of the 5 asked for/, show(r));
    });
  });

  test("one action in five applies: fewer runs than asked act even with replacements; they alone count, and a note says so", async () => {
    await runOn(pagesServer(false), RARE, "pw-desktop", async (r, { reports }) => {
      assert.equal(r.code, 0, show(r));
      const [s] = (await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"))).scenarios;
      const acted = s.propertyRuns;
      // @runs:5 with up to 5 replacements: the seed's 10 runs act in fewer than 5 (one action in five applies).
      assert.ok(acted !== undefined && acted > 0 && acted < 5, `${acted}\n${show(r)}`);
      assert.match(
        r.stdout,
        new RegExp(`passed ${acted} run\\(s\\), and [5-6] that ran no action \\(not counted\\)`),
        show(r),
      );
      assert.match(
        r.stdout,
        new RegExp(
          `Note: ${acted} run\\(s\\) ran an action, of the 5 asked for: .* only those ${acted} count toward the gate's ` +
            `properties\\.minRuns`,
        ),
        show(r),
      );
    });
  });

  test("both always disabled: fails on both drivers, naming each action and that its button is disabled", async () => {
    await runOn(pagesServer(true), DISABLED, BOTH, (r) => {
      assert.equal(r.code, 1, show(r));
      ranNoActionOnBoth(r);
      assert.match(
        r.stdout,
        /I click the "Previous" button: skipped, the button named "Previous" is disabled/,
        show(r),
      );
      assert.match(r.stdout, /I click the "Next" button: skipped, the button named "Next" is disabled/, show(r));
    });
  });
});

describe("the number in {element} should never decrease", () => {
  test('a number that goes down behind a "0" placeholder: fails on both drivers, the real numbers read', async () => {
    await runOn(pagesServer(true), NEVER_DECREASE, BOTH, (r) => {
      assert.equal(r.code, 1, show(r));
      for (const t of ["pw-desktop", "se-desktop"])
        assert.match(r.stdout, new RegExp(`FAIL\\s+${t}\\s+0 passed, 1 failed`));
      assert.match(r.stdout, /never to decrease: it showed 9\d\d, now 9\d\d/, show(r));
    });
  });

  test("a number that goes up behind the same placeholder: passes on both drivers", async () => {
    await runOn(pagesServer(false), NEVER_DECREASE, BOTH, (r) => assert.equal(r.code, 0, show(r)));
  });
});

describe("the page-load counting property on a counter the page's script renders", () => {
  test("a correct one passes on both drivers (it was read before its script filled it in)", async () => {
    await runOn(pagesServer(false), SCRIPT_COUNTER, BOTH, (r, { store }) => {
      assert.equal(r.code, 0, show(r));
      assert.deepEqual(stored(store), [], "nothing stored");
    });
  });

  test("one that misses every other load fails on both drivers with the loads not counted", async () => {
    await runOn(pagesServer(true), SCRIPT_COUNTER, BOTH, (r) => {
      assert.equal(r.code, 1, show(r));
      for (const t of ["pw-desktop", "se-desktop"])
        assert.match(r.stdout, new RegExp(`FAIL\\s+${t}\\s+0 passed, 1 failed`));
      assert.match(r.stdout, /page load\(s\) were not counted/, show(r));
    });
  });
});

describe("a request that crashes staging", () => {
  /** Staging whose process dies on a GET whose query has a "[": it stops answering, the port closed. */
  function crashingServer() {
    const server = createServer((req, res) => {
      if ((req.url ?? "").split("?")[1]?.includes("[")) {
        server.close();
        server.closeAllConnections();
        return void req.socket.destroy();
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page("ok", "<p>ok</p>"));
    });
    return server;
  }

  test("is the counterexample, printed with its replay and stored; shrinking stopped because staging then went away", async () => {
    await runOn(crashingServer(), CRASHING, "pw-desktop", (r, { store }) => {
      assert.equal(r.code, 1, show(r)); // the product failed (the request crashed it), not only the environment
      assert.match(r.stdout, /PropertyAssertionError: Property failed: /, show(r));
      const block = /Counterexample \((.*)\):\n\s+(.*)\n/.exec(r.stdout);
      assert.ok(block, show(r));
      assert.match(
        block[1],
        /shrinking stopped: the environment then failed, not the product \(staging error: ECONNREFUSED/,
      );
      assert.match(block[2], /^GET \/\?\S*\[/, "the crashing request, its query with a [");
      assert.match(
        r.stdout,
        /Replay exactly this case:\n\s+npx signoff run \S+ --targets pw-desktop --base-url \S+ --replay \S+/,
      );
      const [entry] = stored(store) as Array<{ shown: string }>;
      assert.ok(entry?.shown.startsWith(block[2]), `the counterexample shown is the one stored: ${entry?.shown}`);
    });
  });
});
