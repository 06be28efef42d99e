// src/core/input-file.ts: the bounded regular-file reads (in the caller's thread or the pool's) that name the file, and the one "cannot read" wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { isUtf8 } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../../src/core/errors";
import {
  cannotRead,
  checkRegularFile,
  copyInputFile,
  InputTooLargeError,
  InvalidUtf8Error,
  readInputFile,
  readInputFileInBackground,
  ReadBuffer,
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

// The background reader asks for 1 MiB chunks at once and checks UTF-8 as they come in: what happens at their seams.
const MiB = 1 << 20;

test("readInputFileInBackground: files ending at, before and after a chunk's end are read whole", async () => {
  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 2 * MiB, 2 * MiB + 3]) {
    const bytes = randomBytes(size);
    const file = join(dir, `sized-${size}.bin`);
    writeFileSync(file, bytes);
    assert.ok((await readInputFileInBackground(file, { what: "verdict", maxBytes: size })).equals(bytes), `${size}`);
    await assert.rejects(
      readInputFileInBackground(file, { what: "verdict", maxBytes: size - 1 }),
      InputTooLargeError,
      `${size}`,
    );
  }
});

test("readInputFileInBackground with utf8: a character across a chunk's seam is UTF-8; a cut or stray byte anywhere is not", async () => {
  const file = join(dir, "seams.txt");
  const cases: { what: string; bytes: Buffer }[] = [];
  for (const char of ["é", "€", "😀"]) {
    const encoded = Buffer.from(char);
    for (let at = MiB - 4; at <= MiB + 1; at++) {
      const place = (piece: Buffer, size = 2 * MiB + 10) => {
        const bytes = Buffer.alloc(size, 0x61);
        piece.copy(bytes, at);
        return bytes;
      };
      cases.push({ what: `${char} at ${at}`, bytes: place(encoded) });
      cases.push({ what: `${char} cut short at ${at}`, bytes: place(encoded.subarray(0, -1)) });
      cases.push({ what: `${char} cut short at the file's end`, bytes: place(encoded.subarray(0, -1), at + 1) });
      cases.push({ what: `${char}'s continuation alone at ${at}`, bytes: place(encoded.subarray(1)) });
    }
  }
  cases.push({
    what: "an invalid lead byte at the seam",
    bytes: Buffer.concat([Buffer.alloc(MiB - 1, 0x61), Buffer.from([0xf8, 0x80])]),
  });
  for (const { what, bytes } of cases) {
    writeFileSync(file, bytes);
    const read = readInputFileInBackground(file, { what: "verdict", maxBytes: 3 * MiB, utf8: true });
    if (isUtf8(bytes)) assert.ok((await read).equals(bytes), what);
    else
      await assert.rejects(
        read,
        (e: Error) => e instanceof InvalidUtf8Error && e.message === `${file}: the verdict is not valid UTF-8`,
        what,
      );
  }
  assert.ok(cases.filter((c) => isUtf8(c.bytes)).length >= 18, "both outcomes are tried");
  assert.ok(cases.filter((c) => !isUtf8(c.bytes)).length >= 18, "both outcomes are tried");
});

test("readInputFile into a ReadBuffer: each file read in turn is its own bytes, whatever the buffer held; the limit still holds", () => {
  const big = join(dir, "into-big");
  const small = join(dir, "into-small");
  writeFileSync(big, randomBytes(300_000));
  writeFileSync(small, "small\n");
  const into = new ReadBuffer();
  const opts = { what: "results index", maxBytes: 1_000_000, into };
  for (const f of [small, big, small, big])
    assert.ok(readInputFile(f, opts).equals(readInputFile(f, { ...opts, into: undefined })));
  assert.throws(
    () => readInputFile(big, { ...opts, maxBytes: 299_999 }),
    (e) => e instanceof InputTooLargeError && e.size === 300_000,
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

test("readInputFile with noFollow: a link is refused as what it is, never read through", () => {
  writeFileSync(join(dir, "target.json"), "{}");
  symlinkSync(join(dir, "target.json"), join(dir, "link.json"));
  assert.equal(readInputFile(join(dir, "link.json"), { what: "result", maxBytes: 10 }).toString(), "{}");
  assert.throws(
    () => readInputFile(join(dir, "link.json"), { what: "result", maxBytes: 10, noFollow: true }),
    usage(/link\.json: the result is not a regular file \(a symbolic link\)$/),
  );
});

test("checkRegularFile: true for a file, false for nothing, a usage error naming a link, FIFO or directory (none opened)", () => {
  const sub = mkdtempSync(join(dir, "check-"));
  writeFileSync(join(sub, "file"), "x");
  symlinkSync(join(sub, "file"), join(sub, "link"));
  execFileSync("mkfifo", [join(sub, "fifo")]);
  assert.equal(checkRegularFile(join(sub, "file"), "result"), true);
  assert.equal(checkRegularFile(join(sub, "none"), "result"), false);
  for (const [name, kind] of [
    ["link", "a symbolic link"],
    ["fifo", "a FIFO"],
    [".", "a directory"],
  ])
    assert.throws(
      () => checkRegularFile(join(sub, name), "result"),
      (e: Error) =>
        e.name === "UsageError" && e.message === `${join(sub, name)}: the result is not a regular file (${kind})`,
    );
});

test("copyInputFile: a regular file copied whole (across chunks); a link, a FIFO, a file over the limit or an existing destination refused, no partial copy", () => {
  const sub = mkdtempSync(join(dir, "copy-"));
  const bytes = randomBytes(2 * MiB + 5);
  writeFileSync(join(sub, "src"), bytes);
  const copied = copyInputFile(join(sub, "src"), join(sub, "dest"), {
    what: "result",
    maxBytes: bytes.length,
    noFollow: true,
  });
  assert.ok(readFileSync(join(sub, "dest")).equals(bytes));
  assert.deepEqual(copied, { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
  assert.throws(
    () => copyInputFile(join(sub, "src"), join(sub, "dest"), { what: "result", maxBytes: bytes.length }),
    (e: Error) => e instanceof EnvironmentError && /dest: cannot write \(EEXIST\)/.test(e.message),
  );
  symlinkSync(join(sub, "src"), join(sub, "link"));
  execFileSync("mkfifo", [join(sub, "fifo")]);
  const before = openDescriptors();
  for (const [name, re] of [
    ["link", /the result is not a regular file \(a symbolic link\)$/],
    ["fifo", /the result is not a regular file \(a FIFO\)$/],
  ] as const)
    assert.throws(
      () => copyInputFile(join(sub, name), join(sub, `${name}-copy`), { what: "result", maxBytes: 10, noFollow: true }),
      usage(re),
    );
  assert.throws(
    () => copyInputFile(join(sub, "src"), join(sub, "too-large"), { what: "result", maxBytes: MiB }),
    InputTooLargeError,
  );
  assert.deepEqual(readdirSync(sub).sort(), ["dest", "fifo", "link", "src"], "no copy, not even an empty one");
  assert.equal(openDescriptors(), before);
});
