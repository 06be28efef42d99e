// The step texts that give another step a time of the scenario's own (`within 500 ms …`, `for 3 s …`): the steps' patterns, read by the preflight too.

/** `within 500 ms <step>`: the step's checks wait up to the bound, and it fails when it held only later. */
export const WITHIN_STEP = /^within (\d+) ?(ms|s) (.+)$/;

/** `for 3 s <step>`: the step is run again and again until the time has passed, and fails at the first run that fails. */
export const FOR_STEP = /^for (\d+) ?(ms|s) (.+)$/;

/** The step a time-bounded step's text gives its time to; undefined for a text that gives none. */
export function boundedStepText(text: string): string | undefined {
  return (WITHIN_STEP.exec(text) ?? FOR_STEP.exec(text))?.[3];
}
