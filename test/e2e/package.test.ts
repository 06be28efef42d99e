// End to end as a user gets Signoff: npm pack → npm i in an empty project → init → own TS step → run (both drivers) → gate → verify.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, tempDir } from "../helpers/cli";

const exec = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command in the project's directory, as a user types it; never throws, the exit code is in the result. */
async function sh(cwd: string, cmd: string, args: string[], timeoutMs = 240_000): Promise<Ran> {
  const env = { ...process.env };
  // The test runner may run under `npm test`: its package context must not leak into the user's npm.
  for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
  delete env.SIGNOFF_KEY;
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

const npx = (cwd: string, args: string[], timeoutMs?: number) => sh(cwd, "npx", ["--no-install", ...args], timeoutMs);

const CUSTOM_STEP = `import { Then, type SignoffWorld } from "signoff";

Then("the page should link to {string}", async function (this: SignoffWorld, name: string) {
  const links = await this.session.count({ by: "role", role: "link", name });
  if (links === 0) throw new Error(\`no link named "\${name}" on \${await this.session.url()}\`);
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
    // What was installed is what the dry run lists.
    assert.ok(existsSync(join(project, "node_modules", "signoff", "dist", "src", "index.d.ts")));
    assert.equal(existsSync(join(project, "node_modules", "signoff", "src")), false);
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
    assert.equal(readFileSync(join(project, ".gitignore"), "utf8"), "dist/\nnode_modules/\nreports/\n*.key\n");

    writeFileSync(
      join(project, "features", "example.feature"),
      readFileSync(join(project, "features", "example.feature"), "utf8") +
        '    And the page should link to "Feedback"\n',
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
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
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
    const run = await npx(project, ["signoff", "run", "--targets", "pw-desktop,se-desktop"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /PASS\s+pw-desktop\s+1 passed, 0 failed/);
    assert.match(run.stdout, /PASS\s+se-desktop\s+1 passed, 0 failed/);
    const manifest = JSON.parse(readFileSync(join(project, "reports", "run.json"), "utf8"));
    assert.equal(manifest.toolVersion, version);
    assert.equal(manifest.complete, true);
    // The project's own steps ran (not skipped, not undefined) on both drivers.
    for (const target of ["pw-desktop", "se-desktop"]) {
      const messages = readFileSync(join(project, "reports", "messages", `${target}.ndjson`), "utf8");
      assert.match(messages, /"uri":"steps\/example\.steps\.ts"/);
      assert.match(messages, /"uri":"steps\/links\.steps\.ts"/);
    }

    const artifact = `registry.example/qa-app@${manifest.build.digest}`;
    mkdirSync(join(project, "keys"));
    for (const args of [
      ["keygen", "--out", "keys/gate"],
      ["keygen", "--out", "keys/qa", "--type", "ed25519"],
      [
        "trust",
        "add",
        "--role",
        "gate",
        "--key",
        "keys/gate.pub",
        "--allow-policy",
        "gate.policy.yaml",
        "--max-age",
        "24h",
      ],
      ["trust", "add", "--role", "qa", "--key", "keys/qa.pub"],
    ]) {
      const r = await npx(project, ["signoff", ...args]);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    }
    const gate = await npx(project, ["signoff", "gate", "--artifact", artifact, "--key", "keys/gate.key"]);
    assert.equal(gate.code, 0, gate.stdout + gate.stderr);
    assert.match(gate.stdout, /PASSED/);
    assert.match(gate.stdout, /REQ-EXAMPLE-1 +✓ +✓/);
    const before = await npx(project, [
      "signoff",
      "verify",
      "--verdict",
      "reports/verdict.intoto.jsonl",
      "--artifact",
      artifact,
    ]);
    assert.equal(before.code, 1, "no QA sign-off yet");
    const approve = await npx(project, [
      "signoff",
      "approve",
      "--verdict",
      "reports/verdict.intoto.jsonl",
      "--key",
      "keys/qa.key",
      "--role",
      "qa",
    ]);
    assert.equal(approve.code, 0, approve.stderr);
    const verify = await npx(project, [
      "signoff",
      "verify",
      "--verdict",
      "reports/verdict.intoto.jsonl",
      "--artifact",
      artifact,
    ]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^signoff verify: PASS/);
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
