// The trust file (trust.yaml): pinned public keys per role, allowed policy digests, max verdict age.
import { writeFileAtomic } from "../core/atomic-write";
import { existsSync } from "node:fs";
import { normalize } from "node:path";
import type { KeyObject } from "node:crypto";
import type { Document, YAMLMap, YAMLSeq } from "yaml";
import { yaml } from "../core/yaml";
import { UsageError } from "../core/errors";
import { MAX_YAML_BYTES, readInputFile } from "../core/input-file";
import { DURATION_PATTERN, parseDuration } from "../core/duration";
import { parsePublicKeyPem, type KeyType } from "./keys";
import { parseYamlWithSchema } from "./yaml-file";

export const DEFAULT_TRUST_FILE = "trust.yaml";
export const GATE_ROLE = "gate";
/** Signs run manifests (run attestation); never a sign-off role. */
export const RUNNER_ROLE = "runner";

export interface TrustKey {
  keyid: string;
  publicKey: KeyObject;
  type: KeyType;
  role: string;
  /** The trust file's name for the key (`name:`), for what verify prints. */
  name?: string;
}

export interface TrustRole {
  threshold: number;
  keys: TrustKey[];
}

export interface Trust {
  source: string;
  maxAge?: string;
  maxAgeSeconds?: number;
  /** Allowed policy digests (lowercase hex sha256) → optional name. */
  allowedPolicies: Map<string, string | undefined>;
  roles: Record<string, TrustRole>;
  /** keyid → key, across all roles (a key is pinned under one role only). */
  keysById: Map<string, TrustKey>;
}

const ROLE = "^[a-z][a-z0-9-]{0,62}$";

export const TRUST_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["version"],
  properties: {
    version: { const: 1 },
    maxAge: { type: "string", pattern: DURATION_PATTERN, description: "must be a duration such as 24h, 90m, 7d" },
    allowedPolicies: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["digest"],
        properties: {
          digest: {
            type: "string",
            pattern: "^sha256:[0-9a-f]{64}$",
            description: "must be sha256:<64 lowercase hex digits>",
          },
          name: { type: "string" },
        },
      },
    },
    roles: {
      type: "object",
      propertyNames: {
        pattern: ROLE,
        description: "must be a role name: lowercase letters, digits and dashes (gate, qa, release-manager)",
      },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["keys"],
        properties: {
          threshold: { type: "integer", minimum: 0, maximum: 100 },
          keys: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["publicKey"],
              properties: {
                keyid: {
                  type: "string",
                  pattern: "^[0-9a-f]{64}$",
                  description:
                    "must be the key's sha256 SPKI fingerprint (64 hex digits, uncompressed point for EC keys)",
                },
                publicKey: { type: "string" },
                name: { type: "string" },
              },
            },
          },
        },
      },
    },
  },
} as const;

interface RawTrust {
  version: 1;
  maxAge?: string;
  allowedPolicies?: { digest: string; name?: string }[];
  roles?: Record<string, { threshold?: number; keys: { keyid?: string; publicKey: string; name?: string }[] }>;
}

/** Validates trust text. requireGate: verify needs the gate's key; `trust add` may start without it. */
export function parseTrust(text: string, file: string, opts: { requireGate?: boolean } = {}): Trust {
  const raw = parseYamlWithSchema<RawTrust>(text, file, "trust");
  const trust: Trust = {
    source: file,
    allowedPolicies: new Map(),
    roles: Object.create(null) as Record<string, TrustRole>, // "constructor" is no role
    keysById: new Map(),
  };
  if (raw.maxAge !== undefined) {
    const s = parseDuration(raw.maxAge);
    if (s === undefined) throw new UsageError(`${file}: maxAge: must be a positive duration such as 24h`);
    trust.maxAge = raw.maxAge;
    trust.maxAgeSeconds = s;
  }
  for (const p of raw.allowedPolicies ?? []) trust.allowedPolicies.set(p.digest.slice("sha256:".length), p.name);
  for (const [role, r] of Object.entries(raw.roles ?? {})) {
    const keys: TrustKey[] = [];
    r.keys.forEach((k, i) => {
      const field = `roles.${role}.keys[${i}]`;
      const info = parsePublicKeyPem(k.publicKey, `${file}: ${field}.publicKey`);
      if (k.keyid !== undefined && k.keyid !== info.keyid)
        throw new UsageError(
          `${file}: ${field}.keyid: does not match the public key (its sha256 SPKI fingerprint is ${info.keyid})`,
        );
      const other = trust.keysById.get(info.keyid);
      // One key, one role: otherwise one person could satisfy two roles, or the gate approve itself.
      if (other)
        throw new UsageError(
          other.role === role
            ? `${file}: ${field}: the same key is pinned twice for role ${role}`
            : `${file}: ${field}: this key is already pinned for role ${other.role}; a key may serve one role only`,
        );
      const key: TrustKey = { keyid: info.keyid, publicKey: info.publicKey, type: info.type, role, name: k.name };
      trust.keysById.set(info.keyid, key);
      keys.push(key);
    });
    const threshold = r.threshold ?? 1;
    if (threshold > keys.length)
      throw new UsageError(
        `${file}: roles.${role}.threshold: ${threshold} can never be met with ${keys.length} pinned key(s)`,
      );
    // A machine role's keys, once pinned, are required: the gate signs every decision, and a runner key pinned
    // makes the gate refuse an unattested run. "Pinned but not required" would make verify pass what the gate refuses.
    if ((role === GATE_ROLE || role === RUNNER_ROLE) && threshold < 1)
      throw new UsageError(
        `${file}: roles.${role}.threshold: must be at least 1 (${role === GATE_ROLE ? "the gate signs every decision" : "a pinned runner key is required of every run"})`,
      );
    trust.roles[role] = { threshold, keys };
  }
  if (opts.requireGate && !trust.roles[GATE_ROLE])
    throw new UsageError(
      `${file}: roles.gate: required field is missing (pin the gate's public key: signoff trust add --role gate --key gate.pub)`,
    );
  return trust;
}

function readTrustText(file: string): string {
  return readInputFile(file, { what: "trust file", maxBytes: MAX_YAML_BYTES }).toString("utf8");
}

export function loadTrust(file: string, opts: { requireGate?: boolean } = {}): Trust {
  return parseTrust(readTrustText(file), file, opts);
}

export interface TrustEdit {
  role?: string;
  /** PEM of the public key to pin for `role`. */
  publicKeyPem?: string;
  keyName?: string;
  threshold?: number;
  allowPolicy?: { digest: string; name?: string };
  maxAge?: string;
}

// Committed with the project: names Signoff's docs without a path that depends on where Signoff was installed.
const HEADER = ` Signoff trust file: which keys may sign for which role, which policies count, and how old a verdict may be.
 Edit with "signoff trust add"; see Signoff's docs/gate.md.`;

/**
 * Allows a policy's digest. An earlier digest allowed under the same file name is an earlier version of that policy
 * and is dropped: left allowed, a looser past version would still pass verify (a downgrade). The digests dropped.
 */
function allowPolicy(doc: Document, policy: { digest: string; name?: string }): string[] {
  const digest = `sha256:${policy.digest}`;
  if (!doc.hasIn(["allowedPolicies"])) doc.setIn(["allowedPolicies"], new yaml.YAMLSeq());
  const seq = doc.getIn(["allowedPolicies"]) as YAMLSeq;
  const field = (it: unknown, key: string) => (it as YAMLMap).get?.(key);
  const sameFile = (it: unknown) =>
    policy.name !== undefined &&
    typeof field(it, "name") === "string" &&
    samePath(String(field(it, "name")), policy.name);
  const earlier = seq.items.filter((it) => sameFile(it) && field(it, "digest") !== digest);
  seq.items = seq.items.filter((it) => !earlier.includes(it));
  if (!seq.items.some((it) => field(it, "digest") === digest))
    seq.items.push(doc.createNode(policy.name ? { digest, name: policy.name } : { digest }));
  return earlier.map((it) => String(field(it, "digest")));
}

/** Two spellings of one relative or absolute path (`./gate.policy.yaml`, `gate.policy.yaml`). */
const samePath = (a: string, b: string): boolean => normalize(a) === normalize(b);

/** Applies an edit to trust.yaml (created if missing), keeping comments; validates before writing atomically. */
export function addToTrust(file: string, edit: TrustEdit): { created: boolean; text: string; replaced: string[] } {
  const created = !existsSync(file);
  const before = created ? "" : readTrustText(file);
  // The existing file must be valid before it is touched, its mistakes named at their lines (duplicate keys included:
  // parseTrust finds them in one pass, where the yaml library's uniqueKeys compares every pair).
  if (!created) parseTrust(before, file);
  const doc: Document = created ? new yaml.Document({ version: 1 }) : yaml.parseDocument(before, { uniqueKeys: false });
  if (created) doc.commentBefore = HEADER;
  if (edit.maxAge !== undefined) {
    if (parseDuration(edit.maxAge) === undefined)
      throw new UsageError(`--max-age: "${edit.maxAge}" is not a duration such as 24h`);
    doc.setIn(["maxAge"], edit.maxAge);
  }
  let replaced: string[] = [];
  if (edit.allowPolicy) replaced = allowPolicy(doc, edit.allowPolicy);
  if (edit.role !== undefined) {
    if (!new RegExp(ROLE).test(edit.role))
      throw new UsageError(
        `--role: "${edit.role}" must be lowercase letters, digits and dashes (e.g. gate, qa, release-manager)`,
      );
    if (!doc.hasIn(["roles"])) doc.setIn(["roles"], new yaml.YAMLMap());
    if (edit.publicKeyPem) {
      const info = parsePublicKeyPem(edit.publicKeyPem, "--key");
      // Compared by canonical keyid: the same EC point re-encoded (compressed, hybrid) is the same key.
      const pinned = created ? undefined : parseTrust(String(doc), file).keysById.get(info.keyid);
      if (pinned)
        throw new UsageError(
          pinned.role === edit.role
            ? `--key: this key (keyid ${info.keyid}) is already pinned for role ${edit.role} in ${file}`
            : `--key: this key (keyid ${info.keyid}) is already pinned for role ${pinned.role} in ${file}; a key may serve one role only`,
        );
      const entry: Record<string, string> = { keyid: info.keyid, publicKey: edit.publicKeyPem };
      if (edit.keyName) entry.name = edit.keyName;
      if (!doc.hasIn(["roles", edit.role])) doc.setIn(["roles", edit.role], doc.createNode({ threshold: 1, keys: [] }));
      doc.addIn(["roles", edit.role, "keys"], doc.createNode(entry));
    } else if (edit.threshold !== undefined && !doc.hasIn(["roles", edit.role])) {
      throw new UsageError(`--threshold: role ${edit.role} has no keys yet; add one with --key`);
    }
    if (edit.threshold !== undefined) doc.setIn(["roles", edit.role, "threshold"], edit.threshold);
  }
  const text = String(doc);
  // Validate the result (duplicate keys across roles, thresholds...) so we never write a broken trust file.
  parseTrust(text, file);
  writeFileAtomic(file, text);
  return { created, text, replaced };
}
