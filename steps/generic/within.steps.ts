// `within 500 ms <step>`: any step, held to a bound of the scenario's own rather than the action timeout (QA13 #1).
import { Then } from "@cucumber/cucumber";
import { SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";
import { withAssertionWait } from "../support/assertion-wait";
import { matchStep, runStep, stepArguments } from "../support/step-registry";
import type { SignoffWorld } from "../support/world";

/**
 * A positive check passes at its first right answer within the action timeout, so a validation error a page shows
 * 2 s late passes `… should have the description "Name is required"`. Written `within 500 ms …`, the step's checks
 * wait up to 500 ms, and a step that held only later (its element read once it came) fails, saying when it held.
 */
export const WITHIN_STEP = /^within (\d+) ?(ms|s) (.+)$/;

Then(WITHIN_STEP, async function (this: SignoffWorld, amount: string, unit: "ms" | "s", text: string) {
  const bound = `${amount} ${unit}`;
  const ms = Number(amount) * (unit === "s" ? 1000 : 1);
  if (ms === 0) throw new TestDefinitionError(`"within ${bound}" gives the step no time: write a bound above 0`);
  const step = matchStep(text, `"within ${bound}"`, TestDefinitionError);
  if (step.definition.pattern === WITHIN_STEP)
    throw new TestDefinitionError(`"within ${bound}" bounds one step; "${text}" is itself bounded: write one bound`);
  const args = await stepArguments(step, this);
  const started = performance.now();
  await withAssertionWait(this, ms, () => runStep(step, this, args));
  const took = Math.round(performance.now() - started);
  if (took > ms) throw new SignoffAssertionError(`expected "${text}" within ${bound}; it held only after ${took} ms`);
});
