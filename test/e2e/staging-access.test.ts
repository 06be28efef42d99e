// End to end: a staging behind basic auth and a bypass header, on both drivers; the headers reach staging's origin only and are written nowhere.
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
}

const seen = (req: IncomingMessage): Seen => ({
  path: req.url ?? "",
  bypass: req.headers["x-staging-bypass"] as string | undefined,
  authorization: req.headers.authorization,
});

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
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><title>Elsewhere</title><h1>Landed elsewhere</h1>`);
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;

    staging = createServer((req, res) => {
      const s = seen(req);
      toStaging.push(s);
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
      assert.equal(byName["A failure keeps its evidence"].status, "failed", t);
    }

    // Staging saw every kind of request, each with both headers: the probe, the build endpoint, pages, fetch, visitors,
    // a new tab. The one exception: Playwright reports a new tab only once its first document came, requested before
    // the tab could intercept; staging refused it and the tab loaded it again. Selenium holds the tab until it intercepts.
    const paths = new Set(toStaging.map((s) => s.path));
    for (const p of ["/", "/__build", "/api/data", "/go-away", "/report"])
      assert.ok(paths.has(p), `staging never saw ${p}`);
    const refused = toStaging.filter((s) => s.bypass !== BYPASS || s.authorization !== `Basic ${TOKEN}`);
    assert.deepEqual(
      refused.map((s) => s.path).filter((p) => p !== "/favicon.ico"),
      ["/report", "/report"],
      "every request to staging carries the headers but the first of each new tab on Playwright (two scenarios open one)",
    );

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
