// End to end: a staging behind basic auth and a bypass header, on both drivers; the headers reach staging's origin only, from its own pages only, and are written nowhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir } from "../helpers/cli";

const BYPASS = "bypass-7f3a9c1e5d2b8a6f4e0d9c7b";
const USER = "qa-robot";
const PASSWORD = "pw-91b2c3d4e5f60718293a4b5c";
const TOKEN = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
const SECRETS = [BYPASS, PASSWORD, TOKEN];
const ENV = { STAGING_BYPASS: BYPASS, STAGING_USER: USER, STAGING_PASSWORD: PASSWORD };

interface Seen {
  path: string;
  bypass?: string;
  authorization?: string;
  /** The status the server answered with, once it has. */
  status?: number;
}

const seen = (req: IncomingMessage): Seen => ({
  path: req.url ?? "",
  bypass: req.headers["x-staging-bypass"] as string | undefined,
  authorization: req.headers.authorization,
});

/** A 1×1 PNG: an image staging serves loads, a refused one fails (img.onload / onerror tell the page apart). */
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/**
 * What a page of another origin (or an iframe of one inside staging) asks staging for, by its own script, a
 * `<script src>`, an `<img>`, its worker, and an about:blank frame it navigated, and what a staging page served with
 * `Content-Security-Policy: sandbox` (an opaque origin, which Chromium reports as staging's) fetches: staging must see
 * each without the headers and refuse it.
 */
const ASKED_BY_ANOTHER_ORIGIN = [
  "/from-other-page",
  "/from-other-script.js",
  "/from-other-img.png",
  "/from-other-frame",
  "/from-other-worker",
  "/from-blank-sibling",
  "/from-sandboxed",
];

/** Every file under `dir`, and every entry of each zip among them (a kept Playwright trace), as bytes. */
function everyFile(dir: string): Array<{ name: string; bytes: Buffer }> {
  const out: Array<{ name: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    out.push({ name, bytes });
    if (bytes.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"))) {
      const unzipped = tempDir("signoff-unzipped-");
      execFileSync("unzip", ["-q", "-o", path, "-d", unzipped]);
      for (const inner of everyFile(unzipped)) out.push({ name: `${name}!${inner.name}`, bytes: inner.bytes });
    }
  }
  return out;
}

describe("stagingAccess: a staging behind basic auth and a bypass header", () => {
  const dir = tempDir();
  let staging: Server;
  let other: Server;
  let base = "";
  let otherOrigin = "";
  const toStaging: Seen[] = [];
  const toOther: Seen[] = [];

  before(async () => {
    // Another origin the page loads from: a script, a frame, a beacon, and where a link redirects. Records every request.
    other = createServer((req, res) => {
      toOther.push(seen(req));
      res.setHeader("access-control-allow-origin", "*");
      if (req.url === "/pixel.js") {
        res.setHeader("content-type", "text/javascript");
        return res.end("window.pixelLoaded = true;");
      }
      // Its worker asks staging from another origin too, and tells the frame that started it what staging said.
      if (req.url === "/other-worker.js") {
        res.setHeader("content-type", "text/javascript");
        return res.end(
          `fetch("${base}from-other-worker", { credentials: "include" }).then((r) => postMessage(r.status), () => postMessage("failed"));`,
        );
      }
      res.setHeader("content-type", "text/html");
      // A page of another origin the scenario visits (a login provider, a payment page): its own script, a script
      // and an image of staging's, and a link back to staging (through a redirect within staging).
      if (req.url === "/visitor")
        return res.end(
          `<!doctype html><title>Visitor</title><h1>Another origin</h1>` +
            `<p id="fetch">fetch: waiting</p><p id="script">script: waiting</p><p id="img">image: waiting</p>` +
            `<script>const show = (id, text) => (document.getElementById(id).textContent = text);` +
            `fetch("${base}from-other-page", { credentials: "include" }).then((r) => show("fetch", "staging answered the other page: " + r.status), (e) => show("fetch", "fetch failed: " + e.message));</script>` +
            `<script src="${base}from-other-script.js" onload="show('script', 'staging sent the script')" onerror="show('script', 'staging refused the script')"></script>` +
            `<img src="${base}from-other-img.png" onload="show('img', 'staging sent the image')" onerror="show('img', 'staging refused the image')">` +
            `<p><a href="${base}hop">Back to staging</a></p>`,
        );
      // An iframe of another origin inside a staging page: it asks staging itself, from its worker, and from its
      // sibling frame once it has navigated that frame to about:blank (a document of its origin under staging's page).
      if (req.url === "/inner")
        return res.end(
          `<!doctype html><script>` +
            `const tell = (what, p) => p.then((r) => parent.postMessage(what + ": " + r.status, "*"), () => parent.postMessage(what + ": failed", "*"));` +
            `tell("frame of another origin", fetch("${base}from-other-frame", { credentials: "include" }));` +
            `new Worker("/other-worker.js").onmessage = (e) => parent.postMessage("the other frame's worker: " + e.data, "*");` +
            // The page's fourth frame (its frames in document order); named access across origins is not needed.
            `const sibling = () => parent.frames[3];` +
            `const at = (url) => { try { return sibling().location.href.endsWith(url); } catch { return false; } };` +
            `const when = (ok, then) => (ok() ? then() : setTimeout(() => when(ok, then), 20));` +
            `when(() => at("/sibling"), () => { sibling().location.href = "about:blank";` +
            ` when(() => at("about:blank") && sibling().document.readyState === "complete", () =>` +
            ` tell("its about:blank sibling", sibling().fetch("${base}from-blank-sibling", { credentials: "include" }))); });` +
            `</script>`,
        );
      res.end(`<!doctype html><title>Elsewhere</title><h1>Landed elsewhere</h1>`);
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;

    staging = createServer((req, res) => {
      const s = seen(req);
      toStaging.push(s);
      res.on("finish", () => (s.status = res.statusCode));
      // What the sandboxed page fetches, any origin may read (as an app's public API would): only refusing it keeps
      // the answer from that page.
      if (req.url === "/from-sandboxed") res.setHeader("access-control-allow-origin", "*");
      // Staging lets the other origin read its answers, credentials and all: what makes a request with the headers from
      // a page of that origin a leak. Its pages must therefore see staging refuse them.
      if (req.headers.origin === otherOrigin) {
        res.setHeader("access-control-allow-origin", otherOrigin);
        res.setHeader("access-control-allow-credentials", "true");
      }
      if (s.bypass !== BYPASS || s.authorization !== `Basic ${TOKEN}`) {
        res.statusCode = 401;
        return res.end("access denied");
      }
      if (req.url === "/api/data") {
        res.setHeader("content-type", "application/json");
        return res.end('{"ok":true}');
      }
      if (req.url === "/go-away") {
        res.writeHead(302, { location: `${otherOrigin}/landed` });
        return res.end();
      }
      if (req.url === "/hop") {
        res.writeHead(302, { location: "/arrived" });
        return res.end();
      }
      if (req.url === "/from-other-img.png") {
        res.setHeader("content-type", "image/png");
        return res.end(PIXEL);
      }
      if (req.url?.endsWith(".js")) {
        res.setHeader("content-type", "text/javascript");
        if (req.url === "/arrived.js")
          return res.end(
            `const show = (id, text) => (document.getElementById(id).textContent = text);` +
              `fetch("/from-arrived-fetch").then((r) => show("fetch", "arrived fetch: " + r.status));` +
              `const xhr = new XMLHttpRequest(); xhr.open("GET", "/from-arrived-xhr");` +
              `xhr.onload = () => show("xhr", "arrived xhr: " + xhr.status); xhr.send();`,
          );
        if (req.url === "/worker.js")
          return res.end(`fetch("/from-worker").then((r) => postMessage(r.status), () => postMessage("failed"));`);
        return res.end("window.stagingScriptLoaded = true;");
      }
      if (req.url?.startsWith("/from-")) {
        res.setHeader("content-type", "text/plain");
        return res.end("for staging's own pages");
      }
      const apiCall = `<p id="api">api: waiting</p><script>fetch("/api/data").then((r) => (document.getElementById("api").textContent = "api: " + (r.ok ? "ok" : r.status)));</script>`;
      if (req.url === "/") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Staging</title><h1>Staging home</h1>${apiCall}` +
            `<a href="/report" target="_blank">Open the report</a>` +
            `<script src="${otherOrigin}/pixel.js"></script><iframe src="${otherOrigin}/frame"></iframe>` +
            `<script>fetch("${otherOrigin}/beacon", { method: "POST", body: "x" }).catch(() => undefined);</script>`,
        );
      }
      if (req.url === "/report") {
        res.setHeader("content-type", "text/html");
        return res.end(`<!doctype html><title>Report</title><h1>Report tab</h1>${apiCall}`);
      }
      if (req.url === "/arrived") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Arrived</title><h1>Arrived on staging</h1>` +
            `<p id="fetch">arrived fetch: waiting</p><p id="xhr">arrived xhr: waiting</p><script src="/arrived.js"></script>`,
        );
      }
      // A staging page with frames of its own (a page of staging's, a srcdoc), a worker, and an iframe of another
      // origin beside a second one that the first navigates to about:blank. Each tells the page what staging said.
      if (req.url === "/framed") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><title>Framed</title><h1>Framed</h1><ul id="said"></ul>` +
            // A function declaration, so the frames reach it as parent.said.
            `<script>function said(text) { const li = document.createElement("li"); li.textContent = text; document.getElementById("said").append(li); }` +
            `addEventListener("message", (e) => said(e.data));` +
            `new Worker("/worker.js").onmessage = (e) => said("staging's worker: " + e.data);</script>` +
            `<iframe src="/same-frame"></iframe>` +
            `<iframe srcdoc="<script>fetch('/from-srcdoc').then((r) => parent.said('srcdoc frame: ' + r.status))</script>"></iframe>` +
            `<iframe src="${otherOrigin}/inner"></iframe><iframe src="${otherOrigin}/sibling"></iframe>`,
        );
      }
      // A staging page served sandboxed, as apps serve user uploads: its origin is opaque, its fetch says `Origin: null`.
      if (req.url === "/sandboxed") {
        res.setHeader("content-type", "text/html");
        res.setHeader("content-security-policy", "sandbox allow-scripts");
        return res.end(
          `<!doctype html><title>Upload</title><h1>A user's upload</h1><p id="read">sandboxed page: waiting</p>` +
            `<script>fetch("/from-sandboxed").then((r) => r.text().then((t) => "sandboxed page: " + r.status + " " + t), (e) => "sandboxed page: failed " + e.message)` +
            `.then((text) => (document.getElementById("read").textContent = text));</script>`,
        );
      }
      if (req.url === "/same-frame") {
        res.setHeader("content-type", "text/html");
        return res.end(
          `<!doctype html><script>fetch("/from-same-frame").then((r) => parent.said("same-origin frame: " + r.status));</script>`,
        );
      }
      res.statusCode = 404;
      res.end("not found");
    });
    await new Promise<void>((r) => staging.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(staging.address() as AddressInfo).port}/`;

    mkdirSync(join(dir, "features"));
    writeFileSync(
      join(dir, "features", "access.feature"),
      [
        "Feature: Staging behind access control",
        "  Scenario: Pages and the page's own requests reach staging",
        '    Given I open "/"',
        '    Then I should see "Staging home"',
        '    And I should see "api: ok"',
        '    When 2 visitors open "/" at once',
        "",
        "  Scenario: A redirect to another origin does not take the headers along",
        '    Given I open "/go-away"',
        '    Then I should see "Landed elsewhere"',
        "",
        "  Scenario: A tab the page opens reaches staging too",
        '    Given I open "/"',
        '    When I click the "Open the report" link',
        "    And I switch to the new tab",
        '    Then I should see "Report tab"',
        '    And I should see "api: ok"',
        "",
        "  Scenario: A page of another origin cannot make the browser send them; a link from it back to staging does",
        `    Given I open "${otherOrigin}/visitor"`,
        '    Then I should see "staging answered the other page: 401"',
        '    And I should see "staging refused the script"',
        '    And I should see "staging refused the image"',
        '    When I click the "Back to staging" link',
        '    Then I should see "Arrived on staging"',
        '    And I should see "arrived fetch: 200"',
        '    And I should see "arrived xhr: 200"',
        "",
        "  Scenario: Staging's own frames and worker reach staging; an iframe of another origin inside it does not",
        '    Given I open "/framed"',
        '    Then I should see "same-origin frame: 200"',
        '    And I should see "srcdoc frame: 200"',
        `    And I should see "staging's worker: 200"`,
        '    And I should see "frame of another origin: 401"',
        `    And I should see "the other frame's worker: 401"`,
        '    And I should see "its about:blank sibling: 401"',
        "",
        "  Scenario: A staging page served sandboxed cannot read staging with them",
        '    Given I open "/sandboxed"',
        `    Then I should see "A user's upload"`,
        '    And I should see "sandboxed page: 401 access denied"',
        `    And I should not see "for staging's own pages"`,
        "",
        "  Scenario: A failure keeps its evidence",
        '    Given I open "/"',
        '    When I click the "Open the report" link',
        "    And I switch to the new tab",
        '    Then I should see "something staging never shows"',
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "signoff.config.yaml"),
      [
        "stagingAccess:",
        "  headers:",
        "    x-staging-bypass: { env: STAGING_BYPASS }",
        "  basicAuth: { username: { env: STAGING_USER }, password: { env: STAGING_PASSWORD } }",
        "timeouts: { actionMs: 3000 }",
        "",
      ].join("\n"),
    );
  });
  after(() => {
    staging.close();
    other.close();
  });

  const run = (reports: string, env: NodeJS.ProcessEnv) =>
    runSignoff(
      [
        "run",
        join(dir, "features"),
        "--base-url",
        base,
        "--targets",
        "pw-desktop,se-desktop",
        "--config",
        join(dir, "signoff.config.yaml"),
        "--reports",
        reports,
      ],
      { env },
    );

  test("pages, the page's fetch and the runner's probes carry the headers; the other origin never gets them; no secret is written", async () => {
    const reports = join(dir, "reports");
    const r = await run(reports, ENV);
    assert.equal(r.code, 1, r.stdout + r.stderr); // the deliberate failure, and only it
    for (const t of ["pw-desktop", "se-desktop"]) {
      const res = await readMessagesFile(join(reports, "messages", `${t}.ndjson`));
      const byName = Object.fromEntries(res.scenarios.map((s) => [s.name, s]));
      assert.equal(byName["Pages and the page's own requests reach staging"].status, "passed", `${t}: ${r.stdout}`);
      assert.equal(byName["A redirect to another origin does not take the headers along"].status, "passed", t);
      assert.equal(byName["A tab the page opens reaches staging too"].status, "passed", t);
      for (const name of [
        "A page of another origin cannot make the browser send them; a link from it back to staging does",
        "Staging's own frames and worker reach staging; an iframe of another origin inside it does not",
        "A staging page served sandboxed cannot read staging with them",
      ])
        assert.equal(byName[name].status, "passed", `${t}: ${name}: ${r.stdout}`);
      assert.equal(byName["A failure keeps its evidence"].status, "failed", t);
    }

    // Staging saw every kind of request of its own, each with both headers: the probe, the build endpoint, pages (one
    // reached by a link on another origin's page, through a redirect), their scripts, fetch and XHR, a frame of staging's
    // and a srcdoc frame, a worker's script and its fetch, visitors, a new tab. The one exception: Playwright reports a
    // new tab only once its first document came, requested before the tab could intercept; staging refused it and the
    // tab loaded it again. Selenium holds the tab until it intercepts.
    const paths = new Set(toStaging.map((s) => s.path));
    for (const p of [
      "/",
      "/__build",
      "/api/data",
      "/go-away",
      "/report",
      "/hop",
      "/arrived",
      "/arrived.js",
      "/from-arrived-fetch",
      "/from-arrived-xhr",
      "/framed",
      "/same-frame",
      "/from-same-frame",
      "/from-srcdoc",
      "/worker.js",
      "/from-worker",
      "/sandboxed",
    ])
      assert.ok(paths.has(p), `staging never saw ${p}`);
    const refused = toStaging.filter((s) => s.bypass !== BYPASS || s.authorization !== `Basic ${TOKEN}`);
    assert.deepEqual(
      refused.map((s) => s.path).filter((p) => p !== "/favicon.ico" && !ASKED_BY_ANOTHER_ORIGIN.includes(p)),
      ["/report", "/report"],
      "every request to staging carries the headers but the first of each new tab on Playwright (two scenarios open one)",
    );

    // What a page or frame of another origin asked staging for (each driver once at least) came without a header, and
    // staging refused it.
    for (const p of ASKED_BY_ANOTHER_ORIGIN) {
      const asked = toStaging.filter((s) => s.path === p);
      assert.ok(asked.length >= 2, `staging saw ${p} ${asked.length} times, not from both drivers`);
      assert.deepEqual(
        asked.filter((s) => s.bypass !== undefined || s.authorization !== undefined || s.status !== 401),
        [],
        `${p}: asked by another origin, it must come without staging's headers and be refused`,
      );
    }

    // The other origin got the script, the frame, the beacon and the redirect's target, never a header.
    const otherPaths = new Set(toOther.map((s) => s.path));
    for (const p of ["/pixel.js", "/frame", "/beacon", "/landed"]) assert.ok(otherPaths.has(p), `other origin: ${p}`);
    assert.deepEqual(
      toOther.filter((s) => s.bypass !== undefined || s.authorization !== undefined),
      [],
      "the other origin never gets staging's headers",
    );

    // Nothing the run wrote or printed holds a secret, a kept trace (unzipped) included.
    const files = everyFile(reports);
    assert.ok(
      files.some((f) => f.name.includes("!") && f.name.endsWith(".trace")),
      "the failing Playwright scenario kept a trace",
    );
    for (const { name, bytes } of [...files, { name: "(terminal)", bytes: Buffer.from(r.stdout + r.stderr) }])
      for (const secret of SECRETS) assert.ok(!bytes.includes(secret), `${name} holds a secret`);
  });

  test("a variable the config names that is unset: one line naming the field and the variable, exit 2, no browser", async () => {
    const reports = join(dir, "missing");
    const r = await run(reports, { ...ENV, STAGING_PASSWORD: "" });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr.trim(),
      `signoff: ${join(dir, "signoff.config.yaml")}: stagingAccess.basicAuth.password: environment variable STAGING_PASSWORD is empty`,
    );
    assert.doesNotMatch(r.stdout, /▶/);
    assert.equal(existsSync(join(reports, "run.json")), false);
  });

  test("wrong credentials: the probe stops the run before any scenario, exit 3, the secret unsaid", async () => {
    const r = await run(join(dir, "wrong"), { ...ENV, STAGING_BYPASS: "not-the-bypass-value" });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /answers 401 Unauthorized to the stagingAccess headers/);
    assert.doesNotMatch(r.stdout + r.stderr, /not-the-bypass-value/);
  });
});
