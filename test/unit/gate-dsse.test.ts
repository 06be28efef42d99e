// DSSE: the PAE spec vector, ECDSA/Ed25519 sign+verify with real keys, strict base64, strict JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeBase64Strict,
  decodeBase64StrictBytes,
  envelopeLine,
  pae,
  signBytes,
  signEnvelope,
  signedEnvelopeLineParts,
  base64Parts,
  sha256Hex,
  signersAmong,
  verifyBytes,
  verifyPae,
  IN_TOTO_PAYLOAD_TYPE,
  type DsseEnvelope,
} from "../../src/attest/dsse";
import { parseStrictJson, parseStrictJsonBytes } from "../../src/core/strict-json";
import { makeKey } from "./gate-helpers";

test("PAE matches the DSSE spec test vector", () => {
  assert.equal(
    pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString(),
    "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
  );
});

test("PAE lengths are bytes, not characters", () => {
  assert.equal(pae("t", Buffer.from("é")).toString("utf8"), "DSSEv1 1 t 2 é");
});

test("ECDSA P-256 signatures are ASN.1 DER (as cosign writes them) and verify", () => {
  const k = makeKey("ecdsa-p256");
  const data = Buffer.from("payload");
  const sig = signBytes(data, k.privateKey);
  assert.equal(sig[0], 0x30, "DER SEQUENCE");
  assert.ok(sig.length >= 8 && sig.length <= 72);
  assert.equal(verifyBytes(data, sig, k.publicKey), true);
  assert.equal(verifyBytes(Buffer.from("payloaD"), sig, k.publicKey), false);
  assert.equal(verifyBytes(data, sig, makeKey().publicKey), false, "another key");
});

test("Ed25519 signatures verify and reject tampering", () => {
  const k = makeKey("ed25519");
  const sig = signBytes(Buffer.from("x"), k.privateKey);
  assert.equal(sig.length, 64);
  assert.equal(verifyBytes(Buffer.from("x"), sig, k.publicKey), true);
  assert.equal(verifyBytes(Buffer.from("y"), sig, k.publicKey), false);
});

test("verifyBytes is false (never throws) for garbage signatures or mismatched key types", () => {
  const ec = makeKey("ecdsa-p256");
  const ed = makeKey("ed25519");
  assert.equal(verifyBytes(Buffer.from("x"), Buffer.from("not a signature"), ec.publicKey), false);
  assert.equal(verifyBytes(Buffer.from("x"), Buffer.alloc(0), ed.publicKey), false);
  assert.equal(verifyBytes(Buffer.from("x"), signBytes(Buffer.from("x"), ed.privateKey), ec.publicKey), false);
});

test("signEnvelope signs PAE(payloadType, payload), not the payload alone", () => {
  const k = makeKey();
  const e = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from("{}"), k);
  const sig = Buffer.from(e.signatures[0].sig, "base64");
  assert.equal(e.signatures[0].keyid, k.keyid);
  assert.equal(verifyBytes(pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from("{}")), sig, k.publicKey), true);
  assert.equal(verifyBytes(Buffer.from("{}"), sig, k.publicKey), false);
});

test("strict base64: standard and URL-safe accepted, everything sloppy rejected", () => {
  assert.deepEqual(decodeBase64Strict("aGVsbG8="), Buffer.from("hello"));
  assert.deepEqual(decodeBase64Strict("aGVsbG8"), Buffer.from("hello"), "unpadded URL-safe form");
  assert.deepEqual(decodeBase64Strict("-_8"), Buffer.from([0xfb, 0xff]));
  assert.deepEqual(decodeBase64Strict(""), Buffer.alloc(0));
  for (const bad of [
    "aGVsbG8=\n",
    "aGVs bG8=",
    "aGVsbG8==",
    "aGVsbG9=",
    "a",
    "aGVsbG8=aGVs",
    "+_==",
    "aGVsbG8!",
    "====",
    "YQ=a",
  ])
    assert.equal(decodeBase64Strict(bad), undefined, JSON.stringify(bad));
});

test("strict base64 round-trips any bytes (fast-check)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      const buf = Buffer.from(b);
      return (
        decodeBase64Strict(buf.toString("base64"))!.equals(buf) &&
        decodeBase64Strict(buf.toString("base64url"))!.equals(buf)
      );
    }),
  );
});

/** The definition decodeBase64Strict implements without re-encoding: the bytes must encode back to the text. */
function roundTripBase64(text: string): Buffer | undefined {
  const standard = Buffer.from(text, "base64");
  if (standard.toString("base64") === text) return standard;
  const urlSafe = Buffer.from(text, "base64url");
  return urlSafe.toString("base64url") === text ? urlSafe : undefined;
}

test("strict base64 accepts exactly what encodes back to itself (fast-check, against the round trip)", () => {
  // Wide characters whose low byte is a base64 digit ("ń" is 0x144: "D") as well as ASCII and Latin-1 ones.
  const chars = [..."AQgwBhx/+-_=9z", " ", "\n", "\t", "!", ".", "é", "\u0000", "\u2028", "ń", "Ł", "ｄ", "ī", "⁄"];
  const anyText = fc.string({ unit: fc.constantFrom(...chars), maxLength: 14 });
  // Valid encodings with one character changed, inserted or removed: the near misses.
  const nearMiss = fc
    .tuple(fc.uint8Array({ maxLength: 12 }), fc.boolean(), fc.nat(), fc.constantFrom(...chars), fc.nat(2))
    .map(([b, url, at, c, how]) => {
      const t = Buffer.from(b).toString(url ? "base64url" : "base64");
      const i = t.length === 0 ? 0 : at % t.length;
      return how === 0
        ? t.slice(0, i) + c + t.slice(i + 1)
        : how === 1
          ? t.slice(0, i) + c + t.slice(i)
          : t.slice(0, i) + t.slice(i + 1);
    });
  fc.assert(
    fc.property(fc.oneof(anyText, nearMiss), (text) => {
      const want = roundTripBase64(text);
      const got = decodeBase64Strict(text);
      return want === undefined ? got === undefined : got !== undefined && got.equals(want);
    }),
    { numRuns: 20000 },
  );
});

test("strict base64 from bytes, decoded a chunk at a time, in place or not, accepts exactly what the round trip accepts (fast-check)", () => {
  const chars = [..."AQgwBhx/+-_=9z", " ", "\n", "\t", "\u001f", "!", ".", "é", "\u0000", "ń", "\u007f"];
  const anyText = fc.string({ unit: fc.constantFrom(...chars), maxLength: 40 });
  // Valid encodings of up to 60 bytes with one or two characters changed, inserted or removed: near misses at
  // every place, a chunk's end included.
  const change = fc.tuple(fc.nat(), fc.constantFrom(...chars), fc.nat(2));
  const nearMiss = fc
    .tuple(fc.uint8Array({ maxLength: 60 }), fc.boolean(), fc.array(change, { maxLength: 2 }))
    .map(([b, url, changes]) =>
      changes.reduce(
        (t, [at, c, how]) => {
          const i = t.length === 0 ? 0 : at % t.length;
          return how === 0
            ? t.slice(0, i) + c + t.slice(i + 1)
            : how === 1
              ? t.slice(0, i) + c + t.slice(i)
              : t.slice(0, i) + t.slice(i + 1);
        },
        Buffer.from(b).toString(url ? "base64url" : "base64"),
      ),
    );
  fc.assert(
    fc.property(
      fc.oneof(anyText, nearMiss),
      fc.constantFrom(4, 8, 12, 16, 65536),
      fc.boolean(),
      (text, chunk, inPlace) => {
        const want = roundTripBase64(text);
        const bytes = Buffer.from(text, "utf8");
        const got = decodeBase64StrictBytes(bytes, { chunk, inPlace });
        if (got && inPlace)
          assert.ok(got.buffer === bytes.buffer && got.byteOffset === bytes.byteOffset, "decoded over its own text");
        return want === undefined ? got === undefined : got !== undefined && got.equals(want);
      },
    ),
    { numRuns: 20000 },
  );
});

test("strict JSON rejects duplicate keys, also when they differ only by escaping", () => {
  assert.throws(() => parseStrictJson('{"a":1,"a":2}'), /duplicate key "a" at offset 7/);
  assert.throws(() => parseStrictJson('{"a":1,"\\u0061":2}'), /duplicate key "a"/);
  assert.throws(() => parseStrictJson('{"x":{"b":1,"b":1}}'), /duplicate key "b"/);
  assert.deepEqual(parseStrictJson('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }], "same key in sibling objects is fine");
});

test("strict JSON rejects trailing data, bad literals, control characters, and deep nesting", () => {
  for (const bad of [
    '{"a":1} x',
    "{'a':1}",
    "[1,]",
    '{"a":01}',
    "tru",
    '"a\u0001"',
    "NaN",
    "1e999",
    '{"a" 1}',
    "",
    " ",
  ])
    assert.throws(() => parseStrictJson(bad), { name: "StrictJsonError" }, JSON.stringify(bad));
  assert.throws(() => parseStrictJson("[".repeat(65) + "]".repeat(65)), /nesting deeper than 64/);
});

test("strict JSON keeps __proto__ as a plain key (no prototype pollution)", () => {
  const v = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(v), ["__proto__"]);
});

test("strict JSON agrees with JSON.parse on every valid JSON document (fast-check)", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
      const s = JSON.stringify(v);
      assert.deepEqual(parseStrictJson(s), JSON.parse(s));
    }),
    { numRuns: 500 },
  );
});

test("strict JSON never throws anything but its own error on arbitrary text (fast-check)", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      try {
        parseStrictJson(s);
      } catch (e) {
        return (e as Error).name === "StrictJsonError";
      }
      return true;
    }),
    { numRuns: 1000 },
  );
});

test("strict JSON from UTF-8 bytes agrees with JSON.parse, non-ASCII strings and keys included (fast-check)", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6, stringUnit: "binary" }), (v) => {
      const s = JSON.stringify(v);
      assert.deepEqual(parseStrictJsonBytes(Buffer.from(s, "utf8")), JSON.parse(s));
    }),
    { numRuns: 500 },
  );
});

test("strict JSON from bytes: duplicate non-ASCII keys, invalid UTF-8 and raw control bytes are rejected", () => {
  const bytes = (s: string) => Buffer.from(s, "utf8");
  assert.throws(() => parseStrictJsonBytes(bytes('{"é":1,"\\u00e9":2}')), /duplicate key "é"/);
  assert.deepEqual(parseStrictJsonBytes(bytes('{"é":1,"e":2}')), { é: 1, e: 2 });
  // A lone continuation byte, an overlong "/" and a truncated sequence: never read as Latin-1.
  for (const bad of [
    [0x22, 0x80, 0x22],
    [0x22, 0xc0, 0xaf, 0x22],
    [0x22, 0xe2, 0x80],
  ])
    assert.throws(() => parseStrictJsonBytes(Buffer.from(bad)), /invalid UTF-8/, JSON.stringify(bad));
  assert.throws(() => parseStrictJsonBytes(bytes('"› \u0001"')), /control character in string/);
  assert.throws(() => parseStrictJsonBytes(bytes("›")), { name: "StrictJsonError" });
});

/** `v` without the values at `paths` (keys from the top, through objects only): what a parse skipping them gives. */
function withoutPaths(v: unknown, paths: string[][]): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.entries(v).flatMap(([key, x]) => {
      const here = paths.filter((p) => p[0] === key);
      return here.some((p) => p.length === 1)
        ? []
        : [
            [
              key,
              withoutPaths(
                x,
                here.map((p) => p.slice(1)),
              ),
            ],
          ];
    }),
  );
}

test("strict JSON skipping paths refuses exactly what the full parse refuses, and leaves only those paths out (fast-check)", () => {
  const key = fc.constantFrom("names", "a", "é", "__proto__");
  const doc = fc.letrec((tie) => ({
    value: fc.oneof(
      { maxDepth: 4 },
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.integer(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc
        .array(fc.tuple(key, tie("value")), { maxLength: 4 })
        .map((kv) => `{${kv.map(([k, x]) => `${JSON.stringify(k)}:${json(x)}`).join(",")}}`),
    ),
  })).value;
  // Objects are built as text so that they can repeat a key; a damage (a character replaced) makes near misses.
  const json = (x: unknown): string => (typeof x === "string" && x.startsWith("{") ? x : JSON.stringify(x));
  const damage = (t: string, at: number, c: string) =>
    t.slice(0, at % (t.length + 1)) + c + t.slice((at % (t.length + 1)) + 1);
  const damages = fc.constantFrom("", '"', "\\", "\\x", "\\u00", "\u0001", ",", " ,", "}", "]", "[", "{", "x", "é");
  const damaged = fc.tuple(doc, fc.nat(), damages).map(([d, at, c]) => damage(json(d), at, c));
  // A long list of names, as the evidence has, damaged anywhere: the skipped lists' fast path.
  const names = fc
    .tuple(fc.array(fc.string({ unit: "binary", maxLength: 5 }), { maxLength: 12 }), fc.nat(), damages)
    .map(([list, at, c]) => `{"names":${damage(JSON.stringify(list), at, c)},"a":1}`);
  fc.assert(
    fc.property(fc.oneof(doc.map(json), damaged, names), (text) => {
      const bytes = Buffer.from(text, "utf8");
      const outcome = (f: () => unknown) => {
        try {
          return { value: f() };
        } catch (e) {
          return { error: (e as Error).message };
        }
      };
      const full = outcome(() => parseStrictJsonBytes(bytes));
      const skip = [["names"], ["a", "names"]];
      const skimmed = outcome(() => parseStrictJsonBytes(bytes, { skip }));
      if ("error" in full) assert.deepEqual(skimmed, full);
      else assert.deepEqual(skimmed, { value: withoutPaths(full.value, skip) });
    }),
    { numRuns: 3000 },
  );
});

test("an envelope line in parts is envelopeLine of the signed envelope, its signature valid under PAE, both key types, the payload whole or in parts (fast-check)", () => {
  const keys = [makeKey("ecdsa-p256"), makeKey("ed25519")];
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 2000 }),
      fc.string(),
      fc.constantFrom(0, 1),
      fc.array(fc.nat(2000), { maxLength: 6 }),
      (bytes, type, k, cuts) => {
        const key = keys[k];
        const payload = Buffer.from(bytes);
        // The same payload as consecutive parts (empty ones included) at arbitrary cuts.
        const at = [0, ...cuts.map((c) => c % (payload.length + 1)).sort((a, b) => a - b), payload.length];
        const pieces = at.slice(1).map((end, i) => payload.subarray(at[i], end));
        for (const given of [payload, pieces]) {
          const [head, encoded, tail] = signedEnvelopeLineParts(type, given, key);
          assert.equal([...encoded].join(""), payload.toString("base64"));
          assert.equal([...encoded].join(""), payload.toString("base64"), "iterable twice");
          const line = head + [...encoded].join("") + tail;
          const env = JSON.parse(line) as DsseEnvelope;
          assert.equal(line, envelopeLine(env));
          assert.equal(env.payloadType, type);
          const sig = Buffer.from(env.signatures[0].sig, "base64");
          assert.ok(verifyBytes(pae(type, payload), sig, key.publicKey), "verifies against the whole PAE");
          assert.ok(verifyPae(type, payload, sig, key.publicKey));
          assert.deepEqual([...signersAmong(env, payload, keys)], [key]);
          const other = Buffer.concat([payload, Buffer.from([0])]);
          assert.equal(verifyPae(type, other, sig, key.publicKey), false, "another payload does not verify");
        }
        assert.equal(sha256Hex(pieces), sha256Hex(payload));
        assert.equal([...base64Parts(pieces)].join(""), payload.toString("base64"));
      },
    ),
    { numRuns: 60 },
  );
});
