// How a run learns the build staging serves: a JSON endpoint, a one-line static file, a header, or the deploy job's --build.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { observeBuild, parseBuildRef } from "../../src/runner/staging";
import { listenLocal } from "../helpers/listen";

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
      if (req.url === "/garbage.txt") {
        res.setHeader("content-type", "text/plain; charset=utf-8");
        return res.end("hello");
      }
      if (req.url === "/") {
        res.setHeader("X-Build", `shop:3.0.0@sha256:${OTHER}`);
        res.setHeader("X-Bad-Build", "latest");
        return res.end("<h1>Shop</h1>");
      }
      res.statusCode = 404;
      res.end("not found");
    });
    base = `${await listenLocal(server)}/`;
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
      /garbage\.txt answered "hello" \(text\/plain\), not the JSON build identity/,
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

describe("a build endpoint that answers neither form: one line saying what came back", () => {
  // A single-page app answers its page for every path: a mistyped buildEndpoint gets HTML with a 200.
  const SPA = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n<title>Shop</title></head><body><div id="app"></div></body></html>\n`;
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/notes.txt") {
        res.setHeader("content-type", "text/plain");
        return res.end(`build of the day\n\u001b[2J\u001b]0;pwned\u0007 shop@sha256:${HEX}\n${"x".repeat(200)}`);
      }
      if (req.url === "/empty") return res.end();
      if (req.url === "/evil.json") {
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ name: "shop", version: "1.0\u001b[2K", digest: `sha256:${HEX}` }));
      }
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(SPA);
    });
    base = `${await listenLocal(server)}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  /** Printable on a terminal as one line: no line breaks or other control characters from the server. */
  const oneSafeLine = (text: string) => assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/, text);

  test("an HTML page (a mistyped buildEndpoint on a single-page app) is named as one, not quoted", async () => {
    const o = await observeBuild(base, { endpoint: "/__bulid" });
    assert.equal(o.build, null);
    assert.equal(
      o.error,
      `GET ${base}__bulid answered an HTML page (text/html), not the JSON build identity {name, version, digest} nor a line NAME[:VERSION]@sha256:<64 hex digits> — is buildEndpoint right (the config's; /__build when not set)?`,
    );
  });

  test("other text is quoted on one line, its control characters escaped and cut short", async () => {
    const o = await observeBuild(base, { endpoint: "/notes.txt" });
    const error = String(o.error);
    oneSafeLine(error);
    assert.match(
      error,
      /answered "build of the day\\n\\x1b\[2J\\x1b\]0;pwned\\x07 shop@sha256:abab[^"]*…" \(text\/plain\), not the JSON/,
    );
    assert.ok(!error.includes("x".repeat(100)), error);
    assert.match(
      String((await observeBuild(base, { endpoint: "/empty" })).error),
      /\/empty answered an empty body, not the JSON build identity/,
    );
  });

  test("a build whose name or version holds control characters is none, in either form", async () => {
    // It parsed, and its name reached the run's output as escapes of its own (review helper-113).
    const said = String(parseBuildRef(`\u001b]0;pwned\u0007shop\u202e:1.0@sha256:${HEX}`));
    oneSafeLine(said);
    assert.match(said, /^"\\x1b\]0;pwned\\x07shop\\u202e:1\.0" holds control characters: no build's name does$/);
    const o = await observeBuild(base, { endpoint: "/evil.json" });
    assert.equal(o.build, null);
    assert.match(String(o.error), /evil\.json: the build identity's name or version holds control characters/);
  });

  test("a build reference that is none (a header's value, --build) is quoted on one line too", () => {
    const said = String(parseBuildRef("shop\u001b[2J\nlatest"));
    oneSafeLine(said);
    assert.match(said, /^"shop\\x1b\[2J\\nlatest" is not NAME/);
  });
});
