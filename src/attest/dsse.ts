// DSSE envelopes: pre-authentication encoding, signing and signature checks with node:crypto.
//
// Format as in https://github.com/secure-systems-lab/dsse (protocol.md, envelope.md), which is what
// cosign, in-toto and sigstore emit: {payloadType, payload: base64, signatures: [{keyid, sig: base64}]}.
import {
  createHash,
  createSign,
  createVerify,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from "node:crypto";
import { isAscii } from "node:buffer";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

export interface DsseSignature {
  /** A hint only: never used to decide anything (docs/gate.md). */
  keyid: string;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([paeHead(payloadType, payload.length), payload]);
}

/** The PAE up to its body: "DSSEv1 SP LEN(type) SP type SP LEN(body) SP". */
function paeHead(payloadType: string, bodyLength: number): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, "ascii"), type, Buffer.from(` ${bodyLength} `, "ascii")]);
}

/**
 * signBytes(pae(payloadType, payload)), the payload given whole or as consecutive parts. ECDSA hashes the
 * header and the parts one after the other instead of copying them into one buffer first (the evidence is
 * 8.7 MB at 100k scenarios); Ed25519 signs the whole message in one call, so it gets the PAE whole.
 */
export function signPae(payloadType: string, payload: Buffer | readonly Buffer[], privateKey: KeyObject): Buffer {
  const parts = Buffer.isBuffer(payload) ? [payload] : payload;
  const length = parts.reduce((n, p) => n + p.length, 0);
  if (privateKey.asymmetricKeyType !== "ec")
    return signBytes(Buffer.concat([paeHead(payloadType, length), ...parts]), privateKey);
  const signer = createSign("sha256").update(paeHead(payloadType, length));
  for (const part of parts) signer.update(part);
  return signer.sign({ key: privateKey, dsaEncoding: "der" });
}

/** verifyBytes(pae(payloadType, payload), signature, publicKey), without the copy for ECDSA (as signPae). */
export function verifyPae(payloadType: string, payload: Buffer, signature: Buffer, publicKey: KeyObject): boolean {
  if (publicKey.asymmetricKeyType !== "ec") return verifyBytes(pae(payloadType, payload), signature, publicKey);
  try {
    return createVerify("sha256")
      .update(paeHead(payloadType, payload.length))
      .update(payload)
      .verify({ key: publicKey, dsaEncoding: "der" }, signature);
  } catch {
    return false;
  }
}

/**
 * Signs raw bytes. ECDSA: SHA-256 with an ASN.1 DER signature (what cosign produces and Kyverno checks);
 * Ed25519: pure EdDSA over the message (no pre-hash).
 */
export function signBytes(data: Buffer, privateKey: KeyObject): Buffer {
  if (privateKey.asymmetricKeyType === "ed25519") return cryptoSign(null, data, privateKey);
  if (privateKey.asymmetricKeyType === "ec") return cryptoSign("sha256", data, { key: privateKey, dsaEncoding: "der" });
  throw new Error(`unsupported key type ${privateKey.asymmetricKeyType} (use ecdsa-p256 or ed25519)`);
}

/** True only for a valid signature; any malformed input is simply false. */
export function verifyBytes(data: Buffer, signature: Buffer, publicKey: KeyObject): boolean {
  try {
    if (publicKey.asymmetricKeyType === "ed25519") return cryptoVerify(null, data, publicKey, signature);
    if (publicKey.asymmetricKeyType === "ec")
      return cryptoVerify("sha256", data, { key: publicKey, dsaEncoding: "der" }, signature);
    return false;
  } catch {
    return false;
  }
}

/** The keys (each once) with a valid signature over the envelope's PAE, whatever its keyid hints say. */
export function signersAmong<K extends { publicKey: KeyObject }>(
  envelope: Pick<DsseEnvelope, "payloadType" | "signatures">,
  payload: Buffer,
  keys: Iterable<K>,
): Set<K> {
  const sigs = envelope.signatures.map((s) => decodeBase64Strict(s.sig)).filter((b): b is Buffer => !!b);
  const out = new Set<K>();
  for (const key of keys)
    if (sigs.some((sig) => verifyPae(envelope.payloadType, payload, sig, key.publicKey))) out.add(key);
  return out;
}

export function signEnvelope(
  payloadType: string,
  payload: Buffer,
  key: { privateKey: KeyObject; keyid: string },
): DsseEnvelope {
  const sig = signPae(payloadType, payload, key.privateKey);
  return {
    payloadType,
    payload: payload.toString("base64"),
    signatures: [{ keyid: key.keyid, sig: sig.toString("base64") }],
  };
}

/** One JSONL line for an envelope (fixed key order, no whitespace). */
export function envelopeLine(env: DsseEnvelope): string {
  return JSON.stringify({
    payloadType: env.payloadType,
    payload: env.payload,
    signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  });
}

/**
 * envelopeLine(signEnvelope(payloadType, payload, key)) in parts: the line up to the payload, the payload's
 * base64, the rest. The payload may be given as consecutive parts: then its base64 is made a part at a time
 * as the result is iterated (base64Parts), so the line (11.6 MB for the evidence at 100k scenarios) is never
 * in memory whole, nor the payload. Safe because base64 needs no JSON escaping, and this function encodes
 * the payload itself.
 */
export function signedEnvelopeLineParts(
  payloadType: string,
  payload: Buffer | readonly Buffer[],
  key: { privateKey: KeyObject; keyid: string },
): [string, Iterable<string>, string] {
  const sig = signPae(payloadType, payload, key.privateKey);
  const rest = envelopeLine({
    payloadType,
    payload: "",
    signatures: [{ keyid: key.keyid, sig: sig.toString("base64") }],
  });
  const cut = rest.indexOf(',"payload":""') + ',"payload":"'.length;
  const encoded = Buffer.isBuffer(payload) ? [payload.toString("base64")] : base64Parts(payload);
  return [rest.slice(0, cut), encoded, rest.slice(cut)];
}

/** The base64 of the parts' concatenation, a part at a time: each cut to a multiple of 3 bytes, the rest carried. */
export function base64Parts(parts: readonly Buffer[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      let carry = Buffer.alloc(0);
      for (const part of parts) {
        const joined = carry.length > 0 ? Buffer.concat([carry, part]) : part;
        const whole = joined.length - (joined.length % 3);
        if (whole > 0) yield joined.toString("base64", 0, whole);
        carry = Buffer.from(joined.subarray(whole));
      }
      if (carry.length > 0) yield carry.toString("base64");
    },
  };
}

/**
 * Decodes base64 strictly: the standard alphabet with padding, or the URL-safe alphabet without (the
 * DSSE spec asks verifiers to accept both). Whitespace, mixed alphabets, misplaced padding or
 * non-canonical trailing bits → undefined: only the text the decoded bytes encode back to is accepted.
 * Buffer.from(..., "base64") reads both alphabets, skips any other ASCII or Latin-1 character and cuts a
 * wider one to its low byte ("ń" reads as "D"). So: ASCII only, and then a text of one alphabet that
 * decodes to as many bytes as its length promises, with zero trailing bits, is exactly that text
 * (test/unit/gate-dsse.test.ts checks the equivalence with the round trip). Re-encoding to compare made an
 * 11 MB string per verify at 100k scenarios.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (typeof text !== "string" || Buffer.byteLength(text, "utf8") !== text.length) return undefined;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const standard = text.length % 4 === 0 && !text.includes("-") && !text.includes("_");
  const urlSafe = pad === 0 && text.length % 4 !== 1 && !text.includes("+") && !text.includes("/");
  if (!standard && !urlSafe) return undefined;
  const bytes = Buffer.from(text, "base64");
  const digits = text.length - pad;
  if (bytes.length !== Math.floor((digits * 3) / 4)) return undefined; // a character skipped, or "=" inside
  // The last digit of a partial group carries bits no byte uses: canonical base64 leaves them zero.
  const unused = [0, 0, 0x0f, 0x03][digits % 4];
  return unused && base64Digit(text.charCodeAt(digits - 1)) & unused ? undefined : bytes;
}

/** Characters decoded at a time by decodeBase64StrictBytes: small strings, made and dropped in V8's young space. */
const BASE64_CHUNK = 64 * 1024;

/**
 * decodeBase64Strict(text) for text given as its (ASCII) bytes, such as an envelope's payload where it lies in
 * the line: the same checks, then the bytes decoded BASE64_CHUNK characters at a time into the result. A
 * string of the whole text, made only to decode it, cost three times the decoding at 100k scenarios
 * (bench/RESULTS.md). A chunk decodes to 3/4 of its length only when every character of it is a digit (a
 * chunk's length is a multiple of 4, but the last's), so the total length check is the whole text's.
 *
 * `inPlace`: the result is written over `bytes` and is their start (`bytes` no longer hold the text, also when
 * the text is refused). Safe because a chunk is copied to a string before its bytes are decoded, and decodes
 * to fewer bytes than it has. For a caller that owns the buffer: fresh memory for the result cost more than
 * the decoding (bench/RESULTS.md). `chunk` (a multiple of 4) is for tests.
 */
export function decodeBase64StrictBytes(
  bytes: Buffer,
  { inPlace = false, chunk = BASE64_CHUNK }: { inPlace?: boolean; chunk?: number } = {},
): Buffer | undefined {
  if (!isAscii(bytes)) return undefined;
  const n = bytes.length;
  const pad = n >= 2 && bytes[n - 1] === 0x3d && bytes[n - 2] === 0x3d ? 2 : n >= 1 && bytes[n - 1] === 0x3d ? 1 : 0;
  // Each alphabet check is a pass over megabytes: the URL-safe one is made only for text that is not standard.
  const standard = n % 4 === 0 && !bytes.includes(0x2d /* - */) && !bytes.includes(0x5f /* _ */);
  if (!standard && !(pad === 0 && n % 4 !== 1 && !bytes.includes(0x2b /* + */) && !bytes.includes(0x2f /* / */)))
    return undefined;
  const digits = n - pad;
  // The last digit's unused bits, read before an in-place decoding writes over it.
  const lastDigit = digits > 0 ? bytes[digits - 1] : 0;
  const size = Math.floor((digits * 3) / 4);
  const out = inPlace ? bytes.subarray(0, size) : Buffer.allocUnsafe(size);
  let written = 0;
  for (let at = 0; at < n; at += chunk)
    written += out.write(bytes.toString("latin1", at, Math.min(n, at + chunk)), written, "base64");
  if (written !== out.length) return undefined; // a character skipped, or "=" inside
  const unused = [0, 0, 0x0f, 0x03][digits % 4];
  return unused && base64Digit(lastDigit) & unused ? undefined : out;
}

/** The value of a base64 digit of either alphabet (only called on text that decoded in full). */
function base64Digit(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41; // A-Z
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26; // a-z
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52; // 0-9
  return c === 0x2b || c === 0x2d ? 62 : 63; // + or -, / or _
}

/** sha256 of the data, or of the concatenation of its parts (hashed one after the other, never joined). */
export function sha256Hex(data: Buffer | string | readonly Buffer[]): string {
  const hash = createHash("sha256");
  for (const part of typeof data === "string" || Buffer.isBuffer(data) ? [data] : data) hash.update(part);
  return hash.digest("hex");
}
