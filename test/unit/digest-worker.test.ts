// The gate's messages digest on a worker thread: the same SHA-256 and size as hashing in the process, read errors keep their code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestFileInWorker } from "../../src/results/digest-worker";

test("digestFileInWorker: SHA-256 and byte count of the whole file, several files at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-digest-"));
  try {
    // Larger than one 4 MiB read, and an empty file.
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
