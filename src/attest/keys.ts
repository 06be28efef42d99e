// Signing keys: generation, loading private keys from a file or the environment, public keys and keyids.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { closeSync, constants, existsSync, mkdirSync, openSync, writeFileSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../core/errors";
import { MAX_KEY_BYTES, readInputFile } from "../core/input-file";

export type KeyType = "ecdsa-p256" | "ed25519";
export const KEY_TYPES: KeyType[] = ["ecdsa-p256", "ed25519"];

/** Private key PEM (or base64 of the PEM, for CI systems that only mask single-line secrets). */
export const KEY_ENV = "SIGNOFF_KEY";
/** Passphrase for an encrypted PKCS#8 private key (file or SIGNOFF_KEY); keygen encrypts with it too. */
export const KEY_PASSWORD_ENV = "SIGNOFF_KEY_PASSWORD";

export interface PublicKeyInfo {
  publicKey: KeyObject;
  /** sha256 (hex) of the canonical SubjectPublicKeyInfo DER (keyIdOf): the same key always has the same id. */
  keyid: string;
  type: KeyType;
}

export interface SigningKey extends PublicKeyInfo {
  privateKey: KeyObject;
  /** Where it came from, for messages: a file path or "$SIGNOFF_KEY". */
  source: string;
}

/**
 * One key, one form: the same EC point can be written compressed, hybrid or uncompressed in an SPKI,
 * each with other bytes. A round trip through JWK (x, y) always yields the uncompressed SPKI, so
 * existing keyids (of uncompressed keys) are unchanged and every encoding of a key shares one keyid.
 */
export function canonicalPublicKey(publicKey: KeyObject): KeyObject {
  if (publicKey.asymmetricKeyType !== "ec") return publicKey;
  return createPublicKey({ key: publicKey.export({ format: "jwk" }), format: "jwk" });
}

/** sha256 (hex) of the canonical SubjectPublicKeyInfo DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(canonicalPublicKey(publicKey).export({ type: "spki", format: "der" }))
    .digest("hex");
}

/**
 * Ed25519 public keys no one holds the private key of: the points of small order (libsodium's blocklist, as
 * `crypto_core_ed25519_is_valid_point` refuses them) and the encodings of y ≥ p. A fixed signature (R = such a point,
 * S = 0) verifies under them for any message, and node:crypto (OpenSSL) verifies it; each non-canonical spelling of
 * a point would also get a keyid of its own, one "key" counting as several signers. Hand-written: no library Signoff
 * depends on checks a public key's point, and these are seven constants.
 */
const ED25519_SMALL_ORDER_Y = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

/** Why anyone can sign for an Ed25519 public key (see ED25519_SMALL_ORDER_Y), or undefined when only its holder can. */
function weakEd25519(publicKey: KeyObject): string | undefined {
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  if (raw.length !== 32) return "not a 32-byte Ed25519 key";
  const y = Buffer.from(raw);
  y[31] &= 0x7f; // the sign of x: every small-order y is refused with either sign
  if (ED25519_SMALL_ORDER_Y.includes(y.toString("hex"))) return "a point of small order";
  // y ≥ p = 2^255 − 19: a non-canonical spelling (little-endian: ed…ff ff…ff 7f and up).
  if (y[31] === 0x7f && y.subarray(1, 31).every((b) => b === 0xff) && y[0] >= 0xed) return "a non-canonical encoding";
  return undefined;
}

/** ECDSA P-256 or Ed25519, else a message saying why not. */
function keyTypeOf(key: KeyObject): KeyType | string {
  if (key.asymmetricKeyType === "ed25519") return "ed25519";
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === "prime256v1" ? "ecdsa-p256" : `unsupported EC curve ${curve} (only P-256)`;
  }
  return `unsupported key type ${key.asymmetricKeyType} (use ecdsa-p256 or ed25519)`;
}

export function generateKeys(
  type: KeyType,
  passphrase?: string,
): { privatePem: string; publicPem: string; keyid: string } {
  const pair =
    type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const privatePem = pair.privateKey.export(
    passphrase ? { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase } : { type: "pkcs8", format: "pem" },
  ) as string;
  const publicPem = pair.publicKey.export({ type: "spki", format: "pem" }) as string;
  return { privatePem, publicPem, keyid: keyIdOf(pair.publicKey) };
}

/**
 * Writes PREFIX.key (0600, created exclusively so an existing key is never overwritten) and PREFIX.pub.
 */
export function writeKeyPair(
  prefix: string,
  type: KeyType,
  passphrase?: string,
): { keyFile: string; pubFile: string; keyid: string } {
  const keyFile = `${prefix}.key`;
  const pubFile = `${prefix}.pub`;
  for (const f of [keyFile, pubFile])
    if (existsSync(f)) throw new UsageError(`${f}: already exists; refusing to overwrite a key`);
  const { privatePem, publicPem, keyid } = generateKeys(type, passphrase);
  let fd: number;
  try {
    // A new folder for keys is private too; an existing one is left as it is.
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    // O_EXCL + mode at creation: the private key is never readable by others, not even for a moment.
    fd = openSync(keyFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    throw new UsageError(
      `${keyFile}: cannot create the key file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    writeFileSync(fd, privatePem);
  } finally {
    closeSync(fd);
  }
  writeFileSync(pubFile, publicPem, { mode: 0o644 });
  return { keyFile, pubFile, keyid };
}

/**
 * OpenSSL's codes for an encrypted key that the passphrase does not open: a wrong one ("bad decrypt"; a very long one
 * is "interrupted or cancelled"), or one whose garbage happens to end in valid padding (about 1 in 250 wrong
 * passphrases), which then fails to decode as "unsupported". A damaged key file gives the same codes, so the message
 * names both causes.
 */
const NOT_DECRYPTED = new Set([
  "ERR_OSSL_BAD_DECRYPT",
  "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED",
  "ERR_OSSL_EVP_BAD_DECRYPT",
  "ERR_OSSL_UNSUPPORTED",
]);
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/;

/** A public key where the private one belongs (--key keys/qa.pub) is named as such, not as "not a private key". */
function refusePublicKey(pem: string, label: string): void {
  if (/-----BEGIN PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem))
    throw new UsageError(
      `${label}: this is a public key; pass the private key (PREFIX.key from signoff keygen, not PREFIX.pub)`,
    );
}

function parsePrivatePem(pem: string, label: string, passphrase?: string, passwordEnv = KEY_PASSWORD_ENV): SigningKey {
  refusePublicKey(pem, label);
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem))
    throw new UsageError(
      `${label}: not a PEM private key (expected "-----BEGIN PRIVATE KEY-----"; run "signoff keygen")`,
    );
  const encrypted = ENCRYPTED_PEM.test(pem);
  if (encrypted && !passphrase)
    throw new UsageError(`${label}: the private key is encrypted: set ${passwordEnv} to its passphrase`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(passphrase ? { key: pem, format: "pem", passphrase } : { key: pem, format: "pem" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (encrypted && NOT_DECRYPTED.has(code))
      throw new UsageError(
        `${label}: cannot decrypt the private key (set ${passwordEnv} to its passphrase; if it is right, the key file is damaged: ${code})`,
      );
    throw new UsageError(`${label}: malformed PEM private key (${(err as Error).message})`);
  }
  const type = keyTypeOf(privateKey);
  if (!KEY_TYPES.includes(type as KeyType)) throw new UsageError(`${label}: ${type}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyid: keyIdOf(publicKey), type: type as KeyType, source: label };
}

/** The runner's key (run attestation): PEM or base64 of the PEM, like SIGNOFF_KEY, in the run job only. */
export const RUN_KEY_ENV = "SIGNOFF_RUN_KEY";
export const RUN_KEY_PASSWORD_ENV = "SIGNOFF_RUN_KEY_PASSWORD";

/**
 * The environment without the variables that hold signing keys and their passphrases, for the processes that run the
 * project's code (its steps, the bundled app): they sign nothing, and a step could read a key there. The parent's own
 * environment stays readable to the same user (/proc): this keeps keys from a `process.env` read, not from the job.
 */
export function withoutSigningKeys(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of [KEY_ENV, KEY_PASSWORD_ENV, RUN_KEY_ENV, RUN_KEY_PASSWORD_ENV]) delete out[name];
  return out;
}

/** Which environment variables hold a key and its passphrase. */
export interface KeyEnvNames {
  key: string;
  password: string;
  /** The other way out, for the line when the variable holds no key: "pass --key FILE". */
  otherwise: string;
}
const GATE_KEY_ENV: KeyEnvNames = { key: KEY_ENV, password: KEY_PASSWORD_ENV, otherwise: "pass --key FILE" };
const RUN_KEY_NAMES: KeyEnvNames = {
  key: RUN_KEY_ENV,
  password: RUN_KEY_PASSWORD_ENV,
  otherwise: "unset it to run without a run attestation",
};

/**
 * Loads the signing key from `file`, else from $SIGNOFF_KEY. Like ssh, a key file that group or others
 * can read (or write) is refused: a leaked gate key forges verdicts.
 */
export function loadSigningKey(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  names: KeyEnvNames = GATE_KEY_ENV,
): SigningKey {
  const passphrase = env[names.password] || undefined;
  if (file) {
    let mode = 0;
    const pem = readInputFile(file, {
      what: "private key",
      maxBytes: MAX_KEY_BYTES,
      check: (st: Stats) => void (mode = st.mode),
    }).toString("utf8");
    // A public key passed by mistake (keys/qa.pub) is named first: its mode (0644, as keygen writes it) is
    // right for a public key, and "chmod 600" would only lead to the next error.
    refusePublicKey(pem, file);
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, "0");
      throw new UsageError(
        `${file}: permissions ${octal} are too open; a private key must not be accessible by group or others (chmod 600 ${file})`,
      );
    }
    return parsePrivatePem(pem, file, passphrase, names.password);
  }
  const fromEnv = env[names.key];
  if (fromEnv && fromEnv.trim()) {
    let pem = fromEnv.trim();
    if (!pem.startsWith("-----")) pem = Buffer.from(pem, "base64").toString("utf8");
    return parsePrivatePem(pem, `$${names.key}`, passphrase, names.password);
  }
  // Set but empty is what CI gives for a secret that is not defined: said as such, never taken for "no key wanted".
  if (fromEnv !== undefined)
    throw new UsageError(
      `no signing key: ${names.key} is set but empty (a CI secret that is not defined?): set it to the private key (PEM, or base64 of the PEM), or ${names.otherwise}`,
    );
  throw new UsageError(`no signing key: ${names.otherwise} or set ${names.key} (PEM, or base64 of the PEM)`);
}

/**
 * The runner's key when $SIGNOFF_RUN_KEY is set (the run then attests its manifest), else undefined. Set but empty
 * (a CI secret that is missing) is a UsageError like an empty $SIGNOFF_KEY, not an unsigned run.
 */
export function loadRunKey(env: NodeJS.ProcessEnv = process.env): SigningKey | undefined {
  if (env[RUN_KEY_ENV] === undefined) return undefined;
  return loadSigningKey(undefined, env, RUN_KEY_NAMES);
}

/** Parses a PEM public key (SPKI), ECDSA P-256 or Ed25519; throws UsageError naming `label`. */
export function parsePublicKeyPem(pem: string, label: string): PublicKeyInfo {
  if (typeof pem !== "string" || !pem.includes("-----BEGIN PUBLIC KEY-----"))
    throw new UsageError(
      `${label}: not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", e.g. PREFIX.pub from signoff keygen)`,
    );
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: "pem" });
  } catch (err) {
    throw new UsageError(`${label}: malformed PEM public key (${(err as Error).message})`);
  }
  const type = keyTypeOf(publicKey);
  if (!KEY_TYPES.includes(type as KeyType)) throw new UsageError(`${label}: ${type}`);
  const weak = type === "ed25519" ? weakEd25519(publicKey) : undefined;
  if (weak)
    throw new UsageError(
      `${label}: an Ed25519 public key anyone can sign for (${weak}): a fixed signature verifies under it for any message, so it cannot stand for a signer; pin a key signoff keygen made`,
    );
  const canonical = canonicalPublicKey(publicKey);
  return { publicKey: canonical, keyid: keyIdOf(canonical), type: type as KeyType };
}

export function loadPublicKeyFile(file: string): PublicKeyInfo & { pem: string } {
  const pem = readInputFile(file, { what: "public key", maxBytes: MAX_KEY_BYTES }).toString("utf8");
  if (/PRIVATE KEY-----/.test(pem))
    throw new UsageError(`${file}: this is a private key; pin the public key (PREFIX.pub)`);
  const info = parsePublicKeyPem(pem, file);
  return { ...info, pem: info.publicKey.export({ type: "spki", format: "pem" }) as string };
}
