// A verdict file as the report reads it (display only, signatures never checked): evidence naming the run.json it judged, and a decision.
import { writeFileSync } from "node:fs";

const line = (statement: object) =>
  JSON.stringify({
    payloadType: "application/vnd.in-toto+json",
    payload: Buffer.from(
      JSON.stringify({
        _type: "https://in-toto.io/Statement/v1",
        subject: [{ name: "shop", digest: { sha256: "ab".repeat(32) } }],
        ...statement,
      }),
    ).toString("base64"),
    signatures: [{ keyid: "k1", sig: "eA==" }],
  });

/** Writes `file`: the evidence (result, the run.json digest it judged) and the decision predicate given. */
export function writeDisplayVerdict(
  file: string,
  o: { result: "PASSED" | "FAILED"; runManifestSha256: string; decision: Record<string, unknown> },
): void {
  const evidence = line({
    predicateType: "https://in-toto.io/attestation/test-result/v0.1",
    predicate: {
      result: o.result,
      configuration: [{ name: "run-manifest", uri: "reports/run.json", digest: { sha256: o.runManifestSha256 } }],
    },
  });
  const decision = line({ predicateType: "https://slsa.dev/verification_summary/v1", predicate: o.decision });
  writeFileSync(file, `${evidence}\n${decision}\n`);
}
