// End to end: a staging with no /__build is bound to its build by a static file, a header, or the deploy job's --build.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { runSignoff, tempDir } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const HEX = "12".repeat(32);
const HEADER_HEX = "34".repeat(32);

describe("build identity for apps without /__build", () => {
  const project = tempDir();
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/build.txt") return res.end(`shop:2.0.0@sha256:${HEX}\n`);
      if (req.url === "/") {
        res.setHeader("X-Build", `shop:3.0.0@sha256:${HEADER_HEX}`);
        res.setHeader("content-type", "text/html");
        return res.end("<!doctype html><title>Shop</title><h1>About the shop</h1>");
      }
      res.statusCode = 404;
      res.end("not found");
    });
    base = `${await listenLocal(server)}/`;
    mkdirSync(join(project, "features"));
    writeFileSync(
      join(project, "features", "shop.feature"),
      `Feature: Shop\n  @REQ-SHOP-1\n  Scenario: The shop says what it is\n    Given I open "/"\n    Then I should see "About the shop"\n`,
    );
    writeFileSync(
      join(project, "gate.policy.yaml"),
      "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nrequirementTagPrefix: REQ-\nmaxAge: 24h\nrequireObservedBuild: true\n",
    );
  });
  after(() => server.close());

  const run = (reports: string, extra: string[]) =>
    runSignoff([
      "run",
      join(project, "features"),
      "--base-url",
      base,
      "--targets",
      "pw-desktop",
      "--reports",
      join(project, reports),
      ...extra,
    ]);
  const manifest = (reports: string) => JSON.parse(readFileSync(join(project, reports, "run.json"), "utf8"));

  test("--build: the deploy job's word is recorded, and the gate binds the verdict to it", async () => {
    const r = await run("given", ["--build", `registry.example/shop:1.4.2@sha256:${HEX}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /The deploy job names registry\.example\/shop 1\.4\.2 \(sha256:1212/);
    const m = manifest("given");
    assert.deepEqual(m.build, { name: "registry.example/shop", version: "1.4.2", digest: `sha256:${HEX}` });
    assert.equal(m.buildSource, "given");
    assert.match(m.buildError, /\/__build answered 404/);

    const keygen = await runSignoff(["keygen", "--out", join(project, "gate")], { cwd: project });
    assert.equal(keygen.code, 0, keygen.stderr);
    const gate = (artifactHex: string) =>
      runSignoff(
        [
          "gate",
          "--key",
          "gate.key",
          "--results",
          "given",
          "--artifact",
          `registry.example/shop@sha256:${artifactHex}`,
          "--config",
          "none.yaml",
        ],
        { cwd: project },
      );
    const pass = await gate(HEX);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    const wrong = await gate(HEADER_HEX);
    assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
    assert.match(wrong.stdout + wrong.stderr, /build-mismatch/);
  });

  test("buildHeader: a response header of the base URL", async () => {
    writeFileSync(join(project, "header.yaml"), "buildHeader: X-Build\n");
    const r = await run("header", ["--config", join(project, "header.yaml")]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(manifest("header").build, { name: "shop", version: "3.0.0", digest: `sha256:${HEADER_HEX}` });
    assert.equal(manifest("header").buildSource, "header");
  });

  test("buildEndpoint: a static one-line file", async () => {
    writeFileSync(join(project, "file.yaml"), "buildEndpoint: /build.txt\n");
    const r = await run("file", ["--config", join(project, "file.yaml")]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(manifest("file").build, { name: "shop", version: "2.0.0", digest: `sha256:${HEX}` });
  });

  test("a malformed --build is one line, exit 2, before anything runs", async () => {
    const r = await run("bad", ["--build", "shop:latest"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--build.*"shop:latest" is not NAME\[:VERSION\]@sha256:<64 hex digits>/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
