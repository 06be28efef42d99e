// The tag vocabulary every area reads: requirement tags, target-narrowing tags, property and serial tags, property settings tags.

/** Requirement tag prefix (without "@") when neither the config nor the policy names one: @REQ-COUNTER-1. */
export const DEFAULT_REQUIREMENT_TAG_PREFIX = "REQ-";

/** Marks a property-based scenario (the policy's properties.tag may name another; this is the default). */
export const PROPERTY_TAG = "@property";

/** A scenario that asserts on shared state and must run alone under --parallel. */
export const SERIAL_TAG = "@serial";

/** Scenarios that never run beside another one under --parallel. */
export const RUNS_ALONE_TAGS: readonly string[] = [SERIAL_TAG, PROPERTY_TAG];

/** Tags that keep a scenario off whole kinds of targets (src/runner/targets.ts turns them into tag expressions). */
export const MOBILE_ONLY_TAG = "@mobile-only";
export const DESKTOP_ONLY_TAG = "@desktop-only";
export const PLAYWRIGHT_ONLY_TAG = "@playwright-only";
export const SELENIUM_ONLY_TAG = "@selenium-only";
export const NARROWING_TAGS: readonly string[] = [
  MOBILE_ONLY_TAG,
  DESKTOP_ONLY_TAG,
  PLAYWRIGHT_ONLY_TAG,
  SELENIUM_ONLY_TAG,
];

/** `@target:NAME`: the scenario runs only on the targets it names. */
export const TARGET_TAG_PREFIX = "@target:";

/** The tag that narrows a scenario to one named target. */
export function targetTag(name: string): string {
  return `${TARGET_TAG_PREFIX}${name}`;
}

/** True for a tag that keeps a scenario off some targets: such a requirement must be covered on at least one. */
export function isNarrowingTag(tag: string): boolean {
  return NARROWING_TAGS.includes(tag) || tag.startsWith(TARGET_TAG_PREFIX);
}

/**
 * Whether a requirement still counts as narrowed after one more of its scenarios (`sofar`: undefined before the
 * first): only while every scenario of it carries a narrowing tag. A target none of a narrowed requirement's
 * scenarios ran on is n/a; for any other requirement it is a gap (the gate's requirement-target-uncovered).
 */
export function stillNarrowed(sofar: boolean | undefined, scenarioTags: readonly string[]): boolean {
  return (sofar ?? true) && scenarioTags.some(isNarrowingTag);
}

/** Property settings tags: @runs:N, @seed:N, @time-budget:D (src/properties/settings.ts reads their values). */
export const PROPERTY_SETTING_TAG = /^@(runs|seed|time-budget|timebudget)(?::(.*))?$/i;

/** Requirement ids (without "@") among tags, each once, in order: "@REQ-1" → "REQ-1"; a bare "@REQ-" is none. */
export function requirementIds(tags: readonly string[], prefix: string): string[] {
  const at = `@${prefix}`;
  const out = new Set<string>();
  for (const t of tags) if (t.length > at.length && t.startsWith(at)) out.add(t.slice(1));
  return [...out];
}
