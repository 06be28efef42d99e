// End to end: run the example suite plus a deliberately failing fixture on pw-desktop, add a gate
// verdict, generate the single-file report, open it from file:// in headless Chromium and check what
// a release manager needs: the failing step's screenshot, the target, the build digest, the
// requirement link, the matrix and decision — and that the page makes no request to the network.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { failingFixtureRun, NO_CI } from "../helpers/shared-run";
import { chromium, type Browser, type Page } from "playwright-core";

const ROOT = join(__dirname, "..", "..");
const CONFIG = "test/fixtures/report/signoff.config.yaml";
const SHOTS = process.env.SIGNOFF_REPORT_SHOTS ?? join(tmpdir(), "signoff-report-shots");

let dir: string;
let reports: string;
/** pw-desktop's counts as the runner recorded them (the example suite grows; the fixture adds 1 failed + 1 broken). */
let counts: { passed: number; failed: number; other: number };
/** What `signoff run` printed. */
let runOutput: string;
let browser: Browser;
let page: Page;
const external: string[] = [];

function signoff(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["bin/signoff.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...NO_CI, ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** A decision with the evidence it rests on; the evidence names the run it judged by its run.json's SHA-256. */
function fakeVerdict(digestHex: string, runJsonSha256: string): string {
  const evidence = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "visitor-counter", digest: { sha256: digestHex } }],
    predicateType: "https://in-toto.io/attestation/test-result/v0.1",
    predicate: {
      result: "FAILED",
      configuration: [{ name: "run-manifest", uri: "reports/run.json", digest: { sha256: runJsonSha256 } }],
    },
  };
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "visitor-counter", digest: { sha256: digestHex } }],
    predicateType: "https://slsa.dev/verification_summary/v1",
    predicate: {
      verifier: { id: "https://signoff.dev/gate", version: { signoff: "test" } },
      timeVerified: "2026-01-01T00:00:00Z",
      policy: { uri: "policy.yaml", digest: { sha256: "0".repeat(64) } },
      inputAttestations: [],
      verificationResult: "FAILED",
      verifiedLevels: [],
      "https://signoff.dev/gate/v1": { reasons: ["requirement REQ-BANNER-1 failed on pw-desktop"] },
    },
  };
  const envelope = (st: object) => ({
    payloadType: "application/vnd.in-toto+json",
    payload: Buffer.from(JSON.stringify(st)).toString("base64"),
    signatures: [{ keyid: "test-key", sig: "AA==" }],
  });
  return [evidence, statement].map((st) => JSON.stringify(envelope(st)) + "\n").join("");
}

before(async () => {
  // The example suite's main feature plus the failing fixture (the property-based feature is left
  // to its own tests: it would triple this test's time); the same run gate-tamper.test.ts edits.
  const shared = await failingFixtureRun();
  reports = shared.reports;
  dir = dirname(reports);
  const run = shared.result;
  assert.equal(run.code, 1, `the fixture fails on purpose, so run exits 1:\n${run.stdout}\n${run.stderr}`);
  runOutput = run.stdout;
  const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
  counts = manifest.targets[0].counts;
  assert.ok(counts.failed >= 2, `both fixture scenarios fail: ${JSON.stringify(counts)}`);
  const runJsonSha256 = createHash("sha256")
    .update(readFileSync(join(reports, "run.json")))
    .digest("hex");
  writeFileSync(
    join(reports, "verdict.intoto.jsonl"),
    fakeVerdict(manifest.build.digest.replace(/^sha256:/, ""), runJsonSha256),
  );
  const stepSummary = join(dir, "step-summary.md");
  const rep = signoff(["report", "--config", CONFIG, "--reports", reports], { GITHUB_STEP_SUMMARY: stepSummary });
  assert.equal(rep.code, 0, rep.out);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) external.push(r.url());
  });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("summary.md, junit.xml, the step summary and the history file are written", () => {
  const md = readFileSync(join(reports, "summary.md"), "utf8");
  assert.match(md, /gate FAILED/);
  assert.ok(md.includes(`| pw-desktop | ❌ FAIL | ${counts.passed} | ${counts.failed} | ${counts.other} |`), md);
  assert.match(md, /\[REQ-BANNER-1\]\(https:\/\/tracker\.example\/browse\/REQ-BANNER-1\)/);
  assert.match(md, /requirement REQ-BANNER-1 failed on pw-desktop/);
  assert.equal(readFileSync(join(dir, "step-summary.md"), "utf8").trim(), md.trim());
  const xml = readFileSync(join(reports, "junit.xml"), "utf8");
  assert.match(xml, /<testsuite name="pw-desktop" tests="\d+" failures="[1-9]\d*" errors="[1-9]\d*"/);
  assert.match(
    xml,
    /<error message="LocatorTimeoutError: timed out after \d+ ms waiting for the button named &quot;Dismiss banner&quot;/,
  );
  assert.match(xml, /<failure message="expected the page to show &quot;Welcome back, Ada&quot;/);
  assert.ok(existsSync(join(reports, "history", "allure-history.jsonl")), "Allure history file");
  const html = readFileSync(join(reports, "allure-report", "index.html"), "utf8");
  assert.doesNotMatch(html, /googletagmanager|gtag\(/);
});

/** The fixture's failing steps: where each scenario is, and where its failing step is written (not the same line). */
const FIXTURE = "test/fixtures/report/failing.feature";
const GREETS = { scenario: `${FIXTURE}:9`, step: `${FIXTURE}:12`, text: 'I should see "Welcome back, Ada"' };
const DISMISS = { scenario: `${FIXTURE}:15`, step: `${FIXTURE}:17`, text: 'I click the "Dismiss banner" button' };

test("each failure names the failing step's feature:line beside the scenario's: summary.md, JUnit, overview.html, the run's summary", () => {
  const md = readFileSync(join(reports, "summary.md"), "utf8");
  for (const f of [GREETS, DISMISS]) {
    assert.ok(md.includes(`\`${f.scenario}\`\n  step \`${f.text}\` at \`${f.step}\`: `), `${f.step} in:\n${md}`);
  }
  const esc = (t: string) => t.replace(/"/g, "&quot;");
  const xml = readFileSync(join(reports, "junit.xml"), "utf8");
  assert.ok(xml.includes(`Step: ${esc(GREETS.text)} at ${GREETS.step}`), xml);
  const html = readFileSync(join(reports, "overview.html"), "utf8");
  assert.ok(html.includes(`<code>${esc(DISMISS.text)}</code> <span class="muted">at ${DISMISS.step}</span>`), html);
  for (const f of [GREETS, DISMISS])
    assert.match(runOutput, new RegExp(`✗ ${f.scenario} .* — at ${f.step} "`), runOutput);
});

test("the single-file report opens from file:// and shows build, targets and decision up front", async () => {
  await page.goto(pathToFileURL(join(reports, "allure-report", "index.html")).href);
  await page.getByText("Metadata").first().waitFor();
  const body = await page.locator("body").innerText();
  const digest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8")).build.digest as string;
  const metadata = await page.locator("body").textContent();
  assert.ok(metadata?.includes(digest), "the build digest is in the environment block");
  assert.match(body, /Gate decision/);
  assert.match(body, /FAILED — 1 reason/);
  const total = counts.passed + counts.failed + counts.other;
  assert.ok(
    body.includes(`FAIL · ${counts.passed}/${total} passed, ${counts.failed} failed`),
    "pw-desktop's status in the environment block",
  );
  await page.screenshot({ path: join(SHOTS, "report-home.png"), fullPage: true }).catch(() => undefined);
});

test("the requirement × target matrix is a global attachment", async () => {
  await page.getByText("Global Attachments").first().click();
  await page.getByText("Release overview — gate decision").first().click();
  const img = page.locator('img[src^="blob:"], img[src^="data:"]').first();
  await img.waitFor({ state: "visible" });
  const box = await img.boundingBox();
  assert.ok(box && box.height > 200, `the overview picture is shown at a readable size (${JSON.stringify(box)})`);
  await page.screenshot({ path: join(SHOTS, "report-matrix.png"), fullPage: true }).catch(() => undefined);
});

test("the failing test shows the target, the requirement link and its screenshot at the failing step", async () => {
  await page.getByText("Results").first().click();
  await page.getByText("The home page greets the visitor by name — pw-desktop").first().click();
  await page.getByText("Parameters").first().waitFor();
  const params = page.locator("body");
  assert.match(await params.innerText(), /target\s+pw-desktop/);
  const link = page.locator('a[href="https://tracker.example/browse/REQ-BANNER-1"]');
  assert.equal((await link.count()) > 0, true, "requirement link to the tracker");
  assert.equal((await page.locator('a[href="https://issues.example/123"]').count()) > 0, true, "issue link");

  // The evidence hangs under the failing step, not under tear-down.
  const failingStep = page.getByText('And I should see "Welcome back, Ada"').first();
  await failingStep.waitFor();
  const shot = page.getByText("Screenshot at the failing step.png").first();
  await shot.waitFor();
  const stepY = (await failingStep.boundingBox())!.y;
  const shotY = (await shot.boundingBox())!.y;
  const tearDownY = (await page.getByText("Tear down").first().boundingBox())!.y;
  assert.ok(
    stepY < shotY && shotY < tearDownY,
    `screenshot listed under the failing step (${stepY} < ${shotY} < ${tearDownY})`,
  );
  await shot.click();
  const img = page.locator('img[src^="blob:"], img[src^="data:"]').first();
  await img.waitFor({ state: "visible" });
  const box = await img.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 50, "the screenshot is displayed");
  assert.ok(await page.getByText("Playwright trace.zip").first().isVisible(), "trace archive attached");
  assert.ok(await page.getByText("Page at the failing step.txt").first().isVisible(), "URL/title/locator attached");
  await page.setViewportSize({ width: 1400, height: 2600 }); // the report scrolls inside its own pane
  await page.screenshot({ path: join(SHOTS, "report-failure.png"), fullPage: true }).catch(() => undefined);
});

test("the report made no network request", () => {
  assert.deepEqual(external, []);
});
