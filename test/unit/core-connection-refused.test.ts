// connectionRefused: a TCP connect only, so asking whether staging is there sends it no request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connectionRefused } from "../../src/core/connection-refused";

test("a server that takes the connection is there, and sees no request; a closed port is refused, by its code", async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end("counted");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shop/`;
  try {
    assert.equal(await connectionRefused(url, 2000), undefined);
    assert.equal(requests, 0, "no request was sent");
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.equal(await connectionRefused(url, 2000), "ECONNREFUSED");
  assert.equal(await connectionRefused("", 2000), undefined, "no staging named");
});
