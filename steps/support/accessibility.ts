// The accessibility check's words: which axe rules a step leaves out, and a failure that names each broken rule and where.
import type { AccessibilityViolation } from "../../src/core/accessibility";
import { didYouMean } from "../../src/core/did-you-mean";
import { TestDefinitionError } from "../../src/core/errors";

/** How many elements a broken rule's line names: enough to find them, short enough to read; the attachment has all. */
const ELEMENTS_SHOWN = 3;

/** axe's impacts, worst first: the failure lists the worst broken rules first. */
const IMPACTS = ["critical", "serious", "moderate", "minor"];

/** `"color-contrast, region"` (commas or "and" between them) → rule ids; an id axe does not know is refused. */
export function ruleList(text: string, known: string[]): string[] {
  const ids = text
    .split(/\s*(?:,|\band\b)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new TestDefinitionError(`no accessibility rule is named in "${text}"`);
  for (const id of ids)
    if (!known.includes(id))
      throw new TestDefinitionError(
        `"${id}" is not an accessibility rule axe knows${didYouMean(id, known)}; the rules are listed at https://dequeuniversity.com/rules/axe/`,
      );
  return ids;
}

/** The failure: one line per broken rule, worst first, naming its first elements. */
export function describeViolations(violations: AccessibilityViolation[], standard: string): string {
  const rank = (v: AccessibilityViolation) => {
    const i = IMPACTS.indexOf(v.impact ?? "");
    return i === -1 ? IMPACTS.length : i;
  };
  const lines = [...violations]
    .sort((a, b) => rank(a) - rank(b))
    .map((v) => {
      const shown = v.nodes.slice(0, ELEMENTS_SHOWN).map((n) => n.target);
      const more = v.nodes.length - shown.length;
      const where = `${v.nodes.length} element${v.nodes.length === 1 ? "" : "s"}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
      return `${v.rule}${v.impact ? ` (${v.impact})` : ""}: ${v.help}; ${where}`;
    });
  const n = violations.length;
  return `expected no accessibility violations (${standard}), ${n} rule${n === 1 ? " is" : "s are"} broken:\n  ${lines.join("\n  ")}`;
}
