// The release flow through the real CLI — keygen → trust add → gate → approve → verify — for any way of calling `signoff`.
import assert from "node:assert/strict";
import type { CliResult } from "./cli";

/** Runs `signoff ARGS` in a project: the checkout's CLI, or an installed package through npx. */
export type Signoff = (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliResult>;

/** Waits for a command and asserts it exited 0, showing what it printed if not. */
export async function ok(r: Promise<CliResult>, what = "signoff"): Promise<CliResult> {
  const res = await r;
  assert.equal(res.code, 0, `${what}: exit ${res.code}\n${res.stdout}${res.stderr}`);
  return res;
}

export interface KeySpec {
  /** Written to keys/NAME.key and keys/NAME.pub (keys/ must exist). */
  name: string;
  type?: "ecdsa-p256" | "ed25519";
}

/** `signoff keygen` for each key, one after the other (three at once can time out on a loaded machine); what each printed. */
export async function makeKeys(signoff: Signoff, keys: KeySpec[]): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const { name, type } of keys)
    out.push(
      await ok(signoff(["keygen", "--out", `keys/${name}`, ...(type ? ["--type", type] : [])]), `keygen ${name}`),
    );
  return out;
}

export interface Pin {
  role: string;
  /** The public key file, e.g. keys/qa.pub. */
  key: string;
  name?: string;
  /** gate only: the policy file whose digest the gate key may sign for, and the verdict's maximum age. */
  allowPolicy?: string;
  maxAge?: string;
}

/** The gate key pinned with the project's policy and a day's maximum age. */
export const gatePin = (policy = "gate.policy.yaml"): Pin => ({
  role: "gate",
  key: "keys/gate.pub",
  allowPolicy: policy,
  maxAge: "24h",
});

/** `signoff trust add` for each pin, one after the other (they write the same trust file). */
export async function pinKeys(signoff: Signoff, pins: Pin[]): Promise<void> {
  for (const p of pins) {
    const args = ["trust", "add", "--role", p.role, "--key", p.key];
    if (p.name) args.push("--name", p.name);
    if (p.allowPolicy) args.push("--allow-policy", p.allowPolicy);
    if (p.maxAge) args.push("--max-age", p.maxAge);
    await ok(signoff(args), `trust add ${p.role}`);
  }
}

export const VERDICT = "reports/verdict.intoto.jsonl";

/** `signoff gate` for the artifact with keys/gate.key; `extra` adds or overrides options. */
export const gate = (signoff: Signoff, artifact: string, extra: string[] = []) =>
  signoff(["gate", "--artifact", artifact, "--key", "keys/gate.key", ...extra]);

/** `signoff approve` of the verdict as ROLE with keys/KEY.key (no key: SIGNOFF_KEY in env). */
export function approve(
  signoff: Signoff,
  o: { role: string; key?: string; verdict?: string; trust?: string; comment?: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  const args = ["approve", "--verdict", o.verdict ?? VERDICT, "--role", o.role];
  if (o.key) args.push("--key", `keys/${o.key}.key`);
  if (o.trust) args.push("--trust", o.trust);
  if (o.comment) args.push("--comment", o.comment);
  return signoff(args, o.env);
}

/** `signoff verify` of the verdict for the artifact, against the trust file when given (else the default). */
export const verify = (signoff: Signoff, artifact: string, o: { verdict?: string; trust?: string } = {}) =>
  signoff([
    "verify",
    "--verdict",
    o.verdict ?? VERDICT,
    "--artifact",
    artifact,
    ...(o.trust ? ["--trust", o.trust] : []),
  ]);
