// `signoff report --open`'s server: the report's files on 127.0.0.1, nothing outside the report directory.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveReport } from "../../src/report/serve";

const dir = mkdtempSync(join(tmpdir(), "signoff-serve-"));
const report = join(dir, "allure-report");
let server: Server;
let port: number;

before(async () => {
  mkdirSync(join(report, "data"), { recursive: true });
  writeFileSync(join(report, "index.html"), "<html>the report</html>");
  writeFileSync(join(report, "data", "a.json"), '{"a":1}');
  writeFileSync(join(report, ".hidden"), "dotfile");
  writeFileSync(join(dir, "secret.txt"), "SECRET beside the report");
  ({ server } = await serveReport(report));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request: the path is sent exactly as written, without the client normalising "..". */
function get(path: string): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => done({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }));
    });
    req.on("error", fail);
    req.end();
  });
}

test("listens on 127.0.0.1 only", () => {
  assert.equal((server.address() as AddressInfo).address, "127.0.0.1");
});

test("serves the report's index and files with their content types", async () => {
  const index = await get("/");
  assert.equal(index.status, 200);
  assert.equal(index.body, "<html>the report</html>");
  assert.match(index.type ?? "", /text\/html/);
  const data = await get("/data/a.json");
  assert.equal(data.status, 200);
  assert.match(data.type ?? "", /application\/json/);
  assert.equal((await get("/nothing-here.js")).status, 404);
});

for (const path of [
  "/../secret.txt",
  "/%2e%2e/secret.txt",
  "/..%2fsecret.txt",
  "/data/../../secret.txt",
  "/%2e%2e%2fsecret.txt",
  "/..\\secret.txt",
  "//secret.txt",
  "/.hidden",
]) {
  test(`no file outside the report (or hidden) is served: ${path}`, async () => {
    const res = await get(path);
    assert.notEqual(res.status, 200, `${path} answered ${res.status}`);
    assert.doesNotMatch(res.body, /SECRET|dotfile/);
  });
}
