// `signoff approve` without the CLI: check the verdict's decision, sign a sign-off statement, append it.
import { readFileSync } from "node:fs";
import { EXIT, SignoffError, UsageError } from "../errors";
import { isSha256Hex } from "./artifact";
import { IN_TOTO_PAYLOAD_TYPE, envelopeLine, pae, decodeBase64Strict, signEnvelope, verifyBytes } from "./dsse";
import type { SigningKey } from "./keys";
import { signoffStatement, statementBytes, type Subject } from "./statements";
import { GATE_ROLE } from "./trust";
import { writeAtomically } from "./gate";
import { parseVerdict } from "./verdict-file";

export interface ApproveOptions {
  verdictFile: string;
  key: SigningKey;
  role: string;
  comment?: string;
  now?: Date;
}

const ROLE = /^[a-z][a-z0-9-]{0,62}$/;

export function approve(opts: ApproveOptions): { decisionDigest: string; subject: Subject; line: string } {
  const { verdictFile: file, key, role } = opts;
  if (!ROLE.test(role)) throw new UsageError(`--role: "${role}" must be lowercase letters, digits and dashes (e.g. qa, release-manager)`);
  if (role === GATE_ROLE) throw new UsageError(`--role: "gate" signs decisions; sign-offs come from people in other roles`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot read the verdict (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const parsed = parseVerdict(buf);
  if (parsed.failures.length) throw new UsageError(`${file}: ${parsed.failures[0].message}`);
  const decisions = parsed.entries.filter((e) => e.kind === "decision");
  if (decisions.length !== 1) throw new UsageError(`${file}: expected exactly one decision statement, found ${decisions.length}`);
  const d = decisions[0];
  const subject = d.statement.subject[0] as unknown as Subject;
  if (typeof subject?.name !== "string" || !isSha256Hex(subject.digest?.sha256))
    throw new UsageError(`${file}: line ${d.line}: the decision's subject has no name and sha256 digest`);
  // Signing off a rejected build is never what anyone means; the promotion would fail anyway.
  if (d.statement.predicate.verificationResult !== "PASSED")
    throw new SignoffError(`${file}: the gate's decision is ${String(d.statement.predicate.verificationResult)}; refusing to sign off`, EXIT.no);
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
  writeAtomically(file, buf.toString("utf8") + line + "\n");
  return { decisionDigest: d.digest, subject, line };
}
