// Report outputs from normalised results: categories, matrix, JUnit, Markdown, environment, verdict, offline HTML.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ScenarioResult } from "../../src/results/types";
import type { RunManifest } from "../../src/runner/manifest";
import { makeOffline } from "../../src/report/allure-cli";
import { environmentEntries, markAssertionFailures, nameWithTarget, toProperties } from "../../src/report/allure-extras";
import { detectExecutor, sourceLink } from "../../src/report/ci";
import { ciRunUrl } from "../../src/gate/gate";
import { junitXml } from "../../src/report/junit";
import { buildOverview, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import { overviewSvg } from "../../src/report/overview-svg";
import { categorize, requirementMatrix, type ReportData, type TargetInfo } from "../../src/report/results";
import { readVerdict, verdictLine } from "../../src/report/verdict";

function sc(p: Partial<ScenarioResult>): ScenarioResult {
  return {
    key: `f.feature › ${p.name ?? "s"}`,
    uri: "features/f.feature",
    line: 3,
    feature: "F",
    name: "s",
    tags: [],
    requirements: [],
    target: "pw-desktop",
    status: "passed",
    attempts: 1,
    flaky: false,
    durationMs: 1200,
    ...p,
  };
}

function target(name: string, scenarios: ScenarioResult[]): TargetInfo {
  return { name, driver: "playwright", device: "Desktop Chrome", complete: true, results: [], scenarios: scenarios.map((s) => ({ ...s, target: name })) };
}

const manifest: RunManifest = {
  schema: "signoff/run@1",
  runId: "r1",
  startedAt: "2026-01-01T00:00:00Z",
  finishedAt: "2026-01-01T00:01:00Z",
  toolVersion: "0.1.0",
  gitCommit: "abcdef1234567890",
  baseUrl: "https://staging.example/",
  build: { name: "shop", version: "2.0.0", digest: "sha256:" + "ab".repeat(32) },
  targets: [],
  complete: true,
};

function data(): ReportData {
  const desk = target("pw-desktop", [
    sc({ name: "ok", requirements: ["REQ-1"] }),
    sc({ name: "bad <b>", requirements: ["REQ-2"], status: "failed", failedStep: 'I should see "X"', error: 'Error: expected the page to show "X" (waited 10 ms)\n    at x' }),
  ]);
  const mob = target("pw-pixel7", [
    sc({ name: "ok", requirements: ["REQ-1"], flaky: true }),
    sc({ name: "bad <b>", requirements: ["REQ-2"] }),
    sc({ name: "mobile", requirements: ["REQ-3"] }),
    sc({ name: "free" }),
  ]);
  return { reportsDir: "/r", manifest, targets: [desk, mob], scenarios: [...desk.scenarios, ...mob.scenarios] };
}

test("failures are categorised as product defect, test defect, environment problem or flaky", () => {
  assert.equal(categorize({ status: "failed", error: 'Error: expected the page to show "Hi"', flaky: false }), "product defect");
  assert.equal(categorize({ status: "failed", error: "LocatorTimeoutError: Timed out after 5 ms waiting for the button to be clickable", flaky: false }), "test defect");
  assert.equal(categorize({ status: "undefined", flaky: false }), "test defect");
  assert.equal(categorize({ status: "failed", error: "page.goto: net::ERR_CONNECTION_REFUSED at http://x", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "failed", error: "BrowserCrashedError: browser crashed: gone", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "failed", error: "Error: function timed out, ensure the promise resolves within 30000 milliseconds", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "unknown", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "passed", flaky: true }), "flaky");
  assert.equal(categorize({ status: "passed", flaky: false }), undefined);
});

test("the matrix takes each requirement's worst status per target; n/a where it did not run", () => {
  const m = requirementMatrix(data());
  assert.deepEqual(m.requirements, ["REQ-1", "REQ-2", "REQ-3"]);
  assert.equal(m.cells["REQ-2"]["pw-desktop"].status, "failed");
  assert.equal(m.cells["REQ-1"]["pw-pixel7"].flaky, true);
  assert.equal(m.cells["REQ-3"]["pw-desktop"], undefined);
  assert.deepEqual(m.untraced, ["F › free"]);
});

test("JUnit XML: one suite per target, assertion failures as <failure>, escaped", () => {
  const xml = junitXml(data());
  assert.match(xml, /<testsuites name="signoff" tests="6" failures="1" errors="0" skipped="0"/);
  assert.match(xml, /<testsuite name="pw-desktop" tests="2" failures="1" errors="0"/);
  assert.match(xml, /name="bad &lt;b&gt; \[pw-desktop\]"/);
  assert.match(xml, /<failure message="expected the page to show &quot;X&quot; \(waited 10 ms\)" type="product defect">/);
  assert.match(xml, /<property name="requirement" value="REQ-2"\/>/);
  assert.doesNotMatch(junitXml({ targets: [target("t", [sc({ status: "failed", error: "bad\u0001char" })])] }), /\u0001/);
});

test("summary.md: targets, matrix with links, failures, verdict", () => {
  const o = buildOverview(data(), undefined);
  const md = summaryMarkdown(o, { links: { requirement: "https://t.example/{id}" }, env: { GITHUB_ACTIONS: "true", GITHUB_SERVER_URL: "https://github.com", GITHUB_RUN_ID: "1", GITHUB_REPOSITORY: "o/r", GITHUB_SHA: "c0ffee" } });
  assert.match(md, /^## Signoff — shop 2\.0\.0: ❌ scenarios failed \(no gate decision yet\)/);
  assert.match(md, /\| pw-desktop \| ❌ FAIL \| 1 \| 1 \| 0 \|/);
  assert.match(md, /\| pw-pixel7 \| ✅ PASS \| 4 \(1 flaky\) \| 0 \| 0 \|/);
  assert.match(md, /\| \[REQ-3\]\(https:\/\/t\.example\/REQ-3\) \| — \| ✅ \|/);
  assert.match(md, /\*\*bad <b>\*\* on `pw-desktop` — product defect \(\[REQ-2\]/);
  assert.match(md, /\[features\/f\.feature:3\]\(https:\/\/github\.com\/o\/r\/blob\/c0ffee\/features\/f\.feature#L3\)/);
  assert.match(md, /No verdict yet/);
  const html = overviewHtml(o, { links: {} });
  assert.match(html, /bad &lt;b&gt;/);
  assert.doesNotMatch(html, /<b>\*\*/);
  assert.match(overviewSvg(o), /^<svg [^>]*width="\d+" height="\d+"/);
});

test("environment entries carry the decision, build identity, per-target status and versions", () => {
  const env = Object.fromEntries(environmentEntries(data(), undefined));
  assert.equal(env["Build digest"], "sha256:" + "ab".repeat(32));
  assert.equal(env["Build"], "shop 2.0.0");
  assert.equal(env["pw-desktop"], "FAIL · 1/2 passed, 1 failed");
  assert.equal(env["Suite commit"], "abcdef1234567890");
  assert.equal(env["Gate decision"], "no verdict yet (run `signoff gate`)");
  assert.equal(toProperties([["Build digest", "a=b ü"]]), "Build\\ digest=a=b \\u00fc\n");
});

test("the verdict is read defensively: decision, reasons, sign-offs; junk lines are named", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-verdict-"));
  try {
    const file = join(dir, "v.jsonl");
    const env = (st: object) => JSON.stringify({ payloadType: "application/vnd.in-toto+json", payload: Buffer.from(JSON.stringify(st)).toString("base64"), signatures: [{ keyid: "k1", sig: "x" }] });
    writeFileSync(
      file,
      [
        env({ predicateType: "https://in-toto.io/attestation/test-result/v0.1", predicate: { result: "FAILED" } }),
        env({
          subject: [{ name: "shop", digest: { sha256: "ab".repeat(32) } }],
          predicateType: "https://slsa.dev/verification_summary/v1",
          predicate: { verificationResult: "FAILED", "https://signoff.dev/gate/v1": { reasons: ["REQ-2 failed on pw-desktop", { message: "2 targets incomplete" }] } },
        }),
        env({ predicateType: "https://signoff.dev/attestation/sign-off/v1", predicate: { role: "qa", signer: { keyid: "q" } } }),
        "{not json",
      ].join("\n"),
    );
    const v = readVerdict(file)!;
    assert.equal(v.result, "FAILED");
    assert.deepEqual(v.reasons, ["REQ-2 failed on pw-desktop", "2 targets incomplete"]);
    assert.deepEqual(v.signers, ["k1"]);
    assert.equal(v.signoffs[0].role, "qa");
    assert.match(v.problems[0], /^line 4: not a readable DSSE envelope/);
    assert.equal(verdictLine(v), "FAILED — 2 reasons");
    writeFileSync(file, "garbage\n");
    assert.match(verdictLine(readVerdict(file)), /^verdict unreadable/);
    assert.equal(readVerdict(join(dir, "none.jsonl")), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Allure results: assertion errors become failed, names carry the target", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-allure-"));
  try {
    const msg = 'Error: expected the page to show "X"';
    const write = (n: string, r: object) => writeFileSync(join(dir, `${n}-result.json`), JSON.stringify(r));
    write("a", { name: "A", status: "broken", statusDetails: { message: msg }, parameters: [{ name: "target", value: "pw-desktop" }], steps: [{ status: "broken", statusDetails: { message: msg } }] });
    write("b", { name: "B", status: "broken", statusDetails: { message: "LocatorTimeoutError: waiting for the button to be clickable" }, parameters: [] });
    assert.equal(markAssertionFailures(dir), 1);
    nameWithTarget(dir);
    nameWithTarget(dir);
    const a = JSON.parse(readFileSync(join(dir, "a-result.json"), "utf8"));
    assert.equal(a.status, "failed");
    assert.equal(a.steps[0].status, "failed");
    assert.equal(a.name, "A — pw-desktop");
    assert.equal(JSON.parse(readFileSync(join(dir, "b-result.json"), "utf8")).status, "broken");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the analytics tag is stripped and a no-network CSP added", () => {
  const page = `<html><head><title>x</title></head><body><div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
    </script>
    <script>window.data = 1</script></body></html>`;
  const out = makeOffline(page);
  assert.doesNotMatch(out, /googletagmanager|gtag/);
  assert.match(out, /<script>window\.data = 1<\/script>/);
  assert.match(out, /Content-Security-Policy" content="default-src 'self' data: blob:/);
  assert.throws(() => makeOffline('<head></head><script src="https://cdn.example/x.js"></script>'), /external resource/);
});

test("the executor comes from the CI system @cucumber/ci-environment detects, and is absent elsewhere", () => {
  assert.equal(detectExecutor({}), undefined);
  assert.equal(detectExecutor({ BUILD_URL: "", GITHUB_SERVER_URL: "", GITHUB_REPOSITORY: "", GITHUB_RUN_ID: "" }), undefined, "empty variables are unset ones");
  const github = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "9", GITHUB_SHA: "abc" };
  assert.deepEqual(detectExecutor(github), {
    name: "GitHub Actions",
    type: "github",
    url: "https://github.com/o/r",
    buildOrder: 9,
    buildName: "#9",
    buildUrl: "https://github.com/o/r/actions/runs/9",
  });
  assert.equal(sourceLink("./features/a.feature", 4, github), "https://github.com/o/r/blob/abc/features/a.feature#L4");
  // A pull-request event file that cannot be read costs the PR head revision, not the detection.
  assert.equal(detectExecutor({ ...github, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: "/nonexistent/event.json" })?.buildUrl, "https://github.com/o/r/actions/runs/9");
  const gitlab = { GITLAB_CI: "true", CI_JOB_URL: "https://gl/p/-/jobs/1", CI_JOB_ID: "1", CI_REPOSITORY_URL: "https://gitlab-ci-token:secret@gl/p.git", CI_COMMIT_SHA: "s" };
  assert.equal(detectExecutor(gitlab)?.buildUrl, "https://gl/p/-/jobs/1");
  // The job token in GitLab's clone URL never reaches a report.
  assert.equal(detectExecutor(gitlab)?.url, "https://gl/p");
  assert.equal(sourceLink("features/a.feature", 4, gitlab), "https://gl/p/-/blob/s/features/a.feature#L4");
  assert.equal(detectExecutor({ JENKINS_URL: "https://j/", BUILD_URL: "https://j/b/3", BUILD_NUMBER: "3", JOB_NAME: "rel" })?.buildUrl, "https://j/b/3");
  assert.equal(sourceLink("features/a.feature", 4, { BUILD_URL: "https://j/b/3", GIT_URL: "https://git/x.git", GIT_COMMIT: "c" }), undefined);
  assert.equal(ciRunUrl(github), "https://github.com/o/r/actions/runs/9");
  assert.equal(ciRunUrl({}), undefined);
});
