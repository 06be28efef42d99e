// Run attestation: the runner's DSSE signature over run.json's exact bytes, written and checked beside it.
//
// run.json lists every messages file with its size and sha256, so one signature over its bytes binds the
// whole results directory to the job that held the runner key. The payload is run.json itself (not an
// in-toto statement): the gate compares bytes, never re-serialises.
import { writeFileAtomic } from "../core/atomic-write";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readInputFile } from "../core/input-file";
import { MAX_MANIFEST_BYTES, readManifestBytes } from "../core/manifest";
import { UsageError } from "../core/errors";
import { envelopeLine, sha256Hex, signEnvelope, signersAmong } from "./dsse";
import { RUN_KEY_ENV, type SigningKey } from "./keys";
import { parseStrictJson } from "../core/strict-json";
import { RUNNER_ROLE, type Trust } from "./trust";
import { checkEnvelope, decodePayload, DEFAULT_LIMITS, type CheckedEnvelope } from "./verdict-file";

/** The attestation's file name, beside run.json in every results dir. */
export const RUN_ATTESTATION_FILE = "run.json.dsse";
export const RUN_MANIFEST_FILE = "run.json";
/** DSSE payloadType: the payload is a Signoff run manifest, byte for byte. */
export const RUN_MANIFEST_PAYLOAD_TYPE = "application/vnd.signoff.run-manifest+json";

export function runAttestationPath(resultsDir: string): string {
  return join(resultsDir, RUN_ATTESTATION_FILE);
}

/** Signs DIR/run.json as it is on disk now; writes DIR/run.json.dsse (one envelope, one line). */
export function attestRun(resultsDir: string, key: Pick<SigningKey, "privateKey" | "keyid">): string {
  const manifest = readManifestBytes(join(resultsDir, RUN_MANIFEST_FILE));
  const out = runAttestationPath(resultsDir);
  writeFileAtomic(out, envelopeLine(signEnvelope(RUN_MANIFEST_PAYLOAD_TYPE, manifest, key)) + "\n");
  return out;
}

export interface RunAttestationCheck {
  dir: string;
  /** The attestation file's path. */
  path: string;
  status: "valid" | "missing" | "invalid";
  /** Why it is missing or invalid. */
  message?: string;
  /** sha256 of the attestation file's bytes (what the evidence references). */
  digest?: string;
  /** Canonical keyids of the runner keys whose signatures verified. */
  keyids?: string[];
  /** Valid only: the run.json bytes the runner signed (what the gate reads the run's feature tags from, not a second read). */
  manifest?: Buffer;
}

/** Whether DIR/run.json.dsse is a runner-signed envelope over DIR/run.json's exact bytes. Never throws for bad input. */
export function checkRunAttestation(resultsDir: string, trust: Trust): RunAttestationCheck {
  const path = runAttestationPath(resultsDir);
  const result = (
    status: RunAttestationCheck["status"],
    message?: string,
    extra: Partial<RunAttestationCheck> = {},
  ): RunAttestationCheck => ({
    dir: resultsDir,
    path,
    status,
    ...(message ? { message } : {}),
    ...extra,
  });
  if (!existsSync(path))
    return result("missing", `${path}: no run attestation (the run job signs run.json when ${RUN_KEY_ENV} is set)`);
  let bytes: Buffer;
  let manifest: Buffer;
  try {
    bytes = readInputFile(path, { what: "run attestation", maxBytes: 2 * MAX_MANIFEST_BYTES });
    manifest = readManifestBytes(join(resultsDir, RUN_MANIFEST_FILE));
  } catch (err) {
    if (err instanceof UsageError) return result("invalid", err.message);
    throw err;
  }
  const digest = sha256Hex(bytes);
  const env = parseEnvelope(bytes);
  if (typeof env === "string") return result("invalid", `${path}: ${env}`, { digest });
  if (env.payloadType !== RUN_MANIFEST_PAYLOAD_TYPE)
    return result(
      "invalid",
      `${path}: payloadType ${JSON.stringify(env.payloadType).slice(0, 80)} is not ${RUN_MANIFEST_PAYLOAD_TYPE}`,
      { digest },
    );
  const payload = decodePayload(env.payload);
  if (!payload) return result("invalid", `${path}: payload is not valid base64`, { digest });
  if (!payload.equals(manifest))
    return result(
      "invalid",
      `${path}: signs other bytes than ${join(resultsDir, RUN_MANIFEST_FILE)} (run.json was changed after the run signed it, or the attestation belongs to another run)`,
      { digest },
    );
  const runner = trust.roles[RUNNER_ROLE];
  if (!runner || runner.keys.length === 0)
    return result(
      "invalid",
      `${trust.source}: roles.runner: no runner key pinned, so no run attestation can be checked`,
      { digest },
    );
  const signers = [...signersAmong(env, payload, runner.keys)];
  if (signers.length === 0) {
    const hints = env.signatures
      .map((s) => (s.keyid.length > 16 ? `${s.keyid.slice(0, 12)}…` : s.keyid || "(none)"))
      .join(", ");
    return result("invalid", `${path}: not signed by a runner key pinned in ${trust.source} (keyid hint ${hints})`, {
      digest,
    });
  }
  if (signers.length < Math.max(1, runner.threshold))
    return result(
      "invalid",
      `${path}: signed by ${signers.length} distinct runner key(s), ${trust.source} requires ${runner.threshold}`,
      { digest },
    );
  return result("valid", undefined, { digest, keyids: signers.map((k) => k.keyid), manifest });
}

/** The run.json bytes each dir's valid attestation signs, by dir: what the gate and merge load instead of run.json. */
export function signedManifests(checks: readonly RunAttestationCheck[]): Map<string, Buffer> {
  const signed = new Map<string, Buffer>();
  for (const c of checks) if (c.status === "valid" && c.manifest) signed.set(c.dir, c.manifest);
  return signed;
}

/** An envelope as verdict lines are checked (exact fields, limits), or why not. */
function parseEnvelope(bytes: Buffer): CheckedEnvelope | string {
  let json: unknown;
  try {
    json = parseStrictJson(bytes.toString("utf8"), { maxDepth: 8 });
  } catch (err) {
    return `not a DSSE envelope (${(err as Error).message})`;
  }
  let problem = "not a DSSE envelope";
  const env = checkEnvelope(json, "envelope", DEFAULT_LIMITS, (_check, message) => (problem = message));
  return env ?? problem;
}
