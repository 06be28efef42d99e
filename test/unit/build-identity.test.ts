// How a run learns the build staging serves: a JSON endpoint, a one-line static file, a header, or the deploy job's --build.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { observeBuild, parseBuildRef } from "../../src/runner/staging";

const HEX = "ab".repeat(32);
const OTHER = "cd".repeat(32);

describe("parseBuildRef", () => {
  test("an image reference with a tag: name, version and digest", () => {
    assert.deepEqual(parseBuildRef(`registry.example:5000/shop:1.4.2@sha256:${HEX}`), {
      name: "registry.example:5000/shop",
      version: "1.4.2",
      digest: `sha256:${HEX}`,
    });
  });
  test("no tag: the registry port is not a version", () => {
    assert.deepEqual(parseBuildRef(`registry.example:5000/shop@sha256:${HEX.toUpperCase()}`), {
      name: "registry.example:5000/shop",
      version: "",
      digest: `sha256:${HEX}`,
    });
  });
  test("a trailing newline (a static file) is fine; anything else is an error naming the form", () => {
    assert.equal((parseBuildRef(`shop@sha256:${HEX}\n`) as { name: string }).name, "shop");
    for (const bad of [
      "shop",
      `shop@sha256:${HEX.slice(1)}`,
      `@sha256:${HEX}`,
      `shop@md5:${HEX}`,
      `sh op@sha256:${HEX}`,
    ])
      assert.match(String(parseBuildRef(bad)), /is not NAME\[:VERSION\]@sha256:<64 hex digits>/, bad);
  });
});

describe("observeBuild against a real HTTP staging", () => {
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/__build")
        return res.end(JSON.stringify({ name: "shop", version: "1.0.0", digest: `sha256:${HEX}` }));
      if (req.url === "/build.txt") return res.end(`shop:2.0.0@sha256:${HEX}\n`);
      if (req.url === "/garbage.txt") return res.end("hello");
      if (req.url === "/") {
        res.setHeader("X-Build", `shop:3.0.0@sha256:${OTHER}`);
        res.setHeader("X-Bad-Build", "latest");
        return res.end("<h1>Shop</h1>");
      }
      res.statusCode = 404;
      res.end("not found");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => server.close());

  test("a JSON endpoint", async () => {
    assert.deepEqual(await observeBuild(base, { endpoint: "/__build" }), {
      build: { name: "shop", version: "1.0.0", digest: `sha256:${HEX}` },
      source: "endpoint",
    });
  });

  test("a static one-line file", async () => {
    const o = await observeBuild(base, { endpoint: "/build.txt" });
    assert.deepEqual(o.build, { name: "shop", version: "2.0.0", digest: `sha256:${HEX}` });
  });

  test("a response header of the base URL replaces the endpoint", async () => {
    const o = await observeBuild(base, { endpoint: "/__build", header: "X-Build" });
    assert.deepEqual(o, { build: { name: "shop", version: "3.0.0", digest: `sha256:${OTHER}` }, source: "header" });
  });

  test("no identity: no build, and the reason names the URL", async () => {
    assert.match(
      String((await observeBuild(base, { endpoint: "/missing" })).error),
      /GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404/,
    );
    assert.match(
      String((await observeBuild(base, { endpoint: "/garbage.txt" })).error),
      /garbage\.txt: "hello" is not NAME/,
    );
    assert.match(String((await observeBuild(base, { endpoint: "/", header: "X-None" })).error), /no X-None header/);
    assert.match(
      String((await observeBuild(base, { endpoint: "/", header: "X-Bad-Build" })).error),
      /X-Bad-Build: "latest" is not/,
    );
    assert.equal((await observeBuild(base, { endpoint: "/missing" })).build, null);
  });

  test("--build is used when staging names none, and recorded as given", async () => {
    const given = { name: "shop", version: "9", digest: `sha256:${OTHER}` };
    const o = await observeBuild(base, { endpoint: "/missing", given });
    assert.deepEqual(o.build, given);
    assert.equal(o.source, "given");
  });

  test("--build that disagrees with what staging serves records no build at all", async () => {
    const o = await observeBuild(base, {
      endpoint: "/__build",
      given: { name: "shop", version: "9", digest: `sha256:${OTHER}` },
    });
    assert.equal(o.build, null);
    assert.match(String(o.error), /--build names shop@sha256:cdcd.* but staging serves shop@sha256:abab/);
  });

  test("--build that agrees with staging: staging's own word is recorded", async () => {
    const o = await observeBuild(base, {
      endpoint: "/__build",
      given: { name: "shop", version: "1.0.0", digest: `sha256:${HEX}` },
    });
    assert.equal(o.source, "endpoint");
  });
});
