// in-toto Statement v1 builders: test-result evidence, SLSA verification-summary decision, sign-offs.
//
// Standard predicates where one exists (so cosign/Kyverno/in-toto tooling understands the verdict),
// with Signoff's richer detail under a namespaced key that other consumers ignore.
import type { ArtifactRef } from "../attest/artifact";
import type { Counts, Coverage, GateResult, Regression } from "./evaluate";

import {
  GATE_DETAIL_KEY,
  SIGNOFF_PREDICATE,
  STATEMENT_TYPE,
  TEST_RESULT_LISTS,
  TEST_RESULT_PREDICATE,
  VSA_PREDICATE,
  type ResourceDescriptor,
  type Statement,
  type Subject,
} from "../attest/in-toto";

export { GATE_DETAIL_KEY };
export const VERIFIER_ID = "https://signoff.dev/gate";
/** verifiedLevels value of a passing decision (custom levels need a non-SLSA prefix). */
export const ACCEPTANCE_LEVEL = "SIGNOFF_ACCEPTANCE_PASSED";

export interface TestResultPredicate {
  result: GateResult;
  configuration: ResourceDescriptor[];
  url?: string;
  passedTests: string[];
  warnedTests: string[];
  failedTests: string[];
}

/** What verify needs beyond the standard VSA fields; signed by the gate, so it binds the policy's rules. */
export interface GateDetail {
  result: GateResult;
  reasons: string[];
  counts: Counts;
  coverage: Coverage;
  regressions: Regression[];
  removed: string[];
  /** From the policy: roles → minimum distinct signers, and the maximum verdict age at promotion. */
  requirements: { signoffs: Record<string, number>; maxAgeSeconds: number; maxAge: string };
  run?: { runIds: string[]; baseUrl?: string; build?: { name: string; version: string; digest: string } | null };
}

export interface DecisionPredicate {
  verifier: { id: string; version: Record<string, string> };
  timeVerified: string;
  resourceUri: string;
  policy: { uri: string; digest: { sha256: string } };
  inputAttestations: { uri: string; digest: { sha256: string } }[];
  verificationResult: "PASSED" | "FAILED";
  verifiedLevels: string[];
  [GATE_DETAIL_KEY]: GateDetail;
}

export interface SignoffPredicate {
  role: string;
  signer: { keyid: string };
  timeSigned: string;
  comment?: string;
  /** The decision this sign-off approves: sha256 of its envelope's decoded payload. */
  decision: { uri: string; digest: { sha256: string } };
}

function subjectOf(artifact: ArtifactRef): Subject[] {
  return [{ name: artifact.name, digest: { sha256: artifact.sha256 } }];
}

export function evidenceStatement(
  artifact: ArtifactRef,
  predicate: TestResultPredicate,
): Statement<TestResultPredicate> {
  return { _type: STATEMENT_TYPE, subject: subjectOf(artifact), predicateType: TEST_RESULT_PREDICATE, predicate };
}

export function decisionStatement(artifact: ArtifactRef, predicate: DecisionPredicate): Statement<DecisionPredicate> {
  return { _type: STATEMENT_TYPE, subject: subjectOf(artifact), predicateType: VSA_PREDICATE, predicate };
}

export function signoffStatement(artifact: ArtifactRef, predicate: SignoffPredicate): Statement<SignoffPredicate> {
  return { _type: STATEMENT_TYPE, subject: subjectOf(artifact), predicateType: SIGNOFF_PREDICATE, predicate };
}

/** The exact bytes that get signed; references are sha256 of these bytes. */
export function statementBytes(s: Statement<unknown>): Buffer {
  return Buffer.from(JSON.stringify(s), "utf8");
}

/** Names serialised at a time: bounds the transient text, which JSON.stringify would make for all at once. */
const CHUNK = 256;

/**
 * A name with a NUL after it: a new string, so JSON.stringify flattens (copies into one piece) that one, which
 * dies young, and not the name itself. The gate's names are pairs of strings (target prefix + scenario key);
 * flattened in place, each would keep its flat copy as long as the decision lives (≈ 14 MB at 100k). The mark is
 * taken out again: in JSON.stringify's output a closing quote is the only unescaped quote, and right before each
 * one stands the escape of that string's last character, the mark.
 */
const marked = (name: string) => name + "\u0000";
const MARKED_END = '\\u0000"';

/** statementBytes(evidenceStatement(artifact, predicate)), made by evidenceParts. */
export function evidenceBytes(artifact: ArtifactRef, predicate: TestResultPredicate): Buffer {
  return Buffer.concat(evidenceParts(artifact, predicate));
}

/**
 * statementBytes(evidenceStatement(artifact, predicate)) as consecutive parts, byte for byte, never the whole
 * statement as one string or one buffer: at 100k scenarios the test lists are 8.7 MB of UTF-8 and twice that
 * as a JavaScript string (the names hold "›"), the largest allocation of the gate (bench/RESULTS.md, gate
 * memory). The gate hashes, signs and encodes it part by part.
 */
export function evidenceParts(artifact: ArtifactRef, predicate: TestResultPredicate): Buffer[] {
  const empty = { ...predicate, passedTests: [], warnedTests: [], failedTests: [] };
  const head = JSON.stringify(evidenceStatement(artifact, empty));
  // The lists are the predicate's last keys, so the statement ends with them, empty; anything else → the plain way.
  const tail = ',"passedTests":[],"warnedTests":[],"failedTests":[]}}';
  if (!head.endsWith(tail)) return [statementBytes(evidenceStatement(artifact, predicate))];
  const parts: Buffer[] = [Buffer.from(head.slice(0, -tail.length), "utf8")];
  for (const list of TEST_RESULT_LISTS) {
    parts.push(Buffer.from(`,"${list}":[`, "utf8"));
    const names = predicate[list];
    for (let i = 0; i < names.length; i += CHUNK) {
      const text = JSON.stringify(names.slice(i, i + CHUNK).map(marked)).replaceAll(MARKED_END, '"');
      parts.push(Buffer.from((i > 0 ? "," : "") + text.slice(1, -1), "utf8"));
    }
    parts.push(Buffer.from("]", "utf8"));
  }
  parts.push(Buffer.from("}}", "utf8"));
  return parts;
}
