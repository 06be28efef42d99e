// End to end: the typing property judges the page after a submit once it settled, so an error an answer or a timer shows later is seen (both drivers).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const FEATURE = "test/fixtures/properties/late-error.feature";
const CONFIG = "test/fixtures/properties/signoff.config.yaml";
const TARGETS = ["pw-desktop", "se-desktop"];
const work = tempDir("signoff-late-error-e2e-");
const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** A comment form that posts by script and shows the outcome once its request (or a timer) is done. */
const FORM = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Comments</title></head><body>
<h1>Comments</h1>
<form><label>Comment <input name="comment"></label><button>Post</button></form>
<div id="outcome"></div>
<script>
const q = new URLSearchParams(location.search);
const show = (text) => { document.getElementById("outcome").innerHTML = "<h2>" + text + "</h2>"; };
const outcome = q.has("ok") ? "Thank you" : "Something went wrong";
document.querySelector("form").onsubmit = async (e) => {
  e.preventDefault();
  if (q.get("after") === "timer") return void setTimeout(() => show(outcome), 500);
  await fetch("/api/slow", { method: "POST" });
  show(outcome);
};
</script></body></html>`;

let server: Server;
let baseUrl = "";
before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/api/slow") {
      const timer = setTimeout(() => res.writeHead(204).end(), 600);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    // "/" too: the run's probe of staging asks for it.
    if (path !== "/comment" && path !== "/") return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" }).end(FORM);
  });
  baseUrl = `${await listenLocal(server)}/`;
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(work, { recursive: true, force: true });
});

test("an error shown 600 ms after the submit (an answer, a timer) fails the typing property; a form that answers well passes", async () => {
  const reports = join(work, "reports");
  const r = await runSignoff(
    ["run", FEATURE, "--targets", TARGETS.join(","), "--config", CONFIG, "--base-url", baseUrl, "--reports", reports],
    { env: { SIGNOFF_COUNTEREXAMPLES: join(work, "counterexamples.json") }, timeoutMs: 300_000 },
  );
  assert.equal(r.code, 1, show(r));
  for (const target of TARGETS) {
    const results = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
    const byName = Object.fromEntries(results.scenarios.map((s) => [s.name, s]));
    for (const name of [
      "The error an answer shows 600 ms after the submit",
      "The error a timer shows 500 ms after the submit",
    ]) {
      assert.equal(byName[name]?.status, "failed", `${target}: ${name}`);
      assert.match(
        byName[name].error ?? "",
        /after typing the text into the field labelled "Comment" and submitting, the browser shows an error page \("something went wrong" in the page\)/,
        `${target}: ${name}`,
      );
    }
    const well = byName["A form that answers well after the same wait"];
    assert.equal(well?.status, "passed", `${target}: ${well?.error}`);
  }
});
