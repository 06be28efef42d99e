// httpGet against a real server on 127.0.0.1: answers, redirects, timeouts, refusals, cut and capped bodies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { httpGet, HttpTimeoutError } from "../../src/core/http-get";
import { listenLocal } from "../helpers/listen";

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case "/ok":
        res.setHeader("X-Build", "shop@sha256:" + "a".repeat(64));
        return res.end("héllo");
      case "/moved":
        res.statusCode = 302;
        res.setHeader("Location", "/ok");
        return res.end();
      case "/loop":
        res.statusCode = 301;
        res.setHeader("Location", "/loop");
        return res.end();
      case "/away":
        res.statusCode = 302;
        res.setHeader("Location", "http://sso.invalid/login");
        return res.end();
      case "/silent":
        return; // never answers
      case "/stalls":
        res.writeHead(200, { "Content-Length": "100" });
        return res.write("part"); // then nothing more
      case "/cut":
        res.writeHead(200, { "Content-Length": "100" });
        res.write("part");
        return setTimeout(() => res.socket?.destroy(), 20);
      case "/big":
        res.writeHead(200);
        return res.end("x".repeat(5000));
      default:
        res.statusCode = 404;
        return res.end("no");
    }
  });
  base = await listenLocal(server);
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test("an answer: status, lower-case headers, the body as UTF-8", async () => {
  const a = await httpGet(`${base}/ok`, { timeoutMs: 2000 });
  assert.equal(a.status, 200);
  assert.equal(a.headers["x-build"], "shop@sha256:" + "a".repeat(64));
  assert.equal(a.body, "héllo");
  assert.equal((await httpGet(`${base}/nothing`, { timeoutMs: 2000 })).status, 404);
});

test("a redirect is the answer unless following is asked for, and following is bounded", async () => {
  assert.equal((await httpGet(`${base}/moved`, { timeoutMs: 2000 })).status, 302);
  const followed = await httpGet(`${base}/moved`, { timeoutMs: 2000, maxRedirects: 5 });
  assert.equal(followed.status, 200);
  assert.equal(followed.url, `${base}/ok`);
  assert.equal((await httpGet(`${base}/loop`, { timeoutMs: 2000, maxRedirects: 3 })).status, 301);
});

test("sameOrigin: a redirect to another origin is the answer, not followed", async () => {
  const away = await httpGet(`${base}/away`, { timeoutMs: 2000, maxRedirects: 5, sameOrigin: true });
  assert.equal(away.status, 302);
  assert.equal(away.url, `${base}/away`);
  assert.equal((await httpGet(`${base}/moved`, { timeoutMs: 2000, maxRedirects: 5, sameOrigin: true })).status, 200);
  // Without it the redirect is followed (sso.invalid does not resolve).
  await assert.rejects(httpGet(`${base}/away`, { timeoutMs: 2000, maxRedirects: 5 }));
});

test("no answer, or an answer that stops midway, is an HttpTimeoutError", async () => {
  await assert.rejects(httpGet(`${base}/silent`, { timeoutMs: 200 }), HttpTimeoutError);
  await assert.rejects(httpGet(`${base}/stalls`, { timeoutMs: 200 }), HttpTimeoutError);
});

test("a refused connection keeps node's code; a cut answer is an error, not a short body", async () => {
  const closed = createServer();
  await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((ok) => closed.close(ok));
  await assert.rejects(httpGet(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 }), { code: "ECONNREFUSED" });
  await assert.rejects(
    httpGet(`${base}/cut`, { timeoutMs: 2000 }),
    (err: unknown) => err instanceof Error && !(err instanceof HttpTimeoutError),
  );
});

test("a body longer than the cap is cut at the cap; other schemes are refused", async () => {
  const a = await httpGet(`${base}/big`, { timeoutMs: 2000, maxBodyBytes: 100 });
  assert.equal(a.body, "x".repeat(100));
  await assert.rejects(httpGet("file:///etc/passwd", { timeoutMs: 2000 }), TypeError);
});
