#!/usr/bin/env node
// The bundled example staging app: a responsive page with a persistent visitor counter and a build endpoint.
// @ts-check
"use strict";
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const { createHash } = require("node:crypto");

/** Settings from flags (--port 0) or environment (PORT=0); flags win. */
function settings(argv = process.argv.slice(2), env = process.env) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (m) flags[m[1]] = m[2] ?? argv[++i];
  }
  const pick = (flag, envName, fallback) => flags[flag] ?? env[envName] ?? fallback;
  return {
    host: pick("host", "HOST", "127.0.0.1"),
    port: Number(pick("port", "PORT", "8080")),
    dataDir: path.resolve(pick("data-dir", "DATA_DIR", path.join(__dirname, "data"))),
    build: {
      name: pick("build-name", "BUILD_NAME", "visitor-counter"),
      version: pick("build-version", "BUILD_VERSION", readPackageVersion()),
      digest: pick("build-digest", "BUILD_DIGEST", "") || sourceDigest(),
    },
  };
}

function readPackageVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "package.json"), "utf8")).version;
  } catch {
    return "0.0.0";
  }
}

/** Without a digest from the deploy, the artifact is this directory's source: hash it. */
function sourceDigest() {
  const h = createHash("sha256");
  for (const f of ["server.js", "package.json"]) {
    const p = path.join(__dirname, f);
    if (fs.existsSync(p)) h.update(f + "\0").update(fs.readFileSync(p));
  }
  return "sha256:" + h.digest("hex");
}

/**
 * The count lives in memory and is persisted after every change with write-to-temp + rename,
 * so a crash leaves either the old or the new file, never half of one. Node runs request
 * handlers one at a time, so increment-then-persist loses no increment under concurrency.
 */
class CounterStore {
  constructor(dataDir) {
    this.file = path.join(dataDir, "count.json");
    fs.mkdirSync(dataDir, { recursive: true });
    this.count = 0;
    if (fs.existsSync(this.file)) {
      const saved = JSON.parse(fs.readFileSync(this.file, "utf8"));
      if (!Number.isSafeInteger(saved.count) || saved.count < 0)
        throw new Error(`${this.file}: count is not a non-negative integer`);
      this.count = saved.count;
    }
  }
  increment() {
    this.count += 1;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, JSON.stringify({ count: this.count }) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    return this.count;
  }
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function layout(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font: 18px/1.5 system-ui, sans-serif; color: #1d2433; background: #f4f6fb; }
  header, main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  header nav a { margin-right: 1rem; color: #2050c0; }
  .card { background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
  .count { display: block; font-size: clamp(2.5rem, 12vw, 5rem); font-weight: 700; color: #2050c0; overflow-wrap: anywhere; }
  label { display: block; margin-top: 1rem; }
  input[type=text], input[type=email], select, textarea { width: 100%; font: inherit; padding: .5rem; }
  button { margin-top: 1rem; font: inherit; padding: .6rem 1.2rem; }
  .error { color: #a00; }
</style>
</head>
<body>
<header><nav aria-label="Main"><a href="/">Home</a><a href="/about">About</a><a href="/feedback">Feedback</a></nav></header>
<main>
${body}
</main>
</body>
</html>
`;
}

function homePage(count) {
  return layout(
    "Visitor counter",
    `<h1>Welcome to the visitor counter</h1>
<section class="card" aria-labelledby="count-label">
  <p id="count-label">You are visitor number</p>
  <output class="count" data-testid="visitor-count" aria-label="Visitor count">${count}</output>
</section>`,
  );
}

function aboutPage() {
  return layout(
    "About",
    `<h1>About</h1><p class="card">This small site counts its visitors. It is the example staging app of Signoff.</p>`,
  );
}

const TOPICS = ["Praise", "Bug report", "Question"];

function feedbackPage(form = {}, error = "") {
  const value = (k) => escapeHtml(form[k] ?? "");
  return layout(
    "Feedback",
    `<h1>Feedback</h1>
<form class="card" method="post" action="/feedback">
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
  <label for="name">Your name</label>
  <input id="name" name="name" type="text" maxlength="80" placeholder="Ada Lovelace" value="${value("name")}">
  <label for="topic">Topic</label>
  <select id="topic" name="topic">${TOPICS.map((t) => `<option${form.topic === t ? " selected" : ""}>${t}</option>`).join("")}</select>
  <label for="message">Message</label>
  <textarea id="message" name="message" rows="4" maxlength="2000" placeholder="Tell us what you think">${value("message")}</textarea>
  <label><input type="checkbox" name="subscribe" value="yes"${form.subscribe ? " checked" : ""}> Keep me posted</label>
  <button type="submit">Send feedback</button>
</form>`,
  );
}

function thanksPage(form) {
  const name = (form.name ?? "").trim() || "friend";
  return layout(
    "Thank you",
    `<h1>Thank you, ${escapeHtml(name)}!</h1>
<p class="card" role="status">We received your ${escapeHtml((form.topic ?? "feedback").toLowerCase())}${form.subscribe ? " and will keep you posted" : ""}.</p>`,
  );
}

const MAX_BODY = 16 * 1024;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error("body too large"), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")))));
    req.on("error", reject);
  });
}

function createApp(opts) {
  const store = new CounterStore(opts.dataDir);
  const send = (res, status, type, body) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(body);
  };
  const html = (res, status, body) => send(res, status, "text/html; charset=utf-8", body);

  return http.createServer(async (req, res) => {
    try {
      // The request target is a path: "//x/y" is the path //x/y, not host x (found by the property
      // scenarios: new URL("//:a", base) threw and answered 500). Anything unparsable is a 400.
      const target = req.url ?? "/";
      let url;
      try {
        url = new URL(target.startsWith("/") ? `http://localhost${target}` : target, "http://localhost");
      } catch {
        return html(res, 400, layout("Bad request", "<h1>Bad request</h1>"));
      }
      const route = `${req.method} ${url.pathname}`;
      if (route === "GET /" || route === "HEAD /") {
        // HEAD does not count as a visit: only a page a person loads does.
        return html(res, 200, homePage(req.method === "GET" ? store.increment() : store.count));
      }
      if (route === "GET /__build") return send(res, 200, "application/json", JSON.stringify(opts.build));
      if (route === "GET /healthz") return send(res, 200, "text/plain", "ok\n");
      if (route === "GET /about") return html(res, 200, aboutPage());
      if (route === "GET /feedback") return html(res, 200, feedbackPage());
      if (route === "POST /feedback") {
        const form = await readForm(req);
        if ((form.name ?? "").length > 80)
          return html(res, 422, feedbackPage(form, "Please keep your name under 80 characters."));
        return html(res, 200, thanksPage(form));
      }
      if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "POST") {
        res.setHeader("allow", "GET, HEAD, POST");
        return html(res, 405, layout("Method not allowed", "<h1>Method not allowed</h1>"));
      }
      return html(res, 404, layout("Not found", `<h1>Page not found</h1><p><a href="/">Back to the counter</a></p>`));
    } catch (err) {
      // Never leak internals: log the detail, answer a plain page.
      const status = /** @type {any} */ (err).status ?? 500;
      if (status >= 500) console.error(err);
      if (!res.headersSent) html(res, status, layout("Error", "<h1>Something went wrong</h1>"));
      else res.destroy();
    }
  });
}

function start(opts = settings()) {
  const server = createApp(opts);
  server.listen(opts.port, opts.host, () => {
    const addr = /** @type {import("node:net").AddressInfo} */ (server.address());
    // The runner reads this line to learn the port when started with --port 0.
    console.log(`visitor-counter ${opts.build.version} listening on http://${opts.host}:${addr.port}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}

module.exports = { createApp, settings, CounterStore };
if (require.main === module) start();
