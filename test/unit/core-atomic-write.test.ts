// src/core/atomic-write.ts: whole or nothing, never through a planted link, the reason named on failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtomicWriteError, writeFileAtomic } from "../../src/core/atomic-write";

const dir = mkdtempSync(join(tmpdir(), "signoff-core-atomic-"));

test("writes the whole file with the mode asked for, creating the folder when told, leaving no temp file", () => {
  const path = join(dir, "sub", "run.json");
  writeFileAtomic(path, "{}\n", { mkdir: true, mode: 0o600 });
  assert.equal(readFileSync(path, "utf8"), "{}\n");
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(dir, "sub")), ["run.json"]);
});

test("a planted link is replaced, never written through", () => {
  const victim = join(dir, "victim");
  writeFileSync(victim, "keep");
  symlinkSync(victim, join(dir, "out.json"));
  writeFileAtomic(join(dir, "out.json"), "new");
  assert.equal(readFileSync(victim, "utf8"), "keep");
  assert.equal(readFileSync(join(dir, "out.json"), "utf8"), "new");
});

test("a failed write names the path and the reason, and leaves the old file", () => {
  mkdirSync(join(dir, "busy"));
  mkdirSync(join(dir, "busy", "x.json"));
  assert.throws(
    () => writeFileAtomic(join(dir, "busy", "x.json"), "data"),
    (e: Error) => e instanceof AtomicWriteError && /x\.json: EISDIR \(a directory is in the way\)/.test(e.message),
  );
  assert.deepEqual(readdirSync(join(dir, "busy")), ["x.json"], "no temp file left behind");
  assert.throws(
    () => writeFileAtomic(join(dir, "missing", "y.json"), "data"),
    (e: Error) => e instanceof AtomicWriteError && e.code === "ENOENT",
  );
});

test("parts are written one after the other, a large string part in slices that never split a surrogate pair", () => {
  const path = join(dir, "parts.jsonl");
  // "›" and an astral character straddling the first 1 Mi-character slice boundary of the long part.
  const long = "a".repeat((1 << 20) - 1) + "😀" + "›".repeat(1000) + "b".repeat(1 << 20);
  writeFileAtomic(path, ["head ", Buffer.from([0xe2, 0x80, 0xba]), long, "\n"]);
  const want = Buffer.concat([Buffer.from("head "), Buffer.from("›"), Buffer.from(long, "utf8"), Buffer.from("\n")]);
  assert.ok(readFileSync(path).equals(want));
});

test("a lone high surrogate at a slice boundary is written as Buffer.from writes it, and the pair after it stays whole", () => {
  const path = join(dir, "lone.txt");
  const text = "a".repeat((1 << 20) - 1) + "\uD800" + "😀" + "b";
  writeFileAtomic(path, [text]);
  assert.ok(readFileSync(path).equals(Buffer.from(text, "utf8")));
});
