// The in-toto Statement v1 vocabulary every signed file shares: statement type, predicate types, shape.

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const TEST_RESULT_PREDICATE = "https://in-toto.io/attestation/test-result/v0.1";
export const VSA_PREDICATE = "https://slsa.dev/verification_summary/v1";
export const SIGNOFF_PREDICATE = "https://signoff.dev/attestation/sign-off/v1";
/** Key of Signoff's namespaced detail inside a decision (VSA) predicate: the gate writes it, the report reads it. */
export const GATE_DETAIL_KEY = "https://signoff.dev/gate/v1";
/** The test-result predicate's lists of test names, in the order the gate writes them. */
export const TEST_RESULT_LISTS = ["passedTests", "warnedTests", "failedTests"] as const;

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest: Record<string, string>;
  annotations?: Record<string, string | string[]>;
}

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface Statement<P = Record<string, unknown>> {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}
