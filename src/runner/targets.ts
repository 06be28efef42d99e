// Target selection and the per-target tag filter (@mobile-only, @desktop-only, @target:NAME...).
import type { SignoffConfig, TargetSpec } from "../config/types";
import parseTagExpression from "@cucumber/tag-expressions";
import { UsageError } from "../core/errors";
import { unknownTargets } from "../config/load";
import { targetNarrowing } from "../core/target-narrowing";
import { MAX_RUN_TARGETS } from "../core/manifest-schema";

// Playwright's device catalog costs ≈ 0.7 s of CPU to load: `signoff run` checks devices once the first target's process is spawned.
const devices = () => require("../browser/devices") as typeof import("../browser/devices");

/** Resolves "--targets a,b" (or the config's defaults) to target specs, devices checked; unknown names list the known ones. */
export function selectTargets(config: SignoffConfig, names?: string): TargetSpec[] {
  const specs = namedTargets(config, names);
  checkDevices(specs, config.source);
  return specs;
}

/** selectTargets without the device check (which loads Playwright's catalog): for `checkDevices` to follow. */
export function namedTargets(config: SignoffConfig, names?: string): TargetSpec[] {
  const wanted =
    names !== undefined
      ? names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
      : config.defaultTargets;
  if (wanted.length === 0)
    throw new UsageError(`--targets: no target named; known targets: ${Object.keys(config.targets).join(", ")}`);
  const unknown = wanted.filter((n) => !config.targets[n]);
  if (unknown.length > 0) throw new UsageError(unknownTargets(unknown, config.targets));
  const distinct = [...new Set(wanted)];
  // Refused before anything runs: the gate reads no run.json listing more (src/core/manifest-schema.ts).
  if (distinct.length > MAX_RUN_TARGETS)
    throw new UsageError(
      `${names !== undefined ? "--targets" : `${config.source}: defaultTargets`}: ${distinct.length} targets named, more than the ${MAX_RUN_TARGETS} one run may record`,
    );
  return distinct.map((n) => config.targets[n]);
}

/**
 * Every target names a device Playwright knows, and sets a viewport only for a desktop one (a phone's viewport is
 * its device's: one given would be ignored, and the run would not test the size its config says); a usage error
 * naming the config file and field otherwise.
 */
export function checkDevices(specs: TargetSpec[], configSource: string): void {
  for (const t of specs) {
    let emulation: ReturnType<typeof import("../browser/devices").emulationFor>;
    try {
      emulation = devices().emulationFor(t);
    } catch (err) {
      throw new UsageError(`${configSource}: targets.${t.name}.device: ${(err as Error).message}`);
    }
    if (t.viewport && emulation.isMobile)
      throw new UsageError(
        `${configSource}: targets.${t.name}.viewport: ${t.device} is a mobile device, whose viewport is its own (${emulation.viewport.width}×${emulation.viewport.height}); a viewport is set for desktop devices only — remove it, or choose another device`,
      );
  }
}

export function isMobile(target: TargetSpec): boolean {
  return devices().emulationFor(target).isMobile;
}

/** The tag expression that keeps a scenario off targets it is not meant for (src/core/target-narrowing.ts). */
export function targetTagExpression(target: TargetSpec, allTargetNames: string[]): string {
  return targetNarrowing({ name: target.name, driver: target.driver, mobile: isMobile(target) }, allTargetNames);
}

/**
 * `--tags` as given, once @cucumber/tag-expressions has parsed it: a malformed one ("@REQ-1 and") is a
 * UsageError with the parser's own reason, before any process starts (Cucumber would fail later, and only
 * say that a "pickles:filter" transform errored).
 */
export function checkTagExpression(expression: string): string {
  try {
    parseTagExpression(expression);
  } catch (err) {
    // The parser throws plain Errors and only for a syntax error: its message is the reason to show.
    throw new UsageError((err as Error).message);
  }
  return expression;
}
