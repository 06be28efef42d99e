// Which scenarios a target runs by their tags (@mobile-only, @desktop-only, @playwright-only, @selenium-only,
// @target:NAME): the one rule the runner gives Cucumber as a tag expression and the gate reads back.
import parseTagExpression from "@cucumber/tag-expressions";
import {
  DESKTOP_ONLY_TAG,
  MOBILE_ONLY_TAG,
  PLAYWRIGHT_ONLY_TAG,
  SELENIUM_ONLY_TAG,
  TARGET_TAG_PREFIX,
  targetTag,
} from "./tags";

/** What the rule needs to know of a target. */
export interface NarrowedTarget {
  name: string;
  driver: "playwright" | "selenium";
  mobile: boolean;
}

/**
 * The Cucumber tag expression that keeps a scenario off targets it is not meant for: @mobile-only / @desktop-only,
 * @playwright-only / @selenium-only, and @target:NAME (one or more; a scenario with any @target: tag of another of
 * `allTargetNames` runs only on the targets it names).
 */
export function targetNarrowing(target: NarrowedTarget, allTargetNames: readonly string[]): string {
  const excluded = [
    target.mobile ? DESKTOP_ONLY_TAG : MOBILE_ONLY_TAG,
    target.driver === "playwright" ? SELENIUM_ONLY_TAG : PLAYWRIGHT_ONLY_TAG,
  ];
  const parts = excluded.map((t) => `not ${t}`);
  const others = allTargetNames.filter((n) => n !== target.name).map(targetTag);
  if (others.length > 0) parts.push(`not ((${others.join(" or ")}) and not ${targetTag(target.name)})`);
  return parts.join(" and ");
}

/**
 * True when a scenario with these tags is one the target does not run by the rule above (the gate: a scenario a
 * target parsed without running it is excused only so). The targets named are `runTargets` and any the scenario's
 * own @target: tags name; `mobile` undefined (a run.json that does not say) excuses only what both answers would.
 */
export function keptOffTarget(
  tags: readonly string[],
  target: Omit<NarrowedTarget, "mobile"> & { mobile?: boolean },
  runTargets: readonly string[],
): boolean {
  const named = tags.filter((t) => t.startsWith(TARGET_TAG_PREFIX)).map((t) => t.slice(TARGET_TAG_PREFIX.length));
  const names = [...new Set([...runTargets, ...named])];
  const mobiles = target.mobile === undefined ? [true, false] : [target.mobile];
  return mobiles.every((mobile) => !compiled(targetNarrowing({ ...target, mobile }, names)).evaluate([...tags]));
}

/** Parsed expressions by their text: a gate asks once per scenario not run, of a handful of distinct expressions. */
const parsed = new Map<string, ReturnType<typeof parseTagExpression>>();
const MAX_PARSED = 1024;

function compiled(expression: string): ReturnType<typeof parseTagExpression> {
  let node = parsed.get(expression);
  if (!node) {
    node = parseTagExpression(expression);
    if (parsed.size < MAX_PARSED) parsed.set(expression, node);
  }
  return node;
}
