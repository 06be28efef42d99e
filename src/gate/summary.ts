// Terminal text for the gate's decision and for verify's report: short, first line says it all.
import { formatArtifactRef, type ArtifactRef } from "../attest/artifact";
import type { GateDecision } from "./evaluate";
import type { VerifyReport } from "./verify";
import { escapeLines } from "../core/safe-text";

const MARK: Record<string, string> = {
  passed: "✓",
  flaky: "~",
  failed: "✗",
  skipped: "s",
  pending: "p",
  undefined: "?",
  ambiguous: "a",
  unknown: "!",
};

/**
 * `signoffs`: the sign-offs `verify` will ask for (role → how many: the policy's, and the trust file's thresholds when
 * the gate was given one): a PASSED verdict says it may be promoted only once they are there, not before.
 */
export function gateSummary(
  d: GateDecision,
  artifact: ArtifactRef,
  out: string,
  policySource: string,
  signoffs: Readonly<Record<string, number>> = {},
): string {
  const lines: string[] = [];
  const needed = Object.entries(signoffs).filter(([, n]) => n > 0);
  const once = needed.length ? ` once signed off by ${needed.map(([role, n]) => `${role} ×${n}`).join(", ")}` : "";
  const promote = d.verificationResult === "PASSED" ? `may be promoted${once}` : "must not be promoted";
  lines.push(`signoff gate: ${d.result} — ${formatArtifactRef(artifact)} ${promote} (policy ${policySource})`);
  const c = d.counts;
  const other = c.skipped + c.pending + c.undefined + c.ambiguous + c.unknown;
  // The targets these scenarios are on: one whose results were all refused (tampered, unreadable) adds none.
  const on = Object.values(d.perTarget).filter((t) => t.total > 0).length;
  lines.push(
    d.unread
      ? `  scenarios: not read (no result can count: see the reasons)`
      : `  scenarios: ${c.total} on ${on} target(s): ${c.passed} passed (${c.flaky} flaky), ${c.failed} failed, ${other} other`,
  );
  const { requirements, targets, cells } = d.coverage;
  if (requirements.length) {
    // No scenario result counted at all (no run.json, no results, every file refused): a cell with none is "no
    // result", not "no scenario" (whether one exists for it is not known), as for a target some of whose results were
    // refused or whose shard is missing (the scenario may be in those).
    const noResult = (t: string) => c.total === 0 || d.refusedTargets.includes(t) || d.lackingTargets.includes(t);
    const width = Math.max(11, ...requirements.slice(0, 50).map((r) => r.length));
    lines.push(`  ${"requirement".padEnd(width)}  ${targets.join("  ")}`);
    for (const r of requirements.slice(0, 50)) {
      const row = targets.map((t) => {
        const cell = cells[r]?.[t];
        // Results refused or missing: "no result", not "no scenario".
        return (cell ? (MARK[cell.status] ?? "!") : noResult(t) ? "!" : "-").padEnd(t.length);
      });
      lines.push(`  ${r.padEnd(width)}  ${row.join("  ")}`);
    }
    if (requirements.length > 50) lines.push(`  … and ${requirements.length - 50} more requirements`);
    lines.push(
      `  (✓ passed  ~ flaky  ✗ failed  - no scenario  ? undefined  p pending  s skipped  ! no result that counts: see the reasons)`,
    );
  }
  if (d.regressions.length) lines.push(`  regressions: ${d.regressions.length}`);
  if (d.reasons.length) {
    lines.push("  reasons:");
    for (const r of d.reasons) lines.push(`    - ${r}`);
  }
  lines.push(`  verdict: ${out}`);
  return escapeLines(lines); // reasons quote scenario names, paths and run.json text
}

/** The trust file verify read: its path as shown, and whether it was the default (no --trust given). */
export interface VerifyTrustSource {
  file: string;
  defaulted: boolean;
}

/**
 * First line: PASS or FAIL and the artifact. Second: what the verdict was checked against, the trust file and the gate
 * key(s) that signed the decision, so a deploy log shows whose keys counted (a trust.yaml an artifact put in the
 * working directory would show here).
 */
export function verifySummary(r: VerifyReport, artifact: ArtifactRef, trust: VerifyTrustSource): string {
  const lines: string[] = [];
  const checkedAgainst = `  trust file ${trust.file}${trust.defaulted ? " (the default: no --trust given)" : ""}; ${decisionSigners(r)}`;
  if (r.ok) {
    lines.push(`signoff verify: PASS — ${formatArtifactRef(artifact)} may be promoted`, checkedAgainst);
    if (r.decision)
      lines.push(`  decision PASSED at ${r.decision.timeVerified} (policy sha256:${r.decision.policyDigest})`);
    for (const t of r.roles) lines.push(`  ${t.role}: ${t.have} of ${t.need} sign-off(s)`);
    return escapeLines(lines);
  }
  lines.push(
    `signoff verify: FAIL — ${formatArtifactRef(artifact)} must not be promoted: ${r.failures.length} check(s) failed`,
    checkedAgainst,
  );
  for (const f of r.failures) lines.push(`  ✗ [${f.check}] ${f.message}`); // messages quote the verdict's strings
  return escapeLines(lines);
}

/** "decision signed by gate key 3f2a1b2c3d4e… (CI gate)": keyid prefix and the trust file's name for each key. */
function decisionSigners(r: VerifyReport): string {
  const keys = r.decision?.signedBy ?? [];
  if (keys.length === 0) return "no decision signed by a key it pins for role gate";
  const shown = keys.map((k) => `${k.keyid.slice(0, 12)}…${k.name ? ` (${k.name})` : ""}`);
  return `decision signed by gate key${keys.length > 1 ? "s" : ""} ${shown.join(", ")}`;
}
