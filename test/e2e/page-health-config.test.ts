// End to end: config pageHealth fails every scenario whose page had an error or a failed request, at the step that caused it (a request answered after the step returned too), on both drivers; off, the same page passes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

describe("config pageHealth", () => {
  const dir = tempDir();
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/broken") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Shop</title><h1>Shop</h1><script>console.error("cart failed to load")</script><script src="/missing.js"></script>`,
        );
      }
      // A page whose Save button sends a request that fails half a second later, after the click has returned.
      if (req.url === "/spa") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Shop</title><h1>Shop</h1><button>Save</button><script>document.querySelector("button").onclick = () => fetch("/api/save", { method: "POST" });</script>`,
        );
      }
      // A sign-in refused on purpose: the app answers a wrong password 401, as good HTTP practice has it.
      if (req.url === "/login") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Shop</title><h1>Shop</h1><button>Sign in</button><p role="status"></p><script>document.querySelector("button").onclick = async () => { const r = await fetch("/api/login", { method: "POST" }); document.querySelector("p").textContent = r.status === 401 ? "Wrong password" : "Welcome"; };</script>`,
        );
      }
      if (req.url === "/api/login") {
        res.statusCode = 401;
        return res.end("wrong password");
      }
      if (req.url === "/api/save") {
        setTimeout(() => {
          res.statusCode = 500;
          res.end("internal error");
        }, 500);
        return;
      }
      // The base URL too: the run probes it before any scenario, and a 404 there is a wrong --base-url (exit 3).
      if (req.url === "/clean" || req.url === "/") {
        res.setHeader("content-type", "text/html");
        return res.end(`<!doctype html><title>Shop</title><h1>Shop</h1>`);
      }
      res.statusCode = 404;
      res.end("not found");
    });
    base = `${await listenLocal(server)}/`;
    mkdirSync(join(dir, "features"));
    writeFileSync(
      join(dir, "features", "shop.feature"),
      `Feature: Shop\n  Scenario: A broken page\n    Given I open "/broken"\n    Then I should see "Shop"\n\n  Scenario: A clean page\n    Given I open "/clean"\n    Then I should see "Shop"\n\n  Scenario: A click whose request fails later\n    Given I open "/spa"\n    When I click the "Save" button\n    Then I should see "Shop"\n\n  Scenario: A sign-in refused on purpose\n    Given I open "/login"\n    When I click the "Sign in" button\n    Then I should see "Wrong password"\n`,
    );
    writeFileSync(join(dir, "strict.yaml"), "pageHealth: { consoleErrors: true, failedRequests: true }\n");
    writeFileSync(join(dir, "server-errors.yaml"), "pageHealth: { failedRequests: server-errors }\n");
  });
  after(() => server.close());

  /** The features run against the server on both drivers with `config` (none: the defaults), into dir/`reports`. */
  const runWith = (reports: string, config?: string, targets = "pw-desktop,se-desktop") =>
    runSignoff([
      "run",
      join(dir, "features"),
      "--base-url",
      base,
      "--targets",
      targets,
      ...(config ? ["--config", join(dir, config)] : []),
      "--reports",
      join(dir, reports),
    ]);

  test("on: the broken page fails at the step that opened it, naming each problem; the clean page passes", async () => {
    const reports = join(dir, "strict");
    const r = await runWith("strict", "strict.yaml");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const t of ["pw-desktop", "se-desktop"]) {
      const res = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      const byName = Object.fromEntries(res.scenarios.map((s) => [s.name, s]));
      assert.equal(byName["A clean page"].status, "passed", t);
      assert.equal(byName["A broken page"].status, "failed", t);
      assert.match(
        byName["A broken page"].error ?? "",
        /expected no page problems \(config pageHealth\), the page had 2 during this step/,
        t,
      );
      assert.match(byName["A broken page"].error ?? "", /console error: .*cart failed to load/, t);
      assert.match(byName["A broken page"].error ?? "", /failed request: .*404.*\/missing\.js/, t);
      // The click's request fails after the click returned: the click is blamed, once the page settled.
      const late = byName["A click whose request fails later"];
      assert.equal(late.status, "failed", t);
      assert.equal(late.failedStep, 'I click the "Save" button', t);
      assert.match(late.error ?? "", /the page had 1 during this step:\n\s+failed request: 500 \S+\/api\/save/, t);
      const refused = byName["A sign-in refused on purpose"];
      assert.equal(refused.status, "failed", t);
      assert.match(refused.error ?? "", /failed request: 401 \S+\/api\/login/, t);
    }
  });

  test("server-errors: a 5xx fails the step that caused it; a 4xx (a refused sign-in, a missing script) does not", async () => {
    const reports = join(dir, "server-errors");
    const r = await runWith("server-errors", "server-errors.yaml");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const t of ["pw-desktop", "se-desktop"]) {
      const res = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      const status = Object.fromEntries(res.scenarios.map((s) => [s.name, s.status]));
      assert.deepEqual(
        status,
        {
          "A broken page": "passed",
          "A clean page": "passed",
          "A click whose request fails later": "failed",
          "A sign-in refused on purpose": "passed",
        },
        t,
      );
      const late = res.scenarios.find((s) => s.name === "A click whose request fails later")!;
      assert.equal(late.failedStep, 'I click the "Save" button', t);
      assert.match(late.error ?? "", /failed request: 500 \S+\/api\/save/, t);
    }
  });

  test("off (the default): the same pages pass", async () => {
    const r = await runWith("lenient", undefined, "pw-desktop");
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
