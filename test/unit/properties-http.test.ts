// Randomized HTTP failure checks: what counts as a 5xx, a hang, a leak — against local servers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { findLeaks } from "../../src/properties/leaks";
import { checkRequest, decodeRequest, showRequest, type GeneratedRequest } from "../../src/properties/http-shapes";
import { loadAtOnce } from "../../src/properties/visitors";
import { CheckFailed, isEnvironmentFailure, isProductFailure } from "../../src/properties/errors";
import { StagingError } from "../../src/browser/session";
import { listenLocal } from "../helpers/listen";

describe("leak detection", () => {
  test("finds stack traces and internal paths", () => {
    const node = `<pre>TypeError: x is undefined\n    at handler (/srv/app/server.js:12:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)</pre>`;
    assert.deepEqual(
      findLeaks(node).map((l) => l.kind),
      ["stack trace", "internal path"],
    );
    assert.equal(findLeaks('Traceback (most recent call last):\n  File "app.py"')[0].kind, "stack trace");
    assert.equal(findLeaks("\tat com.example.Handler(Handler.java:42)")[0].kind, "stack trace");
    assert.equal(
      findLeaks("ENOENT: no such file or directory, open '/home/deploy/site/data.json'")[0].excerpt,
      "/home/deploy/site/data.json'".replace(/'$/, ""),
    );
    assert.equal(findLeaks("Cannot find module node_modules/express/index.js")[0].kind, "internal path");
  });

  test("ordinary pages and echoed input are not leaks", () => {
    assert.deepEqual(findLeaks("<h1>Page not found</h1><p>Back to the <a href='/'>counter</a></p>"), []);
    assert.deepEqual(findLeaks("We meet at 10:30 (at the usual place)"), []);
    assert.deepEqual(findLeaks("No page at /home/x/y", ["/home/x/y"]), []);
    assert.equal(findLeaks("No page at /home/x/y").length, 1);
  });

  const paths = (body: string) => findLeaks(body).filter((l) => l.kind === "internal path");

  test("a server's file paths, as stack traces and error pages show them, are leaks", () => {
    const leaked = (body: string, path: string) =>
      assert.deepEqual(paths(body), [{ kind: "internal path", excerpt: path }], body);
    leaked("Error in /home/deploy/app/src/server.js:42", "/home/deploy/app/src/server.js:42");
    leaked("<pre>/home/deploy/app/src/server.js:42</pre>", "/home/deploy/app/src/server.js:42");
    leaked("    at Object.<anonymous> (/srv/app/index.js:10:5)", "/srv/app/index.js:10:5");
    leaked("Warning: include(): Failed opening in /var/www/html/index.php on line 3", "/var/www/html/index.php");
    leaked(
      "<b>Notice</b>:  Undefined variable: x in <b>/var/www/html/index.php</b> on line <b>3</b><br />",
      "/var/www/html/index.php",
    );
    leaked('  File "/srv/app/views.py", line 3, in index', "/srv/app/views.py");
    leaked(
      "Could not find a part of the path C:\\inetpub\\wwwroot\\App_Data\\db.mdf",
      "C:\\inetpub\\wwwroot\\App_Data\\db.mdf",
    );
    leaked(
      `{"error":"ENOENT: no such file or directory, open '/home/deploy/site/data.json'"}`,
      "/home/deploy/site/data.json",
    );
    leaked(`<script>window.__ERR__ = "at render (/app/src/page.js:12:3)";</script>`, "/app/src/page.js:12:3");
    leaked(`<script>const where = "/srv/app/index.js:10";</script>`, "/srv/app/index.js:10");
    leaked(`<a href="file:///home/deploy/app/server.js">source</a>`, "/home/deploy/app/server.js");
    leaked(`<a href="/app/inbox">Messages</a><p>Config read from /etc/app/config.yaml</p>`, "/etc/app/config.yaml");
    // A JSON value naming a server's source or config file is that file, not a URL of the app.
    leaked(`{"path":"/srv/app/config/production.yml"}`, "/srv/app/config/production.yml");
    leaked(`{"file": "/home/ubuntu/app/server.js"}`, "/home/ubuntu/app/server.js");
  });

  test("the app's own URLs, in links, images, forms, CSS, code and JSON, are not leaks", () => {
    const none = (body: string) => assert.deepEqual(paths(body), [], body);
    none(`<nav><a href="/app/inbox">Messages</a> <a href='/home/feed'>Home</a> <a href=/srv/status>Status</a></nav>`);
    none(`<a href="/login?next=/app/inbox&amp;from=/home/feed">Sign in</a>`);
    none(`<a href="https://example.com/app/inbox">Inbox</a> <a href="//cdn.example.com/data/x.csv">Data</a>`);
    none(`<img src="/app/img/logo.png" srcset="/app/img/logo@2x.png 2x, /app/img/logo@3x.png 3x" alt="">`);
    none(`<form action="/app/orders" method="post"><button formaction="/app/orders/draft">Save</button></form>`);
    none(`<link rel="stylesheet" href="/app/assets/main.css"><script src="/app/assets/main.js"></script>`);
    none(`<meta http-equiv="refresh" content="0; url=/app/inbox">`);
    none(`<div style="background: url('/app/img/bg.png')"></div><style>.x { background: url(/home/hero.jpg) }</style>`);
    none(`<script>fetch("/app/api/messages"); const routes = ["/home/feed", '/srv/status']; go('/app/x');</script>`);
    none(`{"self": "/app/orders/1", "next": "/app/orders?page=2", "links": ["/home/feed"]}`);
    none(`<table><tr><td>/app/inbox</td></tr></table>`);
    none(`<a href="/node_modules/.vite/deps/react.js">dep</a>`);
  });
});

describe("checkRequest", () => {
  let server: Server;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/boom") {
        res.statusCode = 500;
        return res.end("Something went wrong");
      }
      if (req.url === "/debug") return res.end(`Error\n    at x (/opt/app/x.js:1:2)`);
      if (req.url === "/nav") return res.end(`<nav><a href="/app/inbox">Messages</a></nav><h1>Not found</h1>`);
      if (req.url === "/hang") return; // never answers
      const redirect = (to: string) => {
        res.writeHead(302, { location: to });
        res.end();
      };
      if (req.url === "/save") return redirect("error?from=save"); // relative, as error handlers often write it
      if (req.url === "/error?from=save") return redirect("/error-page");
      if (req.url === "/error-page") {
        res.statusCode = 500;
        return res.end("Internal Server Error");
      }
      if (req.url === "/trace") return redirect("/debug");
      if (req.url === "/login") return redirect("/home");
      if (req.url === "/home") return res.end("<h1>Home</h1>");
      if (req.url === "/sso") return redirect("http://sso.invalid/login"); // another site: not staging's to judge
      // A path that reads as a network-path reference ("//host/…") is a path on staging; its relative redirect too.
      if (req.url === "//sso.invalid/x") return redirect("y");
      if (req.url === "//sso.invalid/y") return res.end("<h1>Still staging</h1>");
      if (req.url?.startsWith("/loop")) return redirect(`/loop${req.url.length}`);
      if (req.url === "/drop") return req.socket.destroy();
      if (req.url?.startsWith("/echo")) return res.end(`No page at ${decodeURIComponent(req.url)}`);
      res.statusCode = req.method === "GET" ? 404 : 405;
      res.end("nope");
    });
    base = `${await listenLocal(server)}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const req = (path: string, more: Partial<GeneratedRequest> = {}): GeneratedRequest => ({
    method: "GET",
    path,
    query: "",
    headers: [],
    ...more,
  });

  test("4xx answers pass, with odd headers and bodies", async () => {
    await checkRequest(
      base,
      req("/nothing-here", {
        headers: [
          ["Accept-Language", "%00"],
          ["X-Odd", "x".repeat(3000)],
        ],
      }),
      2000,
    );
    await checkRequest(
      base,
      req("/form", { method: "POST", body: { contentType: "application/x-www-form-urlencoded", text: "a=%zz&b" } }),
      2000,
    );
    await checkRequest(
      base,
      req("/bytes", {
        method: "PUT",
        body: { contentType: "application/octet-stream", base64: Buffer.from([0, 255, 1]).toString("base64") },
      }),
      2000,
    );
  });

  test("a 5xx fails", async () => {
    await assert.rejects(checkRequest(base, req("/boom"), 2000), /answered 500/);
  });

  test("a redirect within staging is followed to where a browser ends: an error page there fails, a page passes", async () => {
    await assert.rejects(
      checkRequest(base, req("/save", { method: "POST" }), 2000),
      (err: Error) =>
        err instanceof CheckFailed &&
        /^answered 302, redirected to http:\/\/127\.0\.0\.1:\d+\/error-page, which answered 500 \(after \d+ ms\)$/.test(
          err.message,
        ),
    );
    await assert.rejects(checkRequest(base, req("/trace"), 2000), /redirected to .*\/debug, which shows .*x\.js/);
    await checkRequest(base, req("/login"), 2000);
    await checkRequest(base, req("/sso"), 2000);
    await assert.rejects(checkRequest(base, req("/loop"), 2000), /redirected more than 10 times within staging/);
    // Followed on staging (QA13 #2c: it went to host "sso.invalid", and failed as the environment's ENOTFOUND).
    await checkRequest(base, req("//sso.invalid/x"), 2000);
  });

  test("a hang fails at the time limit", async () => {
    await assert.rejects(checkRequest(base, req("/hang"), 300), /no complete answer within 300 ms/);
  });

  test("a dropped connection fails: the server's answer to the request (a counterexample)", async () => {
    await assert.rejects(
      checkRequest(base, req("/drop"), 2000),
      (err: Error) => err instanceof CheckFailed && /connection failed before a complete answer/.test(err.message),
    );
  });

  test("staging that cannot be connected to is the environment's failure (StagingError), for requests and visitors", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = (err: Error) =>
      err instanceof StagingError &&
      err.message === `staging error: ECONNREFUSED connecting to ${gone.replace(/\/$/, "")}` &&
      isEnvironmentFailure(err) &&
      !isProductFailure(err);
    await assert.rejects(checkRequest(gone, req("/"), 2000), refused);
    await assert.rejects(loadAtOnce(gone, 3, 2000), refused);
  });

  test("visitors at once: a 5xx or a dropped connection is what went wrong, not the environment", async () => {
    assert.deepEqual(await loadAtOnce(`${base}boom`, 2, 2000), ["answered 500", "answered 500"]);
    const dropped = await loadAtOnce(`${base}drop`, 1, 2000);
    assert.equal(dropped.length, 1);
    assert.match(dropped[0], /^failed: /);
  });

  test("a leaked stack trace fails; an echo of the client's own path does not", async () => {
    await assert.rejects(
      checkRequest(base, req("/debug"), 2000),
      /shows a stack trace: at x \(\/opt\/app\/x\.js:1:2\)/,
    );
    await checkRequest(base, req("/echo/home/user/.ssh"), 2000);
  });

  test("a page whose navigation links to the app's routes (/app/…) leaks nothing", async () => {
    await checkRequest(base, req("/nav"), 2000);
  });

  test("stored requests are validated and shown readably", () => {
    const r = decodeRequest({
      method: "POST",
      path: "/a",
      query: "?x=%80",
      headers: [["Cookie", "a=b"]],
      body: { contentType: "text/plain", text: "hi" },
    });
    assert.equal(showRequest(r), `POST /a?x=%80\n  Cookie: a=b\n  body (text/plain, 2 bytes): "hi"`);
    assert.throws(() => decodeRequest({ method: "GET", path: "no-slash", query: "", headers: [] }), /not a request/);
  });
});
