// Target selection and the per-target tag filter (@mobile-only, @desktop-only, @target:NAME...).
import { emulationFor } from "../browser/devices";
import type { SignoffConfig, TargetSpec } from "../config/types";
import { UsageError } from "../core/errors";
import { DESKTOP_ONLY_TAG, MOBILE_ONLY_TAG, PLAYWRIGHT_ONLY_TAG, SELENIUM_ONLY_TAG, targetTag } from "../core/tags";

/** Resolves "--targets a,b" (or the config's defaults) to target specs; unknown names list the known ones. */
export function selectTargets(config: SignoffConfig, names?: string): TargetSpec[] {
  const wanted = names
    ? names
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
    : config.defaultTargets;
  if (wanted.length === 0)
    throw new UsageError(`--targets: no target named; known targets: ${Object.keys(config.targets).join(", ")}`);
  const unknown = wanted.filter((n) => !config.targets[n]);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown target ${unknown.map((n) => `"${n}"`).join(", ")}; known targets: ${Object.keys(config.targets).join(", ")}`,
    );
  }
  const specs = [...new Set(wanted)].map((n) => config.targets[n]);
  for (const t of specs) {
    try {
      emulationFor(t);
    } catch (err) {
      throw new UsageError(`target "${t.name}": ${(err as Error).message}`);
    }
  }
  return specs;
}

export function isMobile(target: TargetSpec): boolean {
  return emulationFor(target).isMobile;
}

/**
 * The Cucumber tag expression that keeps a scenario off targets it is not meant for:
 * @mobile-only / @desktop-only, @playwright-only / @selenium-only, and @target:NAME (one or more;
 * a scenario with any @target: tag runs only on the targets it names).
 */
export function targetTagExpression(target: TargetSpec, allTargetNames: string[]): string {
  const excluded = [
    isMobile(target) ? DESKTOP_ONLY_TAG : MOBILE_ONLY_TAG,
    target.driver === "playwright" ? SELENIUM_ONLY_TAG : PLAYWRIGHT_ONLY_TAG,
  ];
  const parts = excluded.map((t) => `not ${t}`);
  const others = allTargetNames.filter((n) => n !== target.name).map(targetTag);
  if (others.length > 0) parts.push(`not ((${others.join(" or ")}) and not ${targetTag(target.name)})`);
  return parts.join(" and ");
}
