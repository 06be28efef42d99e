// End to end: `npm run demo:release` as a real process (issue 8). It must end with the good build
// live behind the proxy, the defective build refused at verify with reasons, and zero failed
// requests during the blue/green switch — from its exit code, its output and its JSON summary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { packDirectory, sha256Hex } from "../../examples/release-pipeline/build";
import { tempDir } from "../helpers/cli";
import { leftovers, MARK_VAR, newMark } from "../helpers/processes";

const ROOT = join(__dirname, "..", "..");

interface Demo {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(summary: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Demo> {
  return new Promise((resolve, reject) => {
    // What `npm run demo:release` runs (package.json), without npm in between.
    const child = spawn(
      process.execPath,
      ["-r", "./src/register.js", "examples/release-pipeline/pipeline.ts", "--summary", summary],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGTERM"); // the demo stops what it started on SIGTERM
      setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
      reject(new Error(`the release demo did not finish in ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test(
  "release pipeline demo: good build live, defective build refused with reasons, zero failed requests",
  { timeout: 960_000 },
  async () => {
    const dir = tempDir("signoff-release-test-");
    const summaryFile = join(dir, "summary.json");
    const mark = newMark();
    let demo: Demo;
    try {
      demo = await runDemo(summaryFile, { [MARK_VAR]: mark }, 900_000);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const out = demo.stdout + demo.stderr;

    assert.equal(demo.code, 0, `the demo failed:\n${out}`);
    assert.ok(existsSync(summaryFile), "the demo wrote its summary");
    const s = JSON.parse(readFileSync(summaryFile, "utf8"));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(s.schema, "signoff/release-demo@1");
    assert.deepEqual(s.checks, { goodBuildLive: true, defectiveBuildRefused: true, zeroFailedRequests: true });
    assert.equal(s.ok, true);
    assert.deepEqual(s.problems, []);

    // The artifacts are the deterministic tarballs of the two app directories.
    const goodDigest = `sha256:${sha256Hex(packDirectory(join(ROOT, "examples", "visitor-counter")).bytes)}`;
    const badDigest = `sha256:${sha256Hex(packDirectory(join(ROOT, "examples", "visitor-counter-defective")).bytes)}`;
    assert.notEqual(goodDigest, badDigest);
    const good = s.releases.find((r: any) => r.digest === goodDigest);
    const bad = s.releases.find((r: any) => r.digest === badDigest);
    assert.ok(
      good && bad,
      `both builds went through the pipeline: ${JSON.stringify(s.releases.map((r: any) => r.digest))}`,
    );

    // 1. The good build is live: verified, promoted, and its digest is what production serves through the proxy.
    assert.equal(good.verify.exit, 0);
    assert.equal(good.promoted, true);
    assert.ok(
      good.staging.length > 0 && good.staging.every((st: any) => st.served === goodDigest),
      "staging served exactly the artifact",
    );
    assert.equal(good.switch.to.sha256, goodDigest.slice("sha256:".length));
    assert.equal(good.switch.drained, true);
    assert.equal(s.production.live.digest, goodDigest);
    assert.match(demo.stdout, new RegExp(`✓ the good build is live: .*${goodDigest.slice(7)}`));
    assert.match(
      demo.stdout,
      new RegExp(`production \\(through the proxy\\) serves: visitor-counter 1\\.0\\.0 \\(${goodDigest}\\)`),
    );

    // 2. The defective build is refused at verify, with its reasons shown; production did not move.
    assert.equal(bad.promoted, false);
    assert.equal(bad.refusedAt, "verify");
    assert.equal(bad.gate.exit, 1);
    assert.equal(bad.gate.result, "FAILED");
    assert.ok(
      bad.gate.reasons.some((r: string) => /scenario-failed/.test(r)),
      `gate reasons: ${bad.gate.reasons.join(" | ")}`,
    );
    assert.equal(bad.verify.exit, 1);
    assert.ok(
      bad.verify.failures.some((f: string) => /\[decision\] the gate's decision is "FAILED"/.test(f)),
      bad.verify.failures.join("\n"),
    );
    assert.equal(bad.productionAfter.digest, goodDigest);
    assert.match(demo.stdout, /NOT PROMOTED: verify refused visitor-counter 1\.1\.0/);
    assert.match(demo.stdout, /reason: \[decision\] the gate's decision is "FAILED", not PASSED: scenario-failed/);
    // the property scenarios are what caught it
    assert.match(demo.stdout, /✗ property failed/);

    // 3. Zero failed requests while switching, with the load really spanning the switch.
    assert.equal(s.failedRequests, 0);
    assert.ok(s.requestsDuringSwitches > 0);
    assert.equal(good.load.failed, 0);
    assert.equal(good.load.coveredSwitch, true);
    const servedBy = Object.keys(good.load.servedBy);
    assert.ok(
      servedBy.some((k) => k.startsWith("0.9.0")) && servedBy.some((k) => k.startsWith("1.0.0")),
      `the load saw both releases: ${servedBy.join(", ")}`,
    );
    assert.match(demo.stdout, /✓ failed requests during switches: 0 of \d+/);

    // Everything it started is stopped.
    assert.deepEqual(await leftovers(mark), []);
  },
);
