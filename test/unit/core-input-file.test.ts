// src/core/input-file.ts: the bounded regular-file reads (in the caller's thread or the pool's) that name the file, and the one "cannot read" wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cannotRead,
  InputTooLargeError,
  readInputFile,
  readInputFileInBackground,
  reasonOf,
  type ReadInputOptions,
} from "../../src/core/input-file";

const dir = mkdtempSync(join(tmpdir(), "signoff-core-input-"));
const usage = (re: RegExp) => (e: Error) => e.name === "UsageError" && re.test(e.message);

/** Both readers, as promises: the synchronous one and the one whose reading runs on libuv's thread pool. */
const READERS: [string, (path: string, o: ReadInputOptions) => Promise<Buffer>][] = [
  ["readInputFile", async (path, o) => readInputFile(path, o)],
  ["readInputFileInBackground", readInputFileInBackground],
];
const openDescriptors = () => readdirSync("/proc/self/fd").length;

for (const [name, read] of READERS) {
  test(`${name}: a regular file within the limit is read whole, a large one too`, async () => {
    writeFileSync(join(dir, "ok.yaml"), "version: 1\n");
    assert.equal((await read(join(dir, "ok.yaml"), { what: "policy", maxBytes: 100 })).toString(), "version: 1\n");
    const big = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(dir, "big.bin"), big);
    assert.ok((await read(join(dir, "big.bin"), { what: "verdict", maxBytes: big.length })).equals(big));
  });

  test(`${name}: missing, a directory, a FIFO, too large: one usage error naming the file, no descriptor left open`, async () => {
    const before = openDescriptors();
    await assert.rejects(
      read(join(dir, "none.yaml"), { what: "policy", maxBytes: 100 }),
      usage(/none\.yaml: cannot read the policy \(ENOENT\)/),
    );
    mkdirSync(join(dir, "d"), { recursive: true });
    await assert.rejects(
      read(join(dir, "d"), { what: "policy", maxBytes: 100 }),
      usage(/d: the policy is not a regular file \(a directory\)/),
    );
    if (!existsSync(join(dir, "fifo"))) execFileSync("mkfifo", [join(dir, "fifo")]);
    await assert.rejects(
      read(join(dir, "fifo"), { what: "policy", maxBytes: 100 }),
      usage(/fifo: the policy is not a regular file \(a FIFO\)/),
    );
    writeFileSync(join(dir, "big.yaml"), "x".repeat(101));
    await assert.rejects(
      read(join(dir, "big.yaml"), { what: "policy", maxBytes: 100 }),
      (e: Error) => e instanceof InputTooLargeError && /101 bytes, more than the limit of 100/.test(e.message),
    );
    assert.equal(openDescriptors(), before);
  });

  test(`${name}: the check on the open file runs before reading`, async () => {
    writeFileSync(join(dir, "key.pem"), "k");
    await assert.rejects(
      read(join(dir, "key.pem"), {
        what: "key",
        maxBytes: 10,
        check: () => {
          throw new Error("mode too open");
        },
      }),
      usage(/cannot read the key \(mode too open\)/),
    );
  });
}

test("cannotRead and reasonOf: the system's code, else the first line of the message", () => {
  const enoent = Object.assign(new Error("no such file"), { code: "ENOENT" });
  assert.equal(reasonOf(enoent), "ENOENT");
  assert.equal(reasonOf(new Error("first\nsecond")), "first");
  const e = cannotRead("a.yaml", "trust file", enoent);
  assert.equal(e.name, "UsageError");
  assert.equal(e.message, "a.yaml: cannot read the trust file (ENOENT)");
});
