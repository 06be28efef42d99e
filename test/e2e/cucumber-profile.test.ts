// Cucumber's own CLI with Signoff's profile (`npx cucumber-js -p signoff`): what a selection of nothing or a @target: tag naming no target prints; snippets; a bad browser path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { NOTHING_RUN, NOTHING_SELECTED } from "../../src/profile-plugin";
import { ROOT } from "../helpers/cli";

const CUCUMBER_JS = join(ROOT, "node_modules", "@cucumber", "cucumber", "bin", "cucumber-js");

function cucumberJs(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const opts = { cwd: ROOT, timeout: 120_000, env: { ...process.env, ...env } };
    execFile(process.execPath, [CUCUMBER_JS, ...args], opts, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

test("tags that select no scenario: one line saying so (Cucumber's exit code stays its own: 0)", async () => {
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "--tags", "@no-scenario-has-this-tag"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, NOTHING_SELECTED);
  assert.match(r.stdout, /0 scenarios/);
});

test("paths that match no feature file: the same one line", async () => {
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "features/no-such-dir/**/*.feature"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, NOTHING_SELECTED);
});

test("a selection of some scenarios prints no such line", async () => {
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "features/visitor-counter.feature"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /\d+ scenarios? \(\d+ skipped\)/);
});

test("a @target: tag naming no configured target: the lines `signoff run` refuses with, and no scenario runs", async () => {
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "test/fixtures/features/target-typo.feature"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: test\/fixtures\/features\/target-typo\.feature:7: @target:pw-destkop names no configured target \(did you mean "pw-desktop"\?\); known targets: [^\n]*pw-desktop[^\n]*/,
  );
  assert.ok(r.stderr.endsWith(`${NOTHING_RUN}\n`), r.stderr);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stdout, /0 scenarios/);
});

test("an undefined step's snippet is TypeScript importing from signoff, as a project's step file is", async () => {
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "test/fixtures/features/undefined-step.feature"]);
  assert.match(
    r.stdout,
    /import \{ Then, type SignoffWorld \} from "signoff";\n\s*\n\s*Then\("the moon should be made of cheese", async function \(this: SignoffWorld\) \{\n/,
    r.stdout,
  );
});

test("a SIGNOFF_CHROMIUM that is not an executable is still the one tried (one line naming it), never another browser", async () => {
  const r = await cucumberJs(["-p", "signoff", "features/visitor-counter.feature:8"], {
    SIGNOFF_CHROMIUM: "/nonexistent/chromium",
  });
  assert.notEqual(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /could not start Chromium for target "pw-desktop" \(\/nonexistent\/chromium\)/);
  assert.doesNotMatch(r.stdout + r.stderr, /^\s+at /m, "no stack");
});
