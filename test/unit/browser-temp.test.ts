// Chromium's singleton socket under TMPDIR must fit a unix socket path: a long TMPDIR sends the browser's to /tmp.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { browserEnv, socketSafeTempBase } from "../../src/browser/browser-temp";

const saved = process.env.TMPDIR;
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
});

test("a short TMPDIR is kept, for the browser and for a target's dir under it", () => {
  process.env.TMPDIR = "/var/tmp";
  assert.equal(socketSafeTempBase(), "/var/tmp");
  assert.equal(socketSafeTempBase(22), "/var/tmp");
  assert.equal(browserEnv(), process.env);
});

test("a TMPDIR that leaves no room for the socket (or for a target's dir under it) gives way to /tmp", () => {
  process.env.TMPDIR = `/var/${"t".repeat(56)}`; // 61 bytes: the socket alone fits on Linux, not with 22 more
  if (process.platform === "linux") assert.equal(socketSafeTempBase(), process.env.TMPDIR);
  assert.equal(socketSafeTempBase(22), "/tmp");
  process.env.TMPDIR = `/var/${"é".repeat(40)}`; // 85 bytes in UTF-8, 45 characters
  assert.equal(socketSafeTempBase(), "/tmp");
  assert.equal(browserEnv().TMPDIR, "/tmp");
  assert.equal(browserEnv().PATH, process.env.PATH, "the rest of the environment is the caller's");
});
