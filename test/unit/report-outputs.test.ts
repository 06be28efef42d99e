// Report outputs from normalised results: categories, matrix, JUnit, Markdown, environment, verdict, offline HTML.
import { writeDisplayVerdict } from "../helpers/display-verdict";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ScenarioResult } from "../../src/core/results-model";
import type { RunManifest } from "../../src/core/manifest";
import { makeOffline } from "../../src/report/allure-cli";
import {
  allure2Categories,
  allure3Categories,
  classifyAllureResults,
  environmentEntries,
  nameWithTarget,
  toProperties,
} from "../../src/report/allure-extras";
import { ATTEMPT_LABEL, CATEGORY_LABEL } from "../../src/report/allure-labels";
import { detectExecutor, sourceLink } from "../../src/report/ci";
import { ciRunUrl } from "../../src/gate/gate";
import { junitXml } from "../../src/report/junit";
import { buildOverview, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import { overviewSvg } from "../../src/report/overview-svg";
import { categorize, gapOf, requirementMatrix, type ReportData, type TargetInfo } from "../../src/report/results";
import { decisionOf, judgedRun, readVerdict, verdictLine } from "../../src/report/verdict";
import { scenarioResult } from "../helpers/scenario-result";

const sc = scenarioResult;

function target(name: string, scenarios: ScenarioResult[]): TargetInfo {
  return {
    name,
    driver: "playwright",
    device: "Desktop Chrome",
    complete: true,
    results: [],
    scenarios: scenarios.map((s) => ({ ...s, target: name })),
  };
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
    sc({
      name: "bad <b>",
      requirements: ["REQ-2"],
      status: "failed",
      failedStep: 'I should see "X"',
      error: 'AssertionError: expected the page to show "X" (waited 10 ms)\n    at x',
      errorType: "SignoffAssertionError",
    }),
  ]);
  const mob = target("pw-pixel7", [
    sc({ name: "ok", requirements: ["REQ-1"], flaky: true }),
    sc({ name: "bad <b>", requirements: ["REQ-2"] }),
    sc({ name: "mobile", requirements: ["REQ-3"], tags: ["@REQ-3", "@mobile-only"] }),
    sc({ name: "free" }),
  ]);
  return { reportsDir: "/r", manifest, targets: [desk, mob], scenarios: [...desk.scenarios, ...mob.scenarios] };
}

test("failures are categorised from their error type, never the message: product defect, test defect, environment problem or flaky", () => {
  assert.equal(categorize({ status: "failed", errorType: "SignoffAssertionError", flaky: false }), "product defect");
  assert.equal(categorize({ status: "failed", errorType: "LocatorTimeoutError", flaky: false }), "test defect");
  assert.equal(categorize({ status: "undefined", flaky: false }), "test defect");
  assert.equal(categorize({ status: "failed", errorType: "StagingError", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "failed", errorType: "BrowserCrashedError", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "failed", errorType: "Error", flaky: false }), "test defect");
  assert.equal(categorize({ status: "unknown", flaky: false }), "environment problem");
  assert.equal(categorize({ status: "passed", flaky: true }), "flaky");
  assert.equal(categorize({ status: "passed", flaky: false }), undefined);
});

test("the matrix takes each requirement's worst status per target; n/a where its tags keep it off a target", () => {
  const m = requirementMatrix(data());
  assert.deepEqual(m.requirements, ["REQ-1", "REQ-2", "REQ-3"]);
  assert.equal(m.cells["REQ-2"]["pw-desktop"].status, "failed");
  assert.equal(m.cells["REQ-1"]["pw-pixel7"].flaky, true);
  assert.equal(m.cells["REQ-3"]["pw-desktop"], undefined);
  assert.equal(gapOf(m, "REQ-3", "pw-desktop"), "n/a");
  assert.deepEqual(m.untraced, ["F › free"]);
});

test("JUnit XML: one suite per target, assertion failures as <failure>, escaped", () => {
  const xml = junitXml(data());
  assert.match(xml, /<testsuites name="signoff" tests="6" failures="1" errors="0" skipped="0"/);
  assert.match(xml, /<testsuite name="pw-desktop" tests="2" failures="1" errors="0"/);
  assert.match(xml, /name="bad &lt;b&gt; \[pw-desktop\]"/);
  assert.match(
    xml,
    /<failure message="expected the page to show &quot;X&quot; \(waited 10 ms\)" type="product defect">/,
  );
  assert.match(xml, /<property name="requirement" value="REQ-2"\/>/);
  assert.doesNotMatch(
    junitXml({ targets: [target("t", [sc({ status: "failed", error: "bad\u0001char" })])] }),
    /\u0001/,
  );
});

test("summary.md: targets, matrix with links, failures, verdict", () => {
  const o = buildOverview(data(), undefined);
  const md = summaryMarkdown(o, {
    links: { requirement: "https://t.example/{id}" },
    env: {
      GITHUB_ACTIONS: "true",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "1",
      GITHUB_REPOSITORY: "o/r",
      GITHUB_SHA: "c0ffee",
    },
  });
  assert.match(md, /^## Signoff — shop 2\.0\.0: ❌ scenarios failed \(no gate decision yet\)/);
  assert.match(md, /\| pw-desktop \| ❌ FAIL \| 1 \| 1 \| 0 \|/);
  assert.match(md, /\| pw-pixel7 \| ✅ PASS \| 4 \(1 flaky\) \| 0 \| 0 \|/);
  assert.match(md, /\| \[REQ-3\]\(https:\/\/t\.example\/REQ-3\) \| — \| ✅ \|/);
  assert.match(md, /\*\*bad \\<b\\>\*\* on `pw-desktop` — product defect \(\[REQ-2\]/);
  assert.match(md, /\[features\/f\.feature:3\]\(https:\/\/github\.com\/o\/r\/blob\/c0ffee\/features\/f\.feature#L3\)/);
  assert.match(md, /No verdict yet/);
  const html = overviewHtml(o, { links: {} });
  assert.match(html, /bad &lt;b&gt;/);
  assert.doesNotMatch(html, /<b>\*\*/);
  // The page's marks are text symbols (no emoji font on many CI runners); summary.md keeps GitHub's emoji.
  assert.match(html, /✗ FAIL/);
  assert.match(html, /✓ passed/);
  assert.doesNotMatch(html, /\p{Extended_Pictographic}\uFE0F|[✅❌⛔❓]/u);
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
    const subject = [{ name: "shop", digest: { sha256: "ab".repeat(32) } }];
    const env = (st: object) =>
      JSON.stringify({
        payloadType: "application/vnd.in-toto+json",
        payload: Buffer.from(JSON.stringify({ _type: "https://in-toto.io/Statement/v1", subject, ...st })).toString(
          "base64",
        ),
        signatures: [{ keyid: "k1", sig: "eA==" }],
      });
    writeFileSync(
      file,
      [
        env({ predicateType: "https://in-toto.io/attestation/test-result/v0.1", predicate: { result: "FAILED" } }),
        env({
          predicateType: "https://slsa.dev/verification_summary/v1",
          predicate: {
            verificationResult: "FAILED",
            "https://signoff.dev/gate/v1": {
              reasons: ["REQ-2 failed on pw-desktop", { message: "2 targets incomplete" }],
            },
          },
        }),
        env({
          predicateType: "https://signoff.dev/attestation/sign-off/v1",
          predicate: { role: "qa", signer: { keyid: "q" } },
        }),
        "{not json",
      ].join("\n"),
    );
    const v = readVerdict(file)!;
    assert.equal(v.result, "FAILED");
    assert.deepEqual(v.reasons, ["REQ-2 failed on pw-desktop", "2 targets incomplete"]);
    assert.deepEqual(v.signers, ["k1"]);
    assert.equal(v.signoffs[0].role, "qa");
    assert.ok(
      v.problems.some((p) => /^line 4: truncated JSON/.test(p)),
      v.problems.join("\n"),
    );
    assert.equal(verdictLine(v), "FAILED — 2 reasons");
    writeFileSync(file, "garbage\n");
    assert.match(verdictLine(readVerdict(file)), /^verdict unreadable/);
    assert.equal(readVerdict(join(dir, "none.jsonl")), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a verdict that judged another run (an earlier run's, left in reports/) is never shown as this run's decision", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-verdict-"));
  try {
    const runJson = Buffer.from('{"this":"run"}');
    const earlier = createHash("sha256").update('{"earlier":"run"}').digest("hex");
    const file = join(dir, "v.jsonl");
    const verdictFor = (runManifestSha256: string) =>
      writeDisplayVerdict(file, { result: "PASSED", runManifestSha256, decision: { verificationResult: "PASSED" } });
    verdictFor(earlier);
    const stale = judgedRun(readVerdict(file), runJson);
    assert.equal(decisionOf(stale), undefined);
    assert.match(verdictLine(stale), /^no decision for this run: .*v\.jsonl: judged other results/);
    const o = buildOverview(data(), stale);
    const md = summaryMarkdown(o, { links: {} });
    assert.doesNotMatch(md, /gate PASSED/);
    assert.match(md, /No decision for this run/);
    assert.doesNotMatch(overviewHtml(o, { links: {} }), /Gate decision: PASSED/);
    assert.doesNotMatch(overviewSvg(o), /Gate decision: PASSED/);
    assert.match(overviewSvg(o), /No gate decision for this run/);
    assert.equal(environmentEntries(data(), stale)[0][1], verdictLine(stale));
    // No run.json to compare with: not this run's either, and the note says why.
    const unchecked = judgedRun(readVerdict(file), undefined);
    assert.equal(decisionOf(unchecked), undefined);
    assert.match(verdictLine(unchecked), /run\.json could not be read/);

    verdictFor(createHash("sha256").update(runJson).digest("hex"));
    const current = judgedRun(readVerdict(file), runJson);
    assert.equal(decisionOf(current)?.result, "PASSED");
    assert.match(summaryMarkdown(buildOverview(data(), current), { links: {} }), /gate PASSED/);
    assert.match(overviewSvg(buildOverview(data(), current)), /Gate decision: PASSED/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Allure results: each failure's category from its error type (label, status, trace marker); names carry the target", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-allure-"));
  try {
    // A product assertion whose words sound like the environment, and an environment error whose words sound like an assertion.
    const product = "AssertionError: expected 'connection refused' to be visible";
    const staging = "StagingError: staging error: expected a page, got ECONNREFUSED";
    const label = (id: string) => [{ name: ATTEMPT_LABEL, value: id }];
    const write = (n: string, r: object) => writeFileSync(join(dir, `${n}-result.json`), JSON.stringify(r));
    write("a", {
      name: "A",
      status: "broken",
      labels: label("att-a"),
      statusDetails: { message: product, trace: product },
      parameters: [{ name: "target", value: "pw-desktop" }],
      steps: [{ status: "broken", statusDetails: { message: product } }],
    });
    write("b", {
      name: "B",
      status: "failed",
      labels: label("att-b"),
      statusDetails: { message: staging, trace: staging },
      parameters: [],
      steps: [{ status: "failed", statusDetails: { message: staging } }],
    });
    write("c", {
      name: "C",
      status: "failed",
      labels: label("att-c"),
      statusDetails: { message: "x" },
      parameters: [],
    });
    write("d", { name: "D", status: "broken", statusDetails: { message: "no attempt label" }, parameters: [] });
    // allure-cucumberjs writes no status for an undefined or ambiguous step and "skipped" for a pending one.
    write("e", { name: "E", labels: label("att-e"), parameters: [] });
    write("f", { name: "F", status: "skipped", labels: label("att-f"), parameters: [] });
    write("g", { name: "G", status: "passed", labels: label("att-g"), parameters: [] });
    const scenarios = [
      sc({
        name: "A",
        status: "failed",
        error: product,
        errorType: "SignoffAssertionError",
        testCaseStartedId: "att-a",
      }),
      sc({ name: "B", status: "failed", error: staging, errorType: "StagingError", testCaseStartedId: "att-b" }),
      sc({ name: "C", status: "failed", error: "x", errorType: "LocatorTimeoutError", testCaseStartedId: "att-c" }),
      sc({ name: "E", status: "undefined", testCaseStartedId: "att-e" }),
      sc({ name: "F", status: "pending", testCaseStartedId: "att-f" }),
      sc({ name: "G", status: "passed", testCaseStartedId: "att-g" }),
    ];
    assert.equal(classifyAllureResults(dir, { scenarios }), 5);
    assert.equal(classifyAllureResults(dir, { scenarios }), 5, "idempotent: classified again, not twice");
    nameWithTarget(dir);
    nameWithTarget(dir);
    const read = (n: string) => JSON.parse(readFileSync(join(dir, `${n}-result.json`), "utf8"));
    const categoryOf = (r: any) => r.labels.filter((l: any) => l.name === CATEGORY_LABEL).map((l: any) => l.value);
    const a = read("a");
    assert.equal(a.status, "failed");
    assert.equal(a.steps[0].status, "failed");
    assert.deepEqual(categoryOf(a), ["product defect"]);
    assert.equal(a.statusDetails.trace, `[signoff] product defect (SignoffAssertionError)\n${product}`);
    assert.equal(a.name, "A — pw-desktop");
    const b = read("b");
    assert.equal(b.status, "broken");
    assert.equal(b.steps[0].status, "broken");
    assert.deepEqual(categoryOf(b), ["environment problem"]);
    assert.deepEqual(categoryOf(read("c")), ["test defect"]);
    assert.equal(read("c").status, "broken");
    assert.equal(read("d").status, "broken");
    assert.deepEqual(read("d").labels, undefined);
    for (const n of ["e", "f"]) {
      assert.equal(read(n).status, "broken", n);
      assert.deepEqual(categoryOf(read(n)), ["test defect"], n);
      assert.match(read(n).statusDetails.trace, /^\[signoff\] test defect\n/, n);
    }
    assert.equal(read("g").status, "passed");
    assert.deepEqual(categoryOf(read("g")), []);
    // The Allure 3 rules match the label; the Allure 2 rules (no labels there) match the trace's first line.
    const rule3 = (name: string) =>
      (allure3Categories() as any[]).find((r) => r.name === name).matchers.labels[CATEGORY_LABEL];
    assert.ok(new RegExp(rule3("Product defect")).test("product defect"));
    assert.ok(!new RegExp(rule3("Environment problem")).test("product defect"));
    const rule2 = (name: string) =>
      new RegExp(`^(?:${(allure2Categories() as any[]).find((r) => r.name === name).traceRegex})$`);
    assert.ok(rule2("Product defect").test(a.statusDetails.trace));
    assert.ok(!rule2("Environment problem").test(a.statusDetails.trace));
    assert.ok(rule2("Environment problem").test(b.statusDetails.trace));
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
  assert.throws(
    () => makeOffline('<head></head><script src="https://cdn.example/x.js"></script>'),
    /external resource/,
  );
});

test("the executor comes from the CI system @cucumber/ci-environment detects, and is absent elsewhere", () => {
  assert.equal(detectExecutor({}), undefined);
  assert.equal(
    detectExecutor({ BUILD_URL: "", GITHUB_SERVER_URL: "", GITHUB_REPOSITORY: "", GITHUB_RUN_ID: "" }),
    undefined,
    "empty variables are unset ones",
  );
  const github = {
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "o/r",
    GITHUB_RUN_ID: "9",
    GITHUB_SHA: "abc",
  };
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
  assert.equal(
    detectExecutor({ ...github, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: "/nonexistent/event.json" })
      ?.buildUrl,
    "https://github.com/o/r/actions/runs/9",
  );
  const gitlab = {
    GITLAB_CI: "true",
    CI_JOB_URL: "https://gl/p/-/jobs/1",
    CI_JOB_ID: "1",
    CI_REPOSITORY_URL: "https://gitlab-ci-token:secret@gl/p.git",
    CI_COMMIT_SHA: "s",
  };
  assert.equal(detectExecutor(gitlab)?.buildUrl, "https://gl/p/-/jobs/1");
  // The job token in GitLab's clone URL never reaches a report.
  assert.equal(detectExecutor(gitlab)?.url, "https://gl/p");
  assert.equal(sourceLink("features/a.feature", 4, gitlab), "https://gl/p/-/blob/s/features/a.feature#L4");
  assert.equal(
    detectExecutor({ JENKINS_URL: "https://j/", BUILD_URL: "https://j/b/3", BUILD_NUMBER: "3", JOB_NAME: "rel" })
      ?.buildUrl,
    "https://j/b/3",
  );
  assert.equal(
    sourceLink("features/a.feature", 4, { BUILD_URL: "https://j/b/3", GIT_URL: "https://git/x.git", GIT_COMMIT: "c" }),
    undefined,
  );
  assert.equal(ciRunUrl(github), "https://github.com/o/r/actions/runs/9");
  assert.equal(ciRunUrl({}), undefined);
});
