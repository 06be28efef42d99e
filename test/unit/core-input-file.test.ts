// src/core/input-file.ts: the bounded regular-file read that names the file, and the one "cannot read" wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cannotRead, InputTooLargeError, readInputFile, reasonOf } from "../../src/core/input-file";

const dir = mkdtempSync(join(tmpdir(), "signoff-core-input-"));
const usage = (re: RegExp) => (e: Error) => e.name === "UsageError" && re.test(e.message);

test("a regular file within the limit is read whole", () => {
  writeFileSync(join(dir, "ok.yaml"), "version: 1\n");
  assert.equal(readInputFile(join(dir, "ok.yaml"), { what: "policy", maxBytes: 100 }).toString(), "version: 1\n");
});

test("missing, a directory, a FIFO, too large: one usage error naming the file", () => {
  assert.throws(
    () => readInputFile(join(dir, "none.yaml"), { what: "policy", maxBytes: 100 }),
    usage(/none\.yaml: cannot read the policy \(ENOENT\)/),
  );
  mkdirSync(join(dir, "d"));
  assert.throws(
    () => readInputFile(join(dir, "d"), { what: "policy", maxBytes: 100 }),
    usage(/d: the policy is not a regular file \(a directory\)/),
  );
  execFileSync("mkfifo", [join(dir, "fifo")]);
  assert.throws(
    () => readInputFile(join(dir, "fifo"), { what: "policy", maxBytes: 100 }),
    usage(/fifo: the policy is not a regular file \(a FIFO\)/),
  );
  writeFileSync(join(dir, "big.yaml"), "x".repeat(101));
  assert.throws(
    () => readInputFile(join(dir, "big.yaml"), { what: "policy", maxBytes: 100 }),
    (e: Error) => e instanceof InputTooLargeError && /101 bytes, more than the limit of 100/.test(e.message),
  );
});

test("the check on the open file runs before reading", () => {
  writeFileSync(join(dir, "key.pem"), "k");
  assert.throws(
    () =>
      readInputFile(join(dir, "key.pem"), {
        what: "key",
        maxBytes: 10,
        check: () => {
          throw new Error("mode too open");
        },
      }),
    usage(/cannot read the key \(mode too open\)/),
  );
});

test("cannotRead and reasonOf: the system's code, else the first line of the message", () => {
  const enoent = Object.assign(new Error("no such file"), { code: "ENOENT" });
  assert.equal(reasonOf(enoent), "ENOENT");
  assert.equal(reasonOf(new Error("first\nsecond")), "first");
  const e = cannotRead("a.yaml", "trust file", enoent);
  assert.equal(e.name, "UsageError");
  assert.equal(e.message, "a.yaml: cannot read the trust file (ENOENT)");
});
