#!/usr/bin/env node
// A small to-do list app (state in the browser's localStorage) whose --defect builds have bugs only a sequence of actions finds.
// @ts-check
"use strict";
const http = require("node:http");
const { createHash } = require("node:crypto");
const fs = require("node:fs");

/** Flags: --port 0, --host, --defect count-drift|delete-last; --data-dir is accepted (the bundled apps share a start-up) and unused. */
function settings(argv = process.argv.slice(2)) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (m) flags[m[1]] = m[2] ?? argv[++i];
  }
  const defect = flags.defect ?? "";
  if (!["", "count-drift", "delete-last"].includes(defect))
    throw new Error(`--defect: unknown defect "${defect}" (known: count-drift, delete-last)`);
  return { host: flags.host ?? "127.0.0.1", port: Number(flags.port ?? "8081"), defect };
}

/**
 * The "items left" number. The good build derives it from the list every time; the defective build
 * keeps a running count and forgets that deleting a completed item leaves the count as it was —
 * so "add, complete, delete" drifts it below the real number, while any one action alone is right.
 */
function itemsLeftCode(defect) {
  return defect === "count-drift"
    ? `let left = Number(localStorage.getItem("left") || 0);
       const onAdd = () => { left++; };
       const onToggle = (item) => { left += item.done ? -1 : 1; };
       const onDelete = () => { left--; };
       const itemsLeft = () => { localStorage.setItem("left", String(left)); return left; };`
    : `const onAdd = () => {};
       const onToggle = () => {};
       const onDelete = () => {};
       const itemsLeft = () => items.filter((i) => !i.done).length;`;
}

/** The defective build deletes the last item whichever Delete was clicked: right until two items exist and the first goes. */
function deletedIndex(defect) {
  return defect === "delete-last" ? "items.length - 1" : "i";
}

function page(defect) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>To-do list</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }
  li { display: flex; gap: .5rem; align-items: center; padding: .25rem 0; }
  li.done span { text-decoration: line-through; color: #777; }
  li span { flex: 1; overflow-wrap: anywhere; }
  input[type=text] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
</style></head>
<body>
<h1>To-do list</h1>
<label for="new">New to-do</label>
<input id="new" type="text" placeholder="What needs to be done?" autocomplete="off">
<ul aria-label="To-dos" id="list"></ul>
<p data-testid="items-left"><strong id="left">0</strong> items left</p>
<script>
  const items = JSON.parse(localStorage.getItem("items") || "[]");
  ${itemsLeftCode(defect)}
  const list = document.getElementById("list");
  function save() { localStorage.setItem("items", JSON.stringify(items)); }
  function render() {
    list.replaceChildren(...items.map((item, i) => {
      const li = document.createElement("li");
      li.className = item.done ? "done" : "";
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = item.done;
      box.addEventListener("change", () => { item.done = box.checked; onToggle(item); save(); render(); });
      const text = document.createElement("span");
      text.textContent = item.text;
      label.append(box, text);
      const del = document.createElement("button");
      del.textContent = "Delete";
      del.addEventListener("click", () => { items.splice(${deletedIndex(defect)}, 1); onDelete(item); save(); render(); });
      li.append(label, del);
      return li;
    }));
    document.getElementById("left").textContent = String(itemsLeft());
  }
  document.getElementById("new").addEventListener("keydown", (e) => {
    const text = e.target.value.trim();
    if (e.key !== "Enter" || text === "") return;
    items.push({ text, done: false });
    onAdd();
    e.target.value = "";
    save();
    render();
  });
  render();
</script>
</body></html>`;
}

function main() {
  const s = settings();
  const html = page(s.defect);
  const build = {
    name: "todo-list",
    version: s.defect ? `1.0.0-${s.defect}` : "1.0.0",
    digest: "sha256:" + createHash("sha256").update(fs.readFileSync(__filename)).update(s.defect).digest("hex"),
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else if (path === "/__build") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(build));
    else if (path === "/healthz") res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  server.listen(s.port, s.host, () => {
    const a = /** @type {import("node:net").AddressInfo} */ (server.address());
    console.log(`todo-list${s.defect ? ` (defect: ${s.defect})` : ""} listening on http://${s.host}:${a.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main();
