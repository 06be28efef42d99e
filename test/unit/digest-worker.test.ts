// The gate's messages digest on a worker thread: the same SHA-256 and size as hashing in the process, read errors keep their code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestFileInWorker } from "../../src/results/digest-worker";

test("digestFileInWorker: SHA-256 and byte count of the whole file, several files at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-digest-"));
  try {
    // Larger than one read (1 MiB), and an empty file.
    const contents = [randomBytes((1 << 22) + 12345), Buffer.alloc(0), Buffer.from("{}\n")];
    const paths = contents.map((c, i) => {
      const p = join(dir, `f${i}.ndjson`);
      writeFileSync(p, c);
      return p;
    });
    const digests = await Promise.all(paths.map((p) => digestFileInWorker(p)));
    assert.deepEqual(
      digests,
      contents.map((c) => ({ sha256: createHash("sha256").update(c).digest("hex"), bytes: c.length })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("digestFileInWorker: a file that cannot be read rejects with its error code", async () => {
  await assert.rejects(
    digestFileInWorker(join(tmpdir(), "signoff-no-such-file.ndjson")),
    (err: NodeJS.ErrnoException) => err.code === "ENOENT",
  );
});

test("digestFileInWorker: more files than workers, one unreadable among them: each answers for itself", async () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-digest-"));
  try {
    const contents = Array.from({ length: 7 }, (_, i) => randomBytes(1000 * (i + 1)));
    const paths = contents.map((c, i) => {
      const p = join(dir, `f${i}.ndjson`);
      writeFileSync(p, c);
      return p;
    });
    paths.splice(3, 0, join(dir, "missing.ndjson"));
    const settled = await Promise.allSettled(paths.map((p) => digestFileInWorker(p)));
    assert.equal(settled[3].status, "rejected");
    assert.equal(((settled[3] as PromiseRejectedResult).reason as NodeJS.ErrnoException).code, "ENOENT");
    const ok = settled.filter((_, i) => i !== 3).map((s) => (s as PromiseFulfilledResult<unknown>).value);
    assert.deepEqual(
      ok,
      contents.map((c) => ({ sha256: createHash("sha256").update(c).digest("hex"), bytes: c.length })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("digestFileInWorker: a FIFO (a file swapped since it was checked) is refused, not waited on; files after it are answered", async () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-digest-"));
  try {
    const fifo = join(dir, "swapped.ndjson");
    execFileSync("mkfifo", [fifo]);
    const after = join(dir, "after.ndjson");
    writeFileSync(after, "{}\n");
    const [refused, answered] = await Promise.allSettled([digestFileInWorker(fifo), digestFileInWorker(after)]);
    assert.equal(refused.status, "rejected");
    assert.match(String((refused as PromiseRejectedResult).reason), /not a regular file/);
    assert.deepEqual((answered as PromiseFulfilledResult<unknown>).value, {
      sha256: createHash("sha256").update("{}\n").digest("hex"),
      bytes: 3,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
