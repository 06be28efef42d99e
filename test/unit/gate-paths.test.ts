// One spelling of paths in what gate, verify and report print: relative to the cwd inside it, absolute outside.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { shownPath } from "../../src/core/shown-path";
import { runSignoff, type CliResult } from "../helpers/cli";
import { ARTIFACT, TARGETS, tmp, writeResultsDir } from "./gate-helpers";

test("shownPath: relative inside the cwd (given relative or absolute), '.' for the cwd, absolute outside it", () => {
  const cwd = join(sep, "work", "qa");
  assert.equal(shownPath("reports/run.json", cwd), join("reports", "run.json"));
  assert.equal(shownPath(join(cwd, "reports", "run.json"), cwd), join("reports", "run.json"));
  assert.equal(shownPath("./reports/", cwd), "reports");
  assert.equal(shownPath(cwd, cwd), ".");
  assert.equal(shownPath("../app/server.js", cwd), join(sep, "work", "app", "server.js"));
  assert.equal(shownPath(join(sep, "tmp", "r"), cwd), join(sep, "tmp", "r"));
  assert.equal(
    shownPath(join(cwd, "..", "qa-old", "x"), cwd),
    join(sep, "work", "qa-old", "x"),
    "a sibling is outside",
  );
});

test("shownPath: a `..` after a link is the parent of the link's target, as the system reads it", () => {
  const root = realpathSync(tmp("signoff-paths-link-"));
  mkdirSync(join(root, "project"));
  mkdirSync(join(root, "shared", "policies"), { recursive: true });
  writeFileSync(join(root, "shared", "gate.policy.yaml"), "version: 1\n");
  symlinkSync(join(root, "shared", "policies"), join(root, "project", "policies"));
  const cwd = join(root, "project");
  // Lexically "policies/.." is the project itself; the system opens shared/gate.policy.yaml.
  assert.equal(shownPath("policies/../gate.policy.yaml", cwd), join(root, "shared", "gate.policy.yaml"));
  assert.equal(shownPath("policies/..", cwd), join(root, "shared"));
  assert.equal(shownPath("./policies/../../project/x.yaml", cwd), "x.yaml");
  // No such directory: as given, so the read fails as the system's would (lexically it would be x.yaml).
  assert.equal(shownPath("missing/../x.yaml", cwd), "missing/../x.yaml");
});

describe("signoff gate, verify and report print every path by the same rule", () => {
  // The project, and a directory beside it to run from "outside".
  const project = realpathSync(tmp("signoff-paths-project-"));
  const elsewhere = realpathSync(tmp("signoff-paths-elsewhere-"));
  const artifact = `${ARTIFACT.name}@sha256:${ARTIFACT.sha256}`;

  before(async () => {
    // A run that did not observe its build (a reason naming run.json), one results file changed since (one naming
    // a messages file), and no run attestation though the policy requires one (one naming the attestation).
    writeResultsDir(join(project, "reports"), { build: null });
    appendFileSync(join(project, "reports", "messages", "se-pixel7.ndjson"), "\n");
    writeFileSync(
      join(project, "gate.policy.yaml"),
      `version: 1\nrequiredTargets: [${TARGETS.join(", ")}]\nrequirements: all\nmaxAge: 24h\nrequireRunAttestation: true\n`,
    );
    mkdirSync(join(project, "features"));
    writeFileSync(
      join(project, "features", "counter.feature"),
      "Feature: Counter\n  @REQ-COUNTER-1\n  Scenario: a\n    Given x\n",
    );
    mkdirSync(join(project, "keys"));
    const cli = async (args: string[]) => {
      const r = await runSignoff(args, { cwd: project });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    };
    await cli(["keygen", "--out", "keys/gate"]);
    await cli(["keygen", "--out", "keys/runner"]);
    await cli(["trust", "add", "--role", "gate", "--key", "keys/gate.pub", "--max-age", "24h"]);
    await cli(["trust", "add", "--role", "runner", "--key", "keys/runner.pub"]);
  });

  /** `signoff gate` with every path given as `at(path)`, run in `cwd`. */
  const gate = (cwd: string, at: (p: string) => string): Promise<CliResult> =>
    runSignoff(
      [
        "gate",
        "--artifact",
        artifact,
        "--key",
        at("keys/gate.key"),
        "--policy",
        at("gate.policy.yaml"),
        "--results",
        at("reports"),
        "--features",
        at("features"),
        "--trust",
        at("trust.yaml"),
      ],
      { cwd },
    );

  test("from the project, given absolute paths: every path relative to it", async () => {
    const r = await gate(project, (p) => join(project, p));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.ok(!out.includes(project), `no absolute path of the project:\n${out}`);
    assert.match(out, /\(policy gate\.policy\.yaml\)/);
    assert.match(out, /build-unobserved: the run did not record which build staging served \(reports\/run\.json\)/);
    assert.match(out, /results-tampered: reports\/messages\/se-pixel7\.ndjson: /);
    assert.match(out, /run-attestation-missing: reports\/run\.json\.dsse: no run attestation/);
    assert.match(out, /verdict: reports\/verdict\.intoto\.jsonl$/m);
    // verify reads what the gate signed: the policy as the gate named it, and its own inputs the same way.
    const v = await runSignoff(
      [
        "verify",
        "--verdict",
        join(project, "reports", "verdict.intoto.jsonl"),
        "--artifact",
        artifact,
        "--trust",
        join(project, "trust.yaml"),
      ],
      { cwd: project },
    );
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.ok(!(v.stdout + v.stderr).includes(project), v.stdout + v.stderr);
    assert.match(v.stderr, /policy gate\.policy\.yaml sha256:/);
  });

  test("from outside the project, given relative paths: every path absolute, none with '..'", async () => {
    const r = await gate(elsewhere, (p) => join(relative(elsewhere, project), p));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.doesNotMatch(out, /\.\.\//, out);
    const abs = (p: string) => join(project, p).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    assert.match(out, new RegExp(`\\(policy ${abs("gate.policy.yaml")}\\)`));
    assert.match(out, new RegExp(`staging served \\(${abs("reports/run.json")}\\)`));
    assert.match(out, new RegExp(`results-tampered: ${abs("reports/messages/se-pixel7.ndjson")}: `));
    assert.match(out, new RegExp(`run-attestation-missing: ${abs("reports/run.json.dsse")}: `));
    assert.match(out, new RegExp(`verdict: ${abs("reports/verdict.intoto.jsonl")}$`, "m"));
    const rep = await runSignoff(["report", "--reports", join(relative(elsewhere, project), "reports"), "--no-html"], {
      cwd: elsewhere,
    });
    assert.equal(rep.code, 0, rep.stdout + rep.stderr);
    assert.doesNotMatch(rep.stdout + rep.stderr, /\.\.\//, rep.stdout + rep.stderr);
    assert.match(rep.stdout, new RegExp(`Wrote ${abs("reports/summary.md")}, `));
  });
});
