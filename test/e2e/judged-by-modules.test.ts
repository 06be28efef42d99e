// End to end: what judged the build (run.json's judgedBy, the gate's evidence) covers every module of the project the
// Cucumber process loaded, not only the files that define steps: a helper made lenient changes the recorded digest.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { ROOT, runSignoff, tempDir } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const HEX = "ab".repeat(32);

interface Recorded {
  digest: string;
  files: { path: string; sha256: string }[];
}

/** A project whose step file only calls a helper module; the helper (reading a JSON file) decides the outcome. */
function makeProject(kind: "ts" | "mjs" | "lazy"): { dir: string; helper: (body: string) => void } {
  const dir = tempDir("signoff-judged-modules-");
  for (const d of ["features", "steps", "lib"]) mkdirSync(join(dir, d));
  writeFileSync(
    join(dir, "features", "brand.feature"),
    'Feature: Brand\n  @REQ-BRAND-1\n  Scenario: The home page names the shop\n    Given I open "/"\n    Then the page names the brand "Acme Shop"\n',
  );
  const index = join(ROOT, "src", "index");
  const ext = kind === "mjs" ? "mjs" : "ts";
  writeFileSync(
    join(dir, "steps", `brand.steps.${ext}`),
    [
      kind === "ts"
        ? `import { Then } from ${JSON.stringify(index)};\nimport { mustContain } from "../lib/check";`
        : kind === "lazy"
          ? `import { Then } from ${JSON.stringify(index)};`
          : // An ES module: Signoff's TypeScript API through require (a checkout's loader is registered for require).
            `import { createRequire } from "node:module";\nimport { mustContain } from "../lib/check.mjs";\nconst { Then } = createRequire(import.meta.url)(${JSON.stringify(index)});`,
      `Then("the page names the brand {string}", async function (${kind === "mjs" ? "brand" : "this: any, brand: string"}) {`,
      // Lazily: the helper loads only when the step runs (with --parallel, in a worker).
      kind === "lazy" ? '  const { mustContain } = require("../lib/check");' : "",
      "  mustContain(await this.session.bodyText(), brand);",
      "});",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "lib", "messages.json"), '{ "missing": "the page does not name" }\n');
  writeFileSync(
    join(dir, "gate.policy.yaml"),
    "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nrequirementTagPrefix: REQ-\nmaxAge: 24h\n",
  );
  const helper = (body: string) =>
    writeFileSync(
      join(dir, "lib", `check.${ext}`),
      ext === "ts"
        ? `import messages from "./messages.json";\nexport function mustContain(text: string, want: string): void {\n${body}\n}\n`
        : `import { createRequire } from "node:module";\nconst messages = createRequire(import.meta.url)("./messages.json");\nexport function mustContain(text, want) {\n${body}\n}\n`,
    );
  return { dir, helper };
}

describe("judgedBy covers the modules a step file imports", () => {
  let server: Server;
  let base = "";
  before(async () => {
    // A staging whose page does not name the brand: an honest check fails.
    server = createServer((req, res) => {
      if (req.url === "/__build") {
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ name: "registry.example/shop", version: "1.0.0", digest: `sha256:${HEX}` }));
      }
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>Shop</title><h1>A shop</h1>");
    });
    base = `${await listenLocal(server)}/`;
  });
  after(() => server.close());

  const run = (project: string, reports: string, extra: string[] = []) =>
    runSignoff(["run", "--base-url", base, "--targets", "pw-desktop", "--reports", reports, ...extra], {
      cwd: project,
    });
  const recorded = (project: string, reports: string): Recorded =>
    JSON.parse(readFileSync(join(project, reports, "run.json"), "utf8")).judgedBy.stepDefinitions;
  /** The gate's exit code and its evidence's step-definitions descriptor. */
  const gate = async (project: string, reports: string) => {
    const out = join(project, `${reports}.jsonl`);
    const g = await runSignoff(
      [
        "gate",
        "--key",
        "gate.key",
        "--results",
        reports,
        "--features",
        "features",
        "--artifact",
        `registry.example/shop@sha256:${HEX}`,
        "--out",
        out,
      ],
      { cwd: project },
    );
    const evidence = JSON.parse(
      Buffer.from(JSON.parse(readFileSync(out, "utf8").split("\n")[0]).payload, "base64").toString("utf8"),
    );
    const steps = evidence.predicate.configuration.find((c: { name: string }) => c.name === "step-definitions");
    return { code: g.code, output: g.stdout + g.stderr, steps };
  };

  /** Runs honestly, then with only the helper made lenient: FAILED, then PASSED. Returns both records. */
  const honestThenRigged = async (project: string, helper: (body: string) => void, extra: string[] = []) => {
    helper('  if (!text.includes(want)) throw new Error(`${messages.missing} "${want}"`);');
    const honest = await run(project, "honest", extra);
    assert.equal(honest.code, 1, honest.stdout + honest.stderr);
    // Only the helper changes: the step file, the features and the config stay as they are.
    helper("  void messages; void text; void want;");
    const rigged = await run(project, "rigged", extra);
    assert.equal(rigged.code, 0, rigged.stdout + rigged.stderr);
    return [recorded(project, "honest"), recorded(project, "rigged")];
  };

  /** The two records differ exactly in the helper's entry. */
  const onlyHelperChanged = (h: Recorded, r: Recorded, helperPath: string) => {
    assert.notEqual(r.digest, h.digest, "the helper changed, so did what judged the build");
    const changed = r.files.filter((f) => h.files.find((g) => g.path === f.path)?.sha256 !== f.sha256);
    assert.deepEqual(
      changed.map((f) => f.path),
      [helperPath],
    );
  };

  test("a helper made lenient turns FAILED into PASSED, and the recorded digest and the evidence say so", async () => {
    const { dir, helper } = makeProject("ts");
    assert.equal((await runSignoff(["keygen", "--out", "gate"], { cwd: dir })).code, 0);
    const [h, r] = await honestThenRigged(dir, helper);
    const paths = h.files.map((f) => f.path);
    for (const own of ["steps/brand.steps.ts", "lib/check.ts", "lib/messages.json"])
      assert.ok(paths.includes(own), `${own} in ${paths.join(", ")}`);
    assert.ok(!paths.some((p) => p.split("/").includes("node_modules")), "installed packages are not listed");
    onlyHelperChanged(h, r, "lib/check.ts");

    const [hg, rg] = [await gate(dir, "honest"), await gate(dir, "rigged")];
    assert.equal(hg.code, 1, hg.output);
    assert.equal(rg.code, 0, rg.output);
    assert.equal(hg.steps.digest.sha256, h.digest);
    assert.equal(rg.steps.digest.sha256, r.digest);
    assert.ok(rg.steps.annotations.paths.includes("lib/check.ts"), JSON.stringify(rg.steps.annotations));
    assert.equal(rg.steps.annotations.files, String(r.files.length));
  });

  test("an ES module step file (.mjs): the modules it imports are covered too", async () => {
    const { dir, helper } = makeProject("mjs");
    const [h, r] = await honestThenRigged(dir, helper);
    const paths = h.files.map((f) => f.path);
    for (const own of ["steps/brand.steps.mjs", "lib/check.mjs", "lib/messages.json"])
      assert.ok(paths.includes(own), `${own} in ${paths.join(", ")}`);
    onlyHelperChanged(h, r, "lib/check.mjs");
  });

  test("--parallel: a helper a step requires lazily, loaded only in a worker, is covered too", async () => {
    const { dir, helper } = makeProject("lazy");
    const [h, r] = await honestThenRigged(dir, helper, ["--parallel", "2"]);
    const paths = h.files.map((f) => f.path);
    for (const own of ["steps/brand.steps.ts", "lib/check.ts", "lib/messages.json"])
      assert.ok(paths.includes(own), `${own} in ${paths.join(", ")}`);
    onlyHelperChanged(h, r, "lib/check.ts");
  });
});
