// A fast, fixed local staging for the benchmark: tiny pages, a build endpoint, keep-alive. 127.0.0.1 only.
// Usage: node bench/lib/server.js  → prints {"port": N} on stdout when listening.
"use strict";
const http = require("node:http");

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title}</title></head><body><main><h1>${title}</h1><p data-testid="value">${body}</p></main></body></html>`;
// For `npm run bench:actions`: a button named exactly "Add" after one whose name only contains it, a labelled
// field, and what clicking shows.
const ACTIONS =
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>Actions</title></head><body><main><h1>Actions</h1><label>Name <input id="name"></label>` +
  `<button type="button" onclick="out.textContent='In the cart'">Add to cart</button>` +
  `<button type="button" onclick="out.textContent='Added ' + document.getElementById('name').value">Add</button>` +
  `<p id="out" role="status"></p></main></body></html>`;
const PAGES = {
  "/": page("Home", "Welcome"),
  "/about": page("About", "About this benchmark staging"),
  "/actions": ACTIONS,
};
const BUILD = JSON.stringify({ name: "bench-staging", version: "1.0.0", digest: "sha256:" + "c".repeat(64) });

const server = http.createServer((req, res) => {
  const path = (req.url || "/").split("?")[0];
  if (path === "/__build") {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    return res.end(BUILD);
  }
  const html = PAGES[path];
  if (html === undefined) {
    res.writeHead(404, { "content-type": "text/plain" });
    return res.end("not found");
  }
  // no-store: every scenario really loads the page, on Signoff and on the raw loops alike.
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("SIGINT", () => server.close(() => process.exit(0)));
