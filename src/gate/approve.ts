// `signoff approve` without the CLI: check the verdict's decision, sign a sign-off statement, append it.
import { didYouMean } from "../core/did-you-mean";
import { RefusedError, UsageError } from "../core/errors";
import { readInputFile } from "../core/input-file";
import { isSha256Hex } from "../attest/artifact";
import { IN_TOTO_PAYLOAD_TYPE, envelopeLine, pae, decodeBase64Strict, signEnvelope, verifyBytes } from "../attest/dsse";
import type { SigningKey } from "../attest/keys";
import { signoffStatement, statementBytes } from "./statements";
import type { Subject } from "../attest/in-toto";
import { GATE_ROLE, RUNNER_ROLE, type Trust } from "../attest/trust";
import { decisionRunProblems, signersOf } from "./verify";
import { writeAtomically } from "./gate";
import { DEFAULT_LIMITS, parseVerdict, type VerdictEntry } from "../attest/verdict-file";

export interface ApproveOptions {
  verdictFile: string;
  key: SigningKey;
  role: string;
  comment?: string;
  /** When given, the decision must carry the gate signatures this trust file requires before anyone signs it. */
  trust?: Trust;
  now?: Date;
}

const ROLE = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * With the trust file at hand, a sign-off verify would never count is refused before it is written: a role
 * the file does not know (a typo), a key it does not pin, a key pinned for another role. Appended, such a
 * line cannot be taken back without editing the signed file by hand, and the verdict fails until then.
 */
function checkSignerPinned(key: SigningKey, role: string, trust: Trust): void {
  const roles = Object.keys(trust.roles).filter((r) => r !== GATE_ROLE && r !== RUNNER_ROLE);
  if (!trust.roles[role])
    throw new UsageError(
      `--role: ${trust.source} has no role "${role}"${didYouMean(role, roles)}; its sign-off roles: ${roles.join(", ") || "(none)"}`,
    );
  const pinned = trust.keysById.get(key.keyid);
  if (!pinned)
    throw new UsageError(
      `${key.source}: this key (keyid ${key.keyid}) is not pinned in ${trust.source}, so verify would not count its sign-off (pin its public key: signoff trust add --role ${role} --key PUB)`,
    );
  if (pinned.role !== role)
    throw new UsageError(
      `${key.source}: this key is pinned for role ${pinned.role} in ${trust.source}, not ${role}; verify would not count it as a ${role} sign-off`,
    );
}

/** A decision nobody can prove the gate signed is not signed off (exit 1, like verify's verdict). */
function checkGateSignature(d: VerdictEntry, file: string, trust: Trust): void {
  const gate = trust.roles[GATE_ROLE];
  if (!gate)
    throw new UsageError(
      `${trust.source}: roles.gate: required field is missing (pin the gate's public key: signoff trust add --role gate --key gate.pub)`,
    );
  const signers = signersOf(d, gate.keys);
  if (signers.size < gate.threshold)
    throw new RefusedError(
      `${file}: line ${d.line}: the decision is signed by ${signers.size} of the ${gate.threshold} gate key(s) ${trust.source} requires (forged or altered); refusing to sign off`,
    );
}

/**
 * The runs the decision's evidence judged were signed by runner keys this trust file pins, as verify will require:
 * nobody should be asked to sign what verify refuses (a gate given another trust file, a forged results dir signed by
 * a developer's key).
 */
function checkRunsVouched(d: VerdictEntry, entries: readonly VerdictEntry[], file: string, trust: Trust): void {
  const problems = decisionRunProblems(trust, d, entries);
  if (problems.length > 0)
    throw new RefusedError(`${file}: ${problems[0]}; refusing to sign off: verify would refuse it`);
}

export function approve(opts: ApproveOptions): { decisionDigest: string; subject: Subject; line: string } {
  const { verdictFile: file, key, role } = opts;
  if (!ROLE.test(role))
    throw new UsageError(`--role: "${role}" must be lowercase letters, digits and dashes (e.g. qa, release-manager)`);
  if (role === GATE_ROLE)
    throw new UsageError(`--role: "gate" signs decisions; sign-offs come from people in other roles`);
  if (role === RUNNER_ROLE)
    throw new UsageError(`--role: "runner" signs run manifests; sign-offs come from people in other roles`);
  if (opts.trust) checkSignerPinned(key, role, opts.trust);
  const buf = readInputFile(file, { what: "verdict", maxBytes: DEFAULT_LIMITS.maxBytes });
  const parsed = parseVerdict(buf, DEFAULT_LIMITS, { testNames: false });
  if (parsed.failures.length) throw new UsageError(`${file}: ${parsed.failures[0].message}`);
  const decisions = parsed.entries.filter((e) => e.kind === "decision");
  if (decisions.length !== 1)
    throw new UsageError(`${file}: expected exactly one decision statement, found ${decisions.length}`);
  const d = decisions[0];
  if (opts.trust) checkGateSignature(d, file, opts.trust);
  if (d.statement.subject.length !== 1)
    throw new UsageError(
      `${file}: line ${d.line}: the decision names ${d.statement.subject.length} subjects; a decision is about exactly one artifact`,
    );
  const subject = d.statement.subject[0] as unknown as Subject;
  if (typeof subject?.name !== "string" || !isSha256Hex(subject.digest?.sha256))
    throw new UsageError(`${file}: line ${d.line}: the decision's subject has no name and sha256 digest`);
  // Signing off a rejected build is never what anyone means; the promotion would fail anyway.
  if (d.statement.predicate.verificationResult !== "PASSED")
    throw new RefusedError(
      `${file}: the gate's decision is ${String(d.statement.predicate.verificationResult)}; refusing to sign off`,
    );
  if (opts.trust) checkRunsVouched(d, parsed.entries, file, opts.trust);
  // The gate's own key must never approve: that would turn one key into two signatures.
  const data = pae(d.envelope.payloadType, d.payload);
  if (d.envelope.signatures.some((s) => verifyBytes(data, decodeBase64Strict(s.sig) ?? Buffer.alloc(0), key.publicKey)))
    throw new UsageError(`${key.source}: this key signed the decision; a sign-off must come from a different key`);
  const statement = signoffStatement(
    { name: subject.name, sha256: subject.digest.sha256 },
    {
      role,
      signer: { keyid: key.keyid },
      timeSigned: (opts.now ?? new Date()).toISOString(),
      ...(opts.comment ? { comment: opts.comment } : {}),
      decision: { uri: `${file.split(/[\\/]/).pop()}#${d.line}`, digest: { sha256: d.digest } },
    },
  );
  const line = envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(statement), key));
  // Rewrite (not append) so a crash mid-write can never leave a torn last line.
  writeAtomically(file, [buf, line, "\n"]);
  return { decisionDigest: d.digest, subject, line };
}
