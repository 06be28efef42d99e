// What an accessibility audit is judged against and what it finds: the facts the port, its adapters and the steps share.
import { readFileSync } from "node:fs";

/** What a scenario audits against: axe rule tags, and rule ids left out. */
export interface AccessibilityAuditOptions {
  tags: string[];
  skipRules: string[];
}

/** One rule the page breaks, and where. */
export interface AccessibilityViolation {
  rule: string;
  /** "minor" | "moderate" | "serious" | "critical" (axe's impact), or null when axe gives none. */
  impact: string | null;
  help: string;
  helpUrl: string;
  /** The elements that break it: a CSS selector each, their start tag, what to fix. */
  nodes: { target: string; html: string; summary: string }[];
}

/** WCAG 2.2 level A and AA, the level most accessibility laws refer to (axe's tags for it and its earlier versions). */
export const DEFAULT_AUDIT_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** The axe-core version that audits (pinned in package.json: another version's rules would judge a page differently). */
export function axeVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")) as { version: string }).version;
}

/** Every rule id axe knows: a misspelt rule left out would leave nothing out, and the step would fail for no reason. */
export function knownAxeRules(): string[] {
  return (require("axe-core") as { getRules(): { ruleId: string }[] }).getRules().map((r) => r.ruleId);
}
