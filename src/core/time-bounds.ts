// The step texts that give another step a time of the scenario's own (`within 500 ms …`, `for 3 s …`): the steps' patterns, read by the preflight too.
import { categoryOfErrorType } from "./failure-category";

/** `within 500 ms <step>`: the step's checks wait up to the bound, and it fails when it held only later. */
export const WITHIN_STEP = /^within (\d+) ?(ms|s) (.+)$/;

/** `for 3 s <step>`: the step is run again and again until the time has passed, and fails at the first run that fails. */
export const FOR_STEP = /^for (\d+) ?(ms|s) (.+)$/;

/** The step a time-bounded step's text gives its time to; undefined for a text that gives none. */
export function boundedStepText(text: string): string | undefined {
  return (WITHIN_STEP.exec(text) ?? FOR_STEP.exec(text))?.[3];
}

/** A problem with the step a time is given to, as the preflight and the step itself say it. */
export function givenTimeProblem(step: string, bounded: string, problem: string): string {
  return `"${step}" (the step "${bounded}" gives its time to) ${problem}`;
}

/**
 * Why a step cannot be given a `for` time: one registered as an action (Given, When) would be done again and again
 * until the time is up; undefined for a check (Then, or a step registered without a keyword).
 */
export function repeatedActionProblem(keyword: string | undefined): string | undefined {
  return keyword === "Given" || keyword === "When"
    ? `is an action (a ${keyword} step), which "for" would do again and again: make it a step of its own and give the time to the check after it`
    : undefined;
}

/** The longest delay a timer takes (2³¹ − 1 ms); a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * `run()`, rejected with `said` once `afterMs` have passed (at most the longest timer): a bounded step's time may be
 * longer than Cucumber's step timeout, which is the scenario's to give, so the step runs without it and ends itself.
 */
export async function notOverdue<T>(run: () => Promise<T>, afterMs: number, said: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(said)), Math.min(afterMs, LONGEST_TIMER_MS));
  });
  try {
    return await Promise.race([run(), overdue]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What a `for` step's run after the first adds to its failure: that the step held at first, and when the run that
 * failed began. Nothing when what failed was the run or its environment (interrupted, staging gone), which says
 * nothing of how long the step held.
 */
export function laterRunNote(errorType: string, atMs: number, bound: string): string | undefined {
  if (categoryOfErrorType(errorType) === "environment problem") return undefined;
  return `; it held at first, not at the look that began ${atMs} ms into "${bound}"`;
}
