// End to end as a user gets Signoff: npm pack → npm i in an empty project → init → own TS step → run (both drivers) → gate → verify → merge, report, doctor.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import { ROOT, tempDir } from "../helpers/cli";
import { approve, gate, gatePin, makeKeys, pinKeys, verify, type Signoff } from "../helpers/release-flow";

const exec = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command in the project's directory, as a user types it; never throws, the exit code is in the result. */
async function sh(
  cwd: string,
  cmd: string,
  args: string[],
  timeoutMs = 240_000,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  const env = { ...process.env };
  // The test runner may run under `npm test`: its package context must not leak into the user's npm.
  for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
  delete env.SIGNOFF_KEY;
  Object.assign(env, extraEnv);
  try {
    const r = await exec(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number | string; stdout: string; stderr: string };
    return {
      code: typeof err.code === "number" ? err.code : -1,
      stdout: err.stdout ?? "",
      stderr: err.stderr ?? String(e),
    };
  }
}

const npx = (cwd: string, args: string[], timeoutMs?: number, env?: NodeJS.ProcessEnv) =>
  sh(cwd, "npx", ["--no-install", ...args], timeoutMs, env);

const CUSTOM_STEP = `import { BeforeAll, Then, PROPERTY_RUNS_MEDIA_TYPE, type SignoffWorld } from "signoff";

let prepared = false;
BeforeAll(function () {
  prepared = true; // a project's once-per-process set-up (test data, a token) is registered from "signoff" too
});

Then("the page should link to {string}", async function (this: SignoffWorld, name: string) {
  if (!prepared) throw new Error("the BeforeAll hook did not run");
  const keys = ["SIGNOFF_KEY", "SIGNOFF_KEY_PASSWORD", "SIGNOFF_RUN_KEY", "SIGNOFF_RUN_KEY_PASSWORD"];
  const seen = keys.filter((k) => process.env[k] !== undefined);
  if (seen.length > 0) throw new Error(\`a step can read \${seen.join(", ")}\`);
  const links = await this.session.count({ by: "role", role: "link", name });
  if (links === 0) throw new Error(\`no link named "\${name}" on \${await this.session.url()}\`);
  this.attach(JSON.stringify({ runs: links }), PROPERTY_RUNS_MEDIA_TYPE); // as a property of one's own tells the gate
});
`;

const CLASHING_STEP = `import { Given, type SignoffWorld } from "signoff";

Given("I open {string}", async function (this: SignoffWorld, path: string) {
  await this.session.goto(this.resolveUrl(path));
});
`;

describe("the packed package in a fresh project", () => {
  const work = tempDir("signoff-package-");
  const project = join(work, "qa-project");
  let tarball: string;
  let version: string;

  before(async () => {
    version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    const pack = await sh(ROOT, "npm", ["pack", "--pack-destination", work]);
    assert.equal(pack.code, 0, pack.stdout + pack.stderr);
    tarball = join(
      work,
      readdirSync(work).find((f) => f.endsWith(".tgz"))!,
    );
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "qa-project", version: "1.0.0", private: true }, null, 2),
    );
    // The tarball's dependencies come from the registry (or npm's cache): what a user's CI does.
    const install = await sh(
      project,
      "npm",
      ["install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", tarball],
      420_000,
    );
    assert.equal(install.code, 0, install.stdout + install.stderr);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  test("the package holds the compiled code, declarations, generic steps and the example app, and no tests, benches or reports", async () => {
    const dry = await sh(ROOT, "npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]);
    assert.equal(dry.code, 0, dry.stderr);
    const files: string[] = JSON.parse(dry.stdout.slice(dry.stdout.indexOf("[")))[0].files.map(
      (f: { path: string }) => f.path,
    );
    for (const f of [
      "bin/signoff.js",
      "dist/src/cli.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/src/world.d.ts",
      "dist/src/vendor/yaml.js",
      "dist/steps/generic/navigation.steps.js",
      "dist/steps/support/world.js",
      "examples/visitor-counter/server.js",
      "README.md",
      "CHANGELOG.md",
      "docs/api.md",
    ]) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    const unwanted = files.filter(
      (f) =>
        /^(test|bench|reports|features|src|steps|scripts|\.signoff|\.ci)\//.test(f) ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    assert.deepEqual(unwanted, []);
    // A link in a shipped document leads to a shipped file: on npm and in node_modules there is nothing else.
    const broken = files
      .filter((f) => f.endsWith(".md"))
      .flatMap((doc) =>
        [...readFileSync(join(ROOT, doc), "utf8").matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
          .map((m) => m[1])
          .filter((target) => !/^[a-z]+:/i.test(target))
          .map((target) => posix.normalize(posix.join(posix.dirname(doc), target)).replace(/\/$/, ""))
          .filter((target) => !files.some((f) => f === target || f.startsWith(`${target}/`)))
          .map((target) => `${doc} → ${target}`),
      );
    assert.deepEqual(broken, []);
    // What was installed is what the dry run lists.
    assert.ok(existsSync(join(project, "node_modules", "signoff", "dist", "src", "index.d.ts")));
    assert.equal(existsSync(join(project, "node_modules", "signoff", "src")), false);
  });

  test("the installed package loads `yaml` as the one file it bundles (src/core/yaml.ts), not as its modules one by one", async () => {
    const load = join(project, "node_modules", "signoff", "dist", "src", "config", "load.js");
    const r = await sh(project, process.execPath, [
      "-e",
      `require(${JSON.stringify(load)});
       const loaded = Object.keys(require.cache);
       console.log(JSON.stringify({
         bundle: loaded.filter((f) => f.endsWith("/dist/src/vendor/yaml.js")).length,
         modules: loaded.filter((f) => f.includes("/node_modules/yaml/")).length,
       }));`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { bundle: 1, modules: 0 });
  });

  test("signoff --version names the installed version", async () => {
    const r = await npx(project, ["signoff", "--version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });

  test("init scaffolds the project, says what to run next, and never overwrites", async () => {
    writeFileSync(join(project, ".gitignore"), "dist/\n");
    const r = await npx(project, ["signoff", "init"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const f of [
      "features/example.feature",
      "steps/example.steps.ts",
      "signoff.config.yaml",
      "gate.policy.yaml",
      "tsconfig.json",
      "cucumber.js",
      ".github/workflows/signoff.yml",
    ]) {
      assert.ok(existsSync(join(project, f)), f);
      assert.match(r.stdout, new RegExp(`created +${f.replace(/\./g, "\\.")}`));
    }
    assert.match(r.stdout, /Next:\n.*npx signoff run/);
    // The tarball was installed from outside the project: npm ci in CI could not reach it, and init says so.
    assert.match(
      r.stdout,
      /^Note: package\.json installs signoff from file:\.\.\/signoff-[\d.]+\.tgz, outside this project/m,
    );
    assert.equal(readFileSync(join(project, ".gitignore"), "utf8"), "dist/\nnode_modules/\nreports/\n*.key\n");

    writeFileSync(
      join(project, "features", "example.feature"),
      readFileSync(join(project, "features", "example.feature"), "utf8") +
        '    And the page should link to "Feedback"\n' +
        // A negative check: it waits for the page to settle, through the request tracker of the packed dist/.
        '    And I should not see "Internal Server Error"\n' +
        // axe-core's browser build, found from the installed package (not from this checkout).
        "    And the page should have no accessibility violations\n",
    );
    const again = await npx(project, ["signoff", "init"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 file\(s\) created in \., 7 skipped/);
    assert.match(again.stdout, /skipped +features\/example\.feature \(exists\)/);
    assert.match(
      readFileSync(join(project, "features", "example.feature"), "utf8"),
      /should link to "Feedback"/,
      "the user's edit is kept",
    );
  });

  test("the shipped declarations type the project's steps: tsc passes on init's step and catches a wrong type", async () => {
    const ok = await npx(project, ["tsc", "--noEmit", "-p", "."]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const wrong = join(project, "steps", "wrong.steps.ts");
    writeFileSync(
      wrong,
      'import { Then, type SignoffWorld } from "signoff";\nThen("typed", async function (this: SignoffWorld) {\n  const n: number = await this.session.title();\n});\n',
    );
    try {
      const bad = await npx(project, ["tsc", "--noEmit", "-p", "."]);
      assert.equal(bad.code, 2);
      assert.match(
        bad.stdout,
        /steps\/wrong\.steps\.ts\(3,9\): error TS2322: Type 'string' is not assignable to type 'number'/,
      );
    } finally {
      rmSync(wrong);
    }
  });

  test("an undefined step's snippet, as `cucumber-js -p signoff` prints it, type-checks pasted into a step file", async () => {
    const feature = join(project, "features", "basket.feature");
    const steps = join(project, "steps", "basket.steps.ts");
    writeFileSync(feature, 'Feature: Basket\n\n  Scenario: Three mugs\n    Then the basket should hold 3 "mugs"\n');
    try {
      const args = ["cucumber-js", "-p", "signoff", "--dry-run", "--format", "snippets", "features/basket.feature"];
      const r = await npx(project, args);
      assert.match(r.stdout, /^import \{ Then, type SignoffWorld \} from "signoff";$/m, r.stdout + r.stderr);
      writeFileSync(steps, r.stdout);
      const tsc = await npx(project, ["tsc", "--noEmit", "-p", "."]);
      assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr + r.stdout);
    } finally {
      rmSync(feature, { force: true });
      rmSync(steps, { force: true });
    }
  });

  test("an undefined step points to the installed docs, not to a docs/ the project lacks", async () => {
    const feature = join(project, "features", "typo.feature");
    writeFileSync(feature, 'Feature: Typo\n\n  Scenario: Typo\n    Given I open "/about"\n    Then I sea "About"\n');
    try {
      const r = await npx(project, ["signoff", "run", "--targets", "pw-desktop", "--reports", "reports-typo"]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /is it a step of node_modules\/signoff\/docs\/steps\.md with a word/, r.stderr);
      assert.ok(existsSync(join(project, "node_modules", "signoff", "docs", "steps.md")), "the docs named are there");
    } finally {
      rmSync(feature);
    }
  });

  test("TypeScript steps run without a tsconfig.json (TypeScript 6's deprecations of ts-node's defaults do not stop it)", async () => {
    const feature = join(project, "features", "no-tsconfig.feature");
    const steps = join(project, "steps", "no-tsconfig.steps.ts");
    writeFileSync(feature, "Feature: No tsconfig\n\n  Scenario: A typed step\n    Then a typed step passes\n");
    writeFileSync(
      steps,
      'import { Then } from "signoff";\nThen("a typed step passes", function () {\n  const n: number = 1;\n  if (n !== 1) throw new Error("no");\n});\n',
    );
    renameSync(join(project, "tsconfig.json"), join(project, "tsconfig.json.away"));
    try {
      const args = ["signoff", "run", "features/no-tsconfig.feature", "--targets", "pw-desktop"];
      const r = await npx(project, [...args, "--reports", "reports-no-tsconfig"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /PASS +pw-desktop +1 passed/);
    } finally {
      renameSync(join(project, "tsconfig.json.away"), join(project, "tsconfig.json"));
      rmSync(feature);
      rmSync(steps);
    }
  });

  test("a step of the project's own that clashes with a generic one: one line naming both, exit 2, nothing run", async () => {
    const clash = join(project, "steps", "clash.steps.ts");
    writeFileSync(clash, CLASHING_STEP);
    try {
      const r = await npx(project, ["signoff", "run", "--targets", "pw-desktop", "--reports", "reports-clash"]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /^signoff: features\/example\.feature:\d+: the step "I open "\/about"" is ambiguous: it matches "I open \{string\}" \(node_modules\/signoff\/dist\/steps\/generic\/navigation\.steps\.js:\d+\) and "I open \{string\}" \(steps\/clash\.steps\.ts:3\)/,
      );
      // One line for the clash (the feature's other problems, if any, are refused with it in one go).
      assert.equal(r.stderr.split("\n").filter((l) => /is ambiguous/.test(l)).length, 1, r.stderr);
      assert.equal(existsSync(join(project, "reports-clash", "messages")), false);
    } finally {
      rmSync(clash);
    }
  });

  test("a step file of the project's that does not compile: one line naming file:line, exit 2, nothing run", async () => {
    const broken = join(project, "steps", "broken.steps.ts");
    writeFileSync(broken, 'import { Given } from "signoff";\nGiven("x", () => {\n');
    try {
      const r = await npx(project, ["signoff", "run", "--targets", "pw-desktop", "--reports", "reports-broken"]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^signoff: cucumber could not start: .*steps\/broken\.steps\.ts\(3,1\): error TS1005/);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(existsSync(join(project, "reports-broken", "messages")), false);
    } finally {
      rmSync(broken);
    }
  });

  test("run (Playwright and Selenium, the project's own TypeScript steps) → gate → approve → verify, all from the project", async () => {
    writeFileSync(join(project, "steps", "links.steps.ts"), CUSTOM_STEP);
    // A job-wide secret the run does not use (the gate's key and its passphrase): the steps must not see it.
    const secrets = { SIGNOFF_KEY: "a gate key", SIGNOFF_KEY_PASSWORD: "its passphrase" };
    const run = await npx(project, ["signoff", "run", "--targets", "pw-desktop,se-desktop"], undefined, secrets);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /PASS\s+pw-desktop\s+1 passed, 0 failed/);
    assert.match(run.stdout, /PASS\s+se-desktop\s+1 passed, 0 failed/);
    const manifest = JSON.parse(readFileSync(join(project, "reports", "run.json"), "utf8"));
    assert.equal(manifest.toolVersion, version);
    assert.equal(manifest.complete, true);
    // The installed package records the project's feature tags by content digest (what a trusting gate reads).
    const feature = readFileSync(join(project, "features", "example.feature"));
    const recorded = manifest.featureTags[createHash("sha256").update(feature).digest("hex")];
    assert.ok(recorded?.includes("@REQ-EXAMPLE-1"), JSON.stringify(manifest.featureTags));
    // The project's own steps ran (not skipped, not undefined) on both drivers.
    for (const target of ["pw-desktop", "se-desktop"]) {
      const messages = readFileSync(join(project, "reports", "messages", `${target}.ndjson`), "utf8");
      assert.match(messages, /"uri":"steps\/example\.steps\.ts"/);
      assert.match(messages, /"uri":"steps\/links\.steps\.ts"/);
      assert.match(messages, /"mediaType":"application\/vnd\.signoff\.property-runs\+json"/);
    }

    const artifact = `registry.example/qa-app@${manifest.build.digest}`;
    mkdirSync(join(project, "keys"));
    const cli: Signoff = (args) => npx(project, ["signoff", ...args]);
    await makeKeys(cli, [{ name: "gate" }, { name: "qa", type: "ed25519" }]);
    await pinKeys(cli, [gatePin(), { role: "qa", key: "keys/qa.pub" }]);
    const gated = await gate(cli, artifact);
    assert.equal(gated.code, 0, gated.stdout + gated.stderr);
    assert.match(gated.stdout, /PASSED/);
    assert.match(gated.stdout, /REQ-EXAMPLE-1 +✓ +✓/);
    assert.equal((await verify(cli, artifact)).code, 1, "no QA sign-off yet");
    const approved = await approve(cli, { role: "qa", key: "qa" });
    assert.equal(approved.code, 0, approved.stderr);
    const verified = await verify(cli, artifact);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^signoff verify: PASS/);
  });

  test("merge, report and doctor from the installed package, on the run just made", async () => {
    // One unsharded results dir merges into a complete one; the same dir given twice is a duplicate (exit 1).
    const merged = await npx(project, ["signoff", "merge", "reports", "--into", "merged"]);
    assert.equal(merged.code, 0, merged.stdout + merged.stderr);
    assert.match(merged.stdout, /COMPLETE\s+pw-desktop\s+1 scenario\(s\): 1 passed, 0 failed/);
    assert.match(merged.stdout, /COMPLETE\s+se-desktop\s+1 scenario\(s\): 1 passed, 0 failed/);
    const manifest = JSON.parse(readFileSync(join(project, "merged", "run.json"), "utf8"));
    assert.equal(manifest.complete, true);
    assert.deepEqual(
      readdirSync(join(project, "merged", "messages"))
        .filter((f) => f.endsWith(".ndjson"))
        .sort(),
      ["pw-desktop.ndjson", "se-desktop.ndjson"],
    );
    cpSync(join(project, "reports"), join(project, "reports-again"), { recursive: true });
    const twice = await npx(project, ["signoff", "merge", "reports", "reports-again", "--into", "merged-twice"]);
    assert.equal(twice.code, 1, twice.stdout + twice.stderr);
    assert.match(twice.stdout, /INCOMPLETE pw-desktop/);
    assert.match(
      twice.stdout,
      /target pw-desktop: results present more than once \(reports\/messages\/pw-desktop\.ndjson, reports-again\/messages\/pw-desktop\.ndjson\)/,
    );

    // The report of the merged dir: the single-file Allure HTML (the installed Allure CLI), JUnit and the summary.
    const report = await npx(project, ["signoff", "report", "--no-history", "--reports", "merged"]);
    assert.equal(report.code, 0, report.stdout + report.stderr);
    const summary = readFileSync(join(project, "merged", "summary.md"), "utf8");
    assert.match(summary, /\| pw-desktop \| ✅ PASS \| 1 \| 0 \| 0 \|/);
    assert.match(summary, /\| se-desktop \| ✅ PASS \| 1 \| 0 \| 0 \|/);
    assert.match(
      readFileSync(join(project, "merged", "junit.xml"), "utf8"),
      /<testsuite name="se-desktop" tests="1" failures="0"/,
    );
    const html = readFileSync(join(project, "merged", "allure-report", "index.html"), "utf8");
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.equal(existsSync(join(project, "merged", "history")), false, "--no-history writes no history");

    const doctor = await npx(project, ["signoff", "doctor"]);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /chromium\s+\/\S+/);
    assert.match(doctor.stdout, /chromedriver\s+\/\S+/);
  });

  test("a project with only Signoff's generic steps (no step files of its own): run → gate PASSED", async () => {
    const feature = join(project, "features", "example.feature");
    const original = readFileSync(feature, "utf8");
    renameSync(join(project, "steps"), join(project, "steps.off"));
    try {
      writeFileSync(
        feature,
        `Feature: Only generic steps\n\n  @REQ-EXAMPLE-1\n  Scenario: About\n    Given I open "/about"\n    Then I should see "About"\n`,
      );
      const run = await npx(project, ["signoff", "run", "--targets", "pw-desktop,se-desktop"]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const manifest = JSON.parse(readFileSync(join(project, "reports", "run.json"), "utf8"));
      assert.deepEqual(manifest.judgedBy.stepDefinitions.files, [], "the installed generic steps are not listed");
      assert.ok(manifest.judgedBy.lockFile, "they are bound by the lock file");
      const cli: Signoff = (args) => npx(project, ["signoff", ...args]);
      const gated = await gate(cli, `registry.example/qa-app@${manifest.build.digest}`);
      assert.equal(gated.code, 0, gated.stdout + gated.stderr);
      assert.match(gated.stdout, /PASSED/);
    } finally {
      writeFileSync(feature, original);
      renameSync(join(project, "steps.off"), join(project, "steps"));
    }
  });

  test("the public API imports without side effects: no signal handlers, no hooks or steps registered", async () => {
    const probe = `
      const signals = () => ["SIGINT", "SIGTERM"].map((s) => process.listenerCount(s)).join(",");
      const before = signals();
      const api = require("signoff");
      const loaded = Object.keys(require.cache).filter((f) => /signoff[\\/]dist[\\/](src[\\/](world|interruption)\\.js|steps[\\/])/.test(f));
      console.log(JSON.stringify({ before, after: signals(), given: typeof api.Given, eventually: typeof api.eventually, loaded }));`;
    const r = await sh(project, process.execPath, ["-e", probe]);
    assert.equal(r.code, 0, r.stderr);
    const seen = JSON.parse(r.stdout);
    assert.equal(seen.after, seen.before);
    assert.equal(seen.given, "function");
    assert.equal(seen.eventually, "function");
    assert.deepEqual(
      seen.loaded.filter((f: string) => !/steps[\\/]support[\\/](eventually|element-phrase)\.js$/.test(f)),
      [],
      "no World, hooks or steps loaded",
    );
  });

  test("plain `cucumber-js -p signoff` runs the features on the default target against the bundled app", async () => {
    const r = await npx(project, ["cucumber-js", "-p", "signoff", "--format", "summary"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 scenario \(1 passed\)/);
  });
});
