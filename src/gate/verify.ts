// The promotion gate: every check of docs/gate.md "Verify: the checks" over a verdict file, against a trust file.
//
// verifyVerdict never throws for bad input and never stops at the first problem: it returns every
// failed check, each a distinct, specific reason, and `ok` only when the list is empty.
import { InputTooLargeError, InvalidUtf8Error, readInputFileInBackground } from "../core/input-file";
import { formatArtifactRef, isSha256Hex, type ArtifactRef } from "../attest/artifact";
import { signersAmong } from "../attest/dsse";
import { formatDuration, parseDuration } from "../core/duration";
import { GATE_DETAIL_KEY, type GateDetail } from "./statements";
import { GATE_ROLE, RUNNER_ROLE, type Trust, type TrustKey } from "../attest/trust";
import {
  DEFAULT_LIMITS,
  NOT_UTF8_VERDICT,
  oversizedVerdict,
  parseVerdict,
  type CheckId,
  type Failure,
  type VerdictEntry,
  type VerdictLimits,
} from "../attest/verdict-file";

export type { Failure, CheckId } from "../attest/verdict-file";

export interface VerifyOptions {
  artifact: ArtifactRef;
  trust: Trust;
  now?: Date;
  limits?: VerdictLimits;
  /** Tolerated clock skew for timestamps in the future (default 5 minutes). */
  clockSkewSeconds?: number;
}

export interface RoleTally {
  role: string;
  need: number;
  have: number;
  keyids: string[];
}

export interface VerifyReport {
  ok: boolean;
  failures: Failure[];
  decision?: {
    line: number;
    digest: string;
    timeVerified?: string;
    result?: string;
    policyDigest?: string;
    /** The pinned gate keys whose signatures on the decision verified (keyid, and the trust file's name for it). */
    signedBy?: { keyid: string; name?: string }[];
  };
  roles: RoleTally[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const ROLE = /^[a-z][a-z0-9-]{0,62}$/;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const short = (hex: string) => (hex.length > 16 ? `${hex.slice(0, 12)}…` : hex || "(none)");

/** Which trusted keys produced a valid signature on the entry (each key once, whatever the keyid hint says). */
export function signersOf(entry: VerdictEntry, keys: Iterable<TrustKey>): Set<TrustKey> {
  return signersAmong(entry.envelope, entry.payload, keys);
}

/** Why no key of `role` verified: the hint (diagnostics only) tells "altered" from "untrusted". */
function signatureProblem(entry: VerdictEntry, role: string, trust: Trust): string {
  const what = `line ${entry.line} (${entry.kind})`;
  const hinted = entry.envelope.signatures.map((s) => trust.keysById.get(s.keyid)).find((k) => k?.role === role);
  if (hinted)
    return `${what}: signature does not verify with the pinned ${role} key ${short(hinted.keyid)}: the payload or the signature was altered (or the signature belongs to another envelope)`;
  const hints = entry.envelope.signatures.map((s) => short(s.keyid)).join(", ");
  return `${what}: not signed by any key the trust file pins for role "${role}" (signature keyid hint ${hints} is not pinned for ${role})`;
}

export function verifyVerdict(input: Buffer, opts: VerifyOptions): VerifyReport {
  return verifyBytes(input, opts, false);
}

/** verifyVerdict; `owned`: nothing else reads `input`, so its payloads are decoded over their base64. */
function verifyBytes(input: Buffer, opts: VerifyOptions, owned: boolean): VerifyReport {
  // Defense in depth: whatever slips past the input checks is a failed check, never a crash or a pass.
  try {
    return verifyUnsafe(input, opts, owned);
  } catch (err) {
    return {
      ok: false,
      roles: [],
      failures: [
        { check: "input", message: `verdict could not be checked: ${(err as Error)?.message ?? String(err)}` },
      ],
    };
  }
}

/** What every check reads: the parsed verdict, the trust file, the clock, and where failures go. */
interface Check {
  entries: VerdictEntry[];
  trust: Trust;
  artifact: ArtifactRef;
  now: Date;
  skew: number;
  report: VerifyReport;
  fail(check: CheckId, message: string): void;
}

function verifyUnsafe(input: Buffer, opts: VerifyOptions, owned: boolean): VerifyReport {
  const parsed = parseVerdict(input, opts.limits ?? DEFAULT_LIMITS, { testNames: false, decodeInPlace: owned });
  const failures: Failure[] = [...parsed.failures];
  const report: VerifyReport = { ok: false, failures, roles: [] };
  if (parsed.entries.length === 0 && failures.length > 0) return report;
  const c: Check = {
    entries: parsed.entries,
    trust: opts.trust,
    artifact: opts.artifact,
    now: opts.now ?? new Date(),
    skew: opts.clockSkewSeconds ?? 300,
    report,
    fail: (check, message) => void failures.push({ check, message }),
  };
  checkSubjects(c);
  const authentic = gateSigned(c);
  const decision = theDecision(c, authentic);
  const detail = decision ? checkDecision(c, decision, authentic) : undefined;
  const signedBy = checkSignoffs(c, decision);
  checkThresholds(c, requiredSignoffs(c.trust, detail), signedBy);
  report.ok = failures.length === 0;
  return report;
}

/**
 * 1. Subject: every statement must be about exactly the artifact being promoted, and only about it:
 *    a statement naming several artifacts would let one approval count for builds nobody looked at.
 */
function checkSubjects(c: Check): void {
  let named = false;
  for (const e of c.entries) {
    const problem = subjectProblem(e.statement.subject, c.artifact);
    if (!problem) continue;
    // Every line of a verdict names one artifact: how a name is compared is said once, at the first that differs.
    const hint = problem.otherName && !named ? `: ${NAME_RULE}` : "";
    named ||= problem.otherName;
    c.fail("subject", `line ${e.line} (${e.kind}): ${problem.text}${hint}`);
  }
}

const NAME_RULE =
  "the name must be exactly the one the gate was given (compared as text: registry, path and any tag included)";

/** Evidence and decision entries signed by enough distinct gate keys → those keys. */
type Authentic = Map<VerdictEntry, Set<TrustKey>>;

/** 2. Gate signatures on evidence and decision: the entries signed by enough distinct gate keys. */
function gateSigned(c: Check): Authentic {
  const gate = c.trust.roles[GATE_ROLE];
  const authentic: Authentic = new Map();
  for (const e of c.entries) {
    if (e.kind === "signoff") continue;
    if (!gate) {
      c.fail("signature", `line ${e.line} (${e.kind}): the trust file pins no key for role "gate"`);
      continue;
    }
    const signers = signersOf(e, gate.keys);
    if (signers.size === 0) c.fail("signature", signatureProblem(e, GATE_ROLE, c.trust));
    else if (signers.size < gate.threshold)
      c.fail(
        "signature",
        `line ${e.line} (${e.kind}): signed by ${signers.size} distinct gate key(s), the trust file requires ${gate.threshold}`,
      );
    else authentic.set(e, signers);
  }
  return authentic;
}

/** 3. The decision: exactly one, signed by the gate. */
function theDecision(c: Check, authentic: Authentic): VerdictEntry | undefined {
  const decisions = c.entries.filter((e) => e.kind === "decision");
  if (decisions.length === 0)
    c.fail("decision", "no decision statement (predicateType https://slsa.dev/verification_summary/v1) in the verdict");
  else if (decisions.length > 1)
    c.fail(
      "decision",
      `more than one decision statement (lines ${decisions.map((d) => d.line).join(", ")}); a verdict has exactly one`,
    );
  else if (authentic.has(decisions[0])) return decisions[0];
  else c.fail("decision", "the verdict has no decision signed by a key pinned for role gate");
  return undefined;
}

/** The signed decision's result, policy, age and evidence; returns its Signoff detail (the policy's requirements). */
function checkDecision(c: Check, decision: VerdictEntry, authentic: Authentic): Partial<GateDetail> | undefined {
  const p = decision.statement.predicate;
  const signedBy = [...(authentic.get(decision) ?? [])].map((k) => ({ keyid: k.keyid, name: k.name }));
  c.report.decision = { line: decision.line, digest: decision.digest, signedBy };
  const detail = isObject(p[GATE_DETAIL_KEY]) ? (p[GATE_DETAIL_KEY] as Partial<GateDetail>) : undefined;
  checkVerificationResult(c, p, detail);
  checkPolicy(c, decision);
  checkAge(c, decision, detail);
  checkEvidence(c, decision, authentic);
  return detail;
}

/** How much of each of a failed decision's reasons verify prints. */
const REASON_SHOWN = 200;

function checkVerificationResult(c: Check, p: Record<string, unknown>, detail: Partial<GateDetail> | undefined): void {
  c.report.decision!.result = typeof p.verificationResult === "string" ? p.verificationResult : undefined;
  if (p.verificationResult === "PASSED") return;
  const reasons = Array.isArray(detail?.reasons) ? detail!.reasons.filter((r) => typeof r === "string") : [];
  const shown = shownReasons(reasons);
  c.fail(
    "decision",
    `the gate's decision is ${describeValue(p.verificationResult)}, not PASSED${shown ? `: ${shown}` : ""}`,
  );
}

/**
 * A failed decision's reasons on one line: a reason quotes the page it failed on, so the first few, each cut short,
 * keep it readable (the gate's summary has them whole).
 */
export function shownReasons(reasons: readonly string[]): string {
  const clip = (r: string) => (r.length > REASON_SHOWN ? `${r.slice(0, REASON_SHOWN - 1)}…` : r);
  const more = reasons.length > 5 ? ` (+${reasons.length - 5} more)` : "";
  return reasons.slice(0, 5).map(clip).join("; ") + (reasons.length ? more : "");
}

/** The policy is on the trust file's allow-list (no downgrade to a weaker policy). */
function checkPolicy(c: Check, decision: VerdictEntry): void {
  const p = decision.statement.predicate;
  const policy = isObject(p.policy) ? p.policy : undefined;
  const policyDigest = isObject(policy?.digest) ? policy!.digest.sha256 : undefined;
  if (!isSha256Hex(policyDigest)) {
    c.fail("policy", `line ${decision.line} (decision): policy.digest.sha256 missing or malformed`);
    return;
  }
  c.report.decision!.policyDigest = policyDigest;
  if (!c.trust.allowedPolicies.has(policyDigest))
    c.fail(
      "policy",
      `policy ${typeof policy?.uri === "string" ? policy.uri + " " : ""}sha256:${policyDigest} is not on the trust file's allowedPolicies` +
        (c.trust.allowedPolicies.size === 0
          ? " (the list is empty: signoff trust add --allow-policy gate.policy.yaml)"
          : " (if this policy is the one to allow: signoff trust add --allow-policy <policy file>)"),
    );
}

/** Not from the future, not older than the stricter of the trust file's and the policy's maximum age. */
function checkAge(c: Check, decision: VerdictEntry, detail: Partial<GateDetail> | undefined): void {
  const limits = [
    c.trust.maxAgeSeconds,
    typeof detail?.requirements?.maxAgeSeconds === "number" ? detail.requirements.maxAgeSeconds : undefined,
  ].filter((x): x is number => typeof x === "number" && x > 0);
  const maxAge = limits.length ? Math.min(...limits) : undefined;
  const tv = decision.statement.predicate.timeVerified;
  if (typeof tv !== "string" || !RFC3339.test(tv) || Number.isNaN(Date.parse(tv))) {
    c.fail("age", `line ${decision.line} (decision): timeVerified ${describeValue(tv)} is not an RFC 3339 timestamp`);
    return;
  }
  c.report.decision!.timeVerified = tv;
  const ageSeconds = (c.now.getTime() - Date.parse(tv)) / 1000;
  if (ageSeconds < -c.skew) c.fail("age", `the decision's timeVerified ${tv} is in the future`);
  else if (maxAge === undefined) c.fail("age", "no maximum verdict age: set maxAge in the trust file");
  else if (ageSeconds > maxAge)
    c.fail(
      "age",
      `the verdict is too old: decided ${ageText(ageSeconds, maxAge)} ago (${tv}), the maximum age is ${formatDuration(maxAge, { exact: true })}`,
    );
}

/**
 * An age over `maxSeconds`, precise enough to read as more than it: compact ("25h" against "1d"), else down to the
 * second ("1m8s" against "1m"), else the millisecond ("1m0.4s").
 */
function ageText(ageSeconds: number, maxSeconds: number): string {
  const compact = formatDuration(ageSeconds);
  if ((parseDuration(compact) ?? 0) > maxSeconds) return compact;
  const whole = Math.floor(ageSeconds);
  return formatDuration(whole > maxSeconds ? whole : ageSeconds, { exact: true });
}

/** The evidence referenced by the decision is present, matches its digest, and does not say FAILED under a PASSED. */
function checkEvidence(c: Check, decision: VerdictEntry, authentic: Authentic): void {
  const p = decision.statement.predicate;
  const refs = Array.isArray(p.inputAttestations) ? p.inputAttestations : [];
  const evidences = c.entries.filter((e) => e.kind === "evidence");
  if (refs.length === 0) c.fail("evidence", "the decision references no evidence (inputAttestations is empty)");
  for (const ref of refs) {
    const want = isObject(ref) && isObject(ref.digest) ? ref.digest.sha256 : undefined;
    if (!isSha256Hex(want)) {
      c.fail("evidence", `line ${decision.line} (decision): inputAttestations entry without a sha256 digest`);
      continue;
    }
    const match = evidences.find((e) => e.digest === want);
    if (match) {
      const result = match.statement.predicate.result;
      if (authentic.has(match) && p.verificationResult === "PASSED" && result === "FAILED")
        c.fail("evidence", `line ${match.line} (evidence): the evidence says FAILED but the decision says PASSED`);
      // Only a PASSED decision needs its runs vouched for: a FAILED one is refused on its own.
      if (authentic.has(match) && p.verificationResult === "PASSED") checkRunners(c, match);
      continue;
    }
    if (evidences.length === 0)
      c.fail(
        "evidence",
        `evidence missing: the decision references sha256:${want}, but the verdict has no test-result statement`,
      );
    else
      c.fail(
        "evidence",
        `evidence digest mismatch: the decision references sha256:${want}, the evidence on line ${evidences.map((e) => e.line).join(", ")} is sha256:${evidences.map((e) => e.digest).join(", sha256:")}`,
      );
  }
}

/**
 * 5b. Runners: when this trust file pins runner keys, every run the evidence judged was signed by them. The gate that
 * signed the decision checked run attestations against the trust file it was given, which need not be this one (a
 * gate job handed the artifact's own trust.yaml, or none): each run manifest the evidence names needs a run
 * attestation in its directory that as many keys pinned here for `runner` signed as the role's threshold.
 */
function checkRunners(c: Check, evidence: VerdictEntry): void {
  for (const problem of runnerProblems(c.trust, evidence)) c.fail("runner", problem);
}

/**
 * Check 5b for the evidence a decision references by digest (its content is the gate's, whoever signed the line):
 * what approve asks before signing off.
 */
export function decisionRunProblems(trust: Trust, decision: VerdictEntry, entries: readonly VerdictEntry[]): string[] {
  const refs = decision.statement.predicate.inputAttestations;
  const digests = new Set(
    (Array.isArray(refs) ? refs : []).map((r) => (isObject(r) && isObject(r.digest) ? r.digest.sha256 : undefined)),
  );
  return entries.filter((e) => e.kind === "evidence" && digests.has(e.digest)).flatMap((e) => runnerProblems(trust, e));
}

/** What check 5b finds wrong with the runs an evidence statement judged under this trust file. */
function runnerProblems(trust: Trust, evidence: VerdictEntry): string[] {
  const runner = Object.hasOwn(trust.roles, RUNNER_ROLE) ? trust.roles[RUNNER_ROLE] : undefined;
  if (!runner || runner.keys.length === 0) return [];
  const pinned = new Set(runner.keys.map((k) => k.keyid));
  const config = evidence.statement.predicate.configuration;
  const descriptors = Array.isArray(config) ? config.filter(isObject) : [];
  /** The results dir of a run.json or run.json.dsse the evidence names. */
  const dirOf = (uri: unknown) => (typeof uri === "string" ? uri.replace(/(^|[\\/])run\.json(\.dsse)?$/, "") : "");
  const signers = new Map<string, number>();
  for (const d of descriptors) {
    if (d.name !== "run-attestation" || !isObject(d.annotations)) continue;
    const ids = typeof d.annotations.runnerKeyids === "string" ? d.annotations.runnerKeyids.split(",") : [];
    const dir = dirOf(d.uri);
    signers.set(dir, Math.max(signers.get(dir) ?? 0, new Set(ids.filter((id) => pinned.has(id))).size));
  }
  const runs = descriptors.filter((d) => d.name === "run-manifest");
  if (runs.length === 0)
    return [`line ${evidence.line} (evidence): it names no run manifest, so no run a runner key pinned here signed`];
  return runs
    .map((run) => ({ run, have: signers.get(dirOf(run.uri)) ?? 0 }))
    .filter(({ have }) => have < runner.threshold)
    .map(
      ({ run, have }) =>
        `line ${evidence.line} (evidence): the run ${describeValue(run.uri)} was judged without a run attestation signed by ${runner.threshold === 1 ? "a runner key" : `${runner.threshold} runner keys`} this trust file pins (${have === 0 ? "none of its signers is pinned here" : `${have} of them`}): the gate was given another trust file, or none`,
    );
}

/** The gate and the runner sign machines' statements; sign-offs come from every other role. */
const signoffRole = (role: string) => role !== GATE_ROLE && role !== RUNNER_ROLE;

/** Role → sign-offs needed: the trust file's thresholds, raised by the policy's requirements in the decision. */
function requiredSignoffs(trust: Trust, detail: Partial<GateDetail> | undefined): Map<string, number> {
  const policySignoffs = isObject(detail?.requirements?.signoffs)
    ? (detail!.requirements!.signoffs as Record<string, unknown>)
    : {};
  return neededSignoffs(trust, policySignoffs);
}

/**
 * Role → the sign-offs verify asks for: the policy's (`signoffs`: role → how many; what is no whole number counts
 * for nothing), raised to the trust file's thresholds when a trust file is given. The gate's summary says the same.
 */
export function neededSignoffs(
  trust: Trust | undefined,
  signoffs: Readonly<Record<string, unknown>>,
): Map<string, number> {
  const need = new Map<string, number>();
  for (const [role, r] of Object.entries(trust?.roles ?? {}))
    if (signoffRole(role) && r.threshold > 0) need.set(role, r.threshold);
  for (const [role, n] of Object.entries(signoffs))
    if (typeof n === "number" && Number.isInteger(n) && n > 0) need.set(role, Math.max(need.get(role) ?? 0, n));
  return need;
}

/** 4. Sign-offs: by role keys, for this decision, never by the gate; returns role → distinct signing keyids. */
function checkSignoffs(c: Check, decision: VerdictEntry | undefined): Map<string, Set<string>> {
  const signedBy = new Map<string, Set<string>>();
  for (const e of c.entries) {
    if (e.kind !== "signoff") continue;
    const signed = signoffSigner(c, e, decision);
    if (!signed) continue;
    const set = signedBy.get(signed.role) ?? new Set<string>();
    set.add(signed.keyid); // a key counts once however many times it signs
    signedBy.set(signed.role, set);
  }
  return signedBy;
}

/** The role and key a sign-off counts for, or undefined (with the failure recorded) when it counts for none. */
function signoffSigner(
  c: Check,
  e: VerdictEntry,
  decision: VerdictEntry | undefined,
): { role: string; keyid: string } | undefined {
  const p = e.statement.predicate;
  const where = `line ${e.line} (sign-off)`;
  const role = p.role;
  if (typeof role !== "string" || !ROLE.test(role))
    return void c.fail("signoff", `${where}: role ${describeValue(role)} is missing or malformed`);
  if (!signoffRole(role))
    return void c.fail(
      "signoff",
      `${where}: role ${role} signs ${role === GATE_ROLE ? "decisions" : "run manifests"}, it cannot sign off`,
    );
  const signers = signersOf(e, [...c.trust.keysById.values()]);
  const gateSigner = [...signers].find((k) => !signoffRole(k.role));
  if (gateSigner)
    return void c.fail(
      "signoff",
      `${where}: signed by the ${gateSigner.role} key ${short(gateSigner.keyid)}; the keys that sign decisions and runs cannot sign off on them`,
    );
  const roleSigners = [...signers].filter((k) => k.role === role);
  if (roleSigners.length === 0) {
    const other = [...signers][0];
    if (!c.trust.roles[role]) c.fail("signoff", `${where}: role "${role}" has no keys in the trust file`);
    else if (other)
      c.fail("signoff", `${where}: claims role ${role} but is signed by a key pinned for role ${other.role}`);
    else c.fail("signoff", signatureProblem(e, role, c.trust).replace(`line ${e.line} (signoff)`, where));
    return undefined;
  }
  const dec = isObject(p.decision) && isObject(p.decision.digest) ? p.decision.digest.sha256 : undefined;
  if (!isSha256Hex(dec)) return void c.fail("signoff", `${where}: names no decision digest`);
  if (!decision || dec !== decision.digest)
    return void c.fail(
      "signoff",
      `${where}: sign-off is for another verdict (decision sha256:${dec}${decision ? `; this verdict's decision is sha256:${decision.digest}` : ""})`,
    );
  if (typeof p.timeSigned !== "string" || !RFC3339.test(p.timeSigned) || Number.isNaN(Date.parse(p.timeSigned)))
    return void c.fail("signoff", `${where}: timeSigned ${describeValue(p.timeSigned)} is not an RFC 3339 timestamp`);
  const timeProblem = signoffTimeProblem(Date.parse(p.timeSigned), c.now, c.skew, c.report.decision?.timeVerified);
  if (timeProblem) return void c.fail("signoff", `${where}: timeSigned ${p.timeSigned} ${timeProblem}`);
  // The statement names its signer; that key, and only it, must have signed (the canonical keyid).
  const named = isObject(p.signer) ? p.signer.keyid : undefined;
  const signer = roleSigners.find((k) => k.keyid === named);
  if (!signer)
    return void c.fail(
      "signoff",
      `${where}: signer.keyid ${typeof named === "string" ? short(named) : describeValue(named)} is not the key that signed it (${roleSigners.map((k) => short(k.keyid)).join(", ")})`,
    );
  return { role, keyid: signer.keyid };
}

/** Distinct trusted keys per role against what the trust file and the policy require. */
function checkThresholds(c: Check, need: Map<string, number>, signedBy: Map<string, Set<string>>): void {
  // Code-unit order (role names are [a-z0-9-]): localeCompare would load ICU's collator, ≈ 10 ms of every verify.
  for (const [role, n] of [...need].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const have = signedBy.get(role) ?? new Set<string>();
    c.report.roles.push({ role, need: n, have: have.size, keyids: [...have] });
    if (!c.trust.roles[role])
      c.fail(
        "threshold",
        `role ${role}: the policy requires ${n} sign-off(s) but the trust file pins no keys for ${role}`,
      );
    else if (have.size < n)
      c.fail("threshold", `role ${role}: ${have.size} of ${n} required sign-off(s) from distinct trusted keys`);
  }
}

/** Exactly one subject, with the promoted artifact's name and sha256; else why not (`otherName`: only the name differs). */
function subjectProblem(
  subjects: ReadonlyArray<object>,
  artifact: ArtifactRef,
): { text: string; otherName: boolean } | undefined {
  const subject = subjects as ReadonlyArray<Record<string, unknown>>;
  const shown = subject
    .slice(0, 3)
    .map((s) => {
      const hex = (s.digest as Record<string, unknown>).sha256;
      return `${typeof s.name === "string" ? s.name : "(no name)"}@${typeof hex === "string" ? `sha256:${hex}` : "(no sha256)"}`;
    })
    .join(", ");
  const want = formatArtifactRef(artifact);
  const problem = (text: string, otherName = false) => ({ text, otherName });
  if (subject.length !== 1)
    return problem(
      `${subject.length} subjects (${shown}${subject.length > 3 ? ", …" : ""}); a statement must name only the artifact being promoted (${want})`,
    );
  const s = subject[0];
  const hex = (s.digest as Record<string, unknown>).sha256;
  if (hex !== artifact.sha256)
    return problem(
      `subject digest ${typeof hex === "string" ? `sha256:${hex}` : "(no sha256)"} is not the artifact being promoted (${want})`,
    );
  if (s.name !== artifact.name)
    return problem(`subject name ${describeValue(s.name)} is not the artifact being promoted (${want})`, true);
  return undefined;
}

/** A sign-off is made after the decision it approves and not in the future (beyond the tolerated skew). */
function signoffTimeProblem(
  signedMs: number,
  now: Date,
  skewSeconds: number,
  timeVerified: string | undefined,
): string | undefined {
  if (signedMs > now.getTime() + skewSeconds * 1000)
    return `is in the future (more than ${formatDuration(skewSeconds)} ahead of this machine's clock)`;
  if (timeVerified !== undefined && signedMs < Date.parse(timeVerified))
    return `is before the decision it approves (timeVerified ${timeVerified})`;
  return undefined;
}

function describeValue(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? "(missing)" : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Reads and verifies a verdict file; `options` (the trust file, loaded by the caller) are made while the file is
 * read. The size is checked before reading, so an oversized file is a failed check without being loaded; UTF-8 is
 * checked while the file is read, and a file that is not is a failed check too. A path that is not a readable file
 * is a UsageError (exit 2), after any error of `options`.
 */
export async function verifyVerdictFile(
  path: string,
  options: () => VerifyOptions,
  limits: VerdictLimits = DEFAULT_LIMITS,
): Promise<VerifyReport> {
  const reading = readInputFileInBackground(path, { what: "verdict", maxBytes: limits.maxBytes, utf8: true });
  let opts: VerifyOptions;
  try {
    opts = options();
  } catch (err) {
    await reading.catch(() => undefined); // its descriptor closed, its failure not left unhandled
    throw err;
  }
  let buf: Buffer;
  try {
    buf = await reading;
  } catch (err) {
    if (err instanceof InvalidUtf8Error) return { ok: false, roles: [], failures: [{ ...NOT_UTF8_VERDICT }] };
    if (!(err instanceof InputTooLargeError)) throw err;
    return { ok: false, roles: [], failures: [oversizedVerdict(err.size, limits.maxBytes)] };
  }
  return verifyBytes(buf, { ...opts, limits }, true);
}
