// End to end: what the typing property judges (both drivers): the field's own refusal, a field that takes nothing, and after a submit a 5xx, an uncaught exception, a slow or missing answer, a leak; never a route in a link or a page's constant text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const FEATURE = "test/fixtures/properties/typing-judgement.feature";
const CONFIG = "test/fixtures/properties/signoff.config.yaml";
const TARGETS = ["pw-desktop", "se-desktop"];
const work = tempDir("signoff-typing-judgement-e2e-");
const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const FOOTER = `<footer><a href="/help">Something went wrong? Report a problem</a></footer>`;
/** An always-present live region, empty until the page has something to say (1 px, as screen-reader-only text is). */
const LIVE = `<div role="alert" id="live" style="position:absolute;width:1px;height:1px;overflow:hidden"></div>`;

function form(q: URLSearchParams): string {
  const footer = q.has("footer") ? FOOTER : "";
  const action = `${q.get("to") ?? "/thanks"}${q.has("footer") ? "?footer" : ""}`;
  return page(
    "Feedback",
    `<form method="post" action="${action}"><label>Your name <input name="name"></label><button>Send</button></form>${footer}`,
  );
}

/** The pages after the form's submit, by path. */
const ANSWERS: Record<string, (q: URLSearchParams) => [number, string]> = {
  // Django's stock page for an unhandled exception (DEBUG off).
  "/server-error": () => [500, page("Server Error (500)", "<h1>Server Error (500)</h1><p></p>")],
  "/stack": () => [
    200,
    page("Thanks", "<p>Thanks!</p><pre>TypeError: x is undefined\n    at save (/srv/app/index.js:12:5)</pre>"),
  ],
  "/linked": () => [
    200,
    page("Thanks", `<p>Thanks! Your feedback is at <a href="/app/feedback/42">/app/feedback/42</a></p>`),
  ],
  "/thanks": (q) => [200, page("Thanks", `<p>Thanks!</p>${q.has("footer") ? FOOTER : ""}`)],
};

const PAGES: Record<string, (q: URLSearchParams) => string> = {
  "/": () => page("Home", "<p>hi</p>"),
  "/form": form,
  // Drops every character outside ASCII without a word; a required message still empty (:invalid) and an empty live
  // region on the same form. With ?says, it says so in the live region.
  "/strip": (q) =>
    page(
      "Feedback",
      `<form><label>Your name <input id="n"></label><label>Message <textarea required></textarea></label>${LIVE}</form>
<script>n.addEventListener("input", () => { const kept = n.value.replace(/[^\\x20-\\x7e]/g, "");
  if (kept !== n.value) { n.value = kept; ${q.has("says") ? `live.textContent = "Only Latin letters are kept";` : ""} } });</script>`,
    ),
  // A controlled field whose state is never updated: what is typed is put back to "" at once.
  "/dead": () =>
    page(
      "Feedback",
      `<form><label>Your name <input id="n"></label></form><script>const state = ""; n.addEventListener("input", () => { n.value = state; });</script>`,
    ),
  "/throws": () =>
    page(
      "Feedback",
      `<label>Your name <input id="n"></label><button id="b">Send</button><p id="out"></p>
<script>b.onclick = () => { throw new TypeError("the form broke"); };</script>`,
    ),
  // Posts by fetch; the answer comes after 2.6 s (longer than the settle rule's long-lived limit), or never.
  "/slow": (q) =>
    page(
      "Feedback",
      `<label>Your name <input id="n"></label><button id="b">Send</button><p id="out"></p>
<script>b.onclick = async () => { out.textContent = "Sending…";
  await fetch("/api/${q.has("never") ? "never" : "slow"}", { method: "POST", body: n.value });
  out.textContent = ${q.has("ok") ? `"Thanks!"` : `"Something went wrong"`}; };</script>`,
    ),
};

let server: Server;
let baseUrl = "";
before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const html = (status: number, body: string) =>
      res.writeHead(status, { "content-type": "text/html", "cache-control": "no-store" }).end(body);
    if (url.pathname === "/api/never") return; // left open: closed with the server
    if (url.pathname === "/api/slow") {
      const timer = setTimeout(() => res.writeHead(200).end("{}"), 2600);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    const answer = req.method === "POST" ? ANSWERS[url.pathname] : undefined;
    if (answer) return void html(...answer(url.searchParams));
    const get = req.method === "GET" ? PAGES[url.pathname] : undefined;
    if (get) return void html(200, get(url.searchParams));
    html(404, page("Not found", "<p>not found</p>"));
  });
  baseUrl = `${await listenLocal(server)}/`;
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(work, { recursive: true, force: true });
});

/** What each scenario's failure must say (a RegExp), or "passed". */
const EXPECTED: Record<string, RegExp | "passed"> = {
  "fails - a field that drops characters, on a form with another required field and an empty live region":
    /the field labelled "Your name" silently changed the text: typed .*, and nothing on the page says why/,
  "passes - the same field saying why in its live region": "passed",
  "fails - a field that takes no input":
    /the field labelled "Your name" silently changed the text: typed "\w+", it shows ""/,
  "fails - a submit answered by a stock 500 page":
    /after typing the text into the field labelled "Your name" and submitting, http:\/\/127\.0\.0\.1:\d+\/server-error answered 500/,
  "fails - a submit whose handler throws":
    /and submitting, the page's script threw an uncaught error: (TypeError: )?the form broke/,
  "fails - an error shown after a slow answer":
    /and submitting, the browser shows an error page \("something went wrong" in the page\)/,
  "passes - thanks shown after a slow answer": "passed",
  "fails - a submit never answered":
    /and submitting, the page still waited for POST http:\/\/127\.0\.0\.1:\d+\/api\/never after \d+ ms/,
  "fails - a thanks page with a stack trace": /the browser shows a page that shows .*\/srv\/app\/index\.js:12:5/,
  "passes - a thanks page linking to the entry by its route": "passed",
  "passes - a footer asking whether something went wrong, on every page": "passed",
};

test("the typing property fails each buggy form for its own reason and passes each correct one, on both drivers", async () => {
  const reports = join(work, "reports");
  const r = await runSignoff(
    ["run", FEATURE, "--targets", TARGETS.join(","), "--config", CONFIG, "--base-url", baseUrl, "--reports", reports],
    { env: { SIGNOFF_COUNTEREXAMPLES: join(work, "counterexamples.json") }, timeoutMs: 600_000 },
  );
  assert.equal(r.code, 1, show(r));
  for (const target of TARGETS) {
    const results = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
    const byName = Object.fromEntries(results.scenarios.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), Object.keys(EXPECTED).sort(), target);
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const got = byName[name];
      if (expected === "passed") assert.equal(got.status, "passed", `${target}: ${name}: ${got.error}`);
      else {
        assert.equal(got.status, "failed", `${target}: ${name}`);
        assert.match(got.error ?? "", expected, `${target}: ${name}`);
      }
    }
  }
});
