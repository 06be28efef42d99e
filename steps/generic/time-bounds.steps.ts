// `within 500 ms <step>` and `for 3 s <step>`: a step held to a time of the scenario's own, soon enough or long enough (QA13 #1, QA14 #1).
import { Then } from "@cucumber/cucumber";
import { SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";
import {
  FOR_STEP,
  givenTimeProblem,
  laterRunNote,
  notOverdue,
  repeatedActionProblem,
  WITHIN_STEP,
} from "../../src/core/time-bounds";
import { restate } from "../../src/core/user-stack";
import { withAssertionWait } from "../support/assertion-wait";
import { NO_STEP_TIMEOUT } from "../support/property-env";
import { settlingSoFar } from "../support/settle";
import { invokeStep, matchStep, stepArguments, type MatchedStep } from "../support/step-registry";
import type { SignoffWorld } from "../support/world";

// WITHIN_STEP: a positive check passes at its first right answer within the action timeout, so a validation error a
// page shows 2 s late passes `… should have the description "Name is required"`. Written `within 500 ms …`, the
// step's checks wait up to 500 ms; a step that held only later (an element its check waited for came after the bound)
// fails, saying when. The time the page took to settle is not counted: a negative check on a page that never goes
// quiet settles up to the bound and then looks once more, and it held within it.
//
// FOR_STEP: a check passes once it holds, so a Cancel whose request deletes the item 2.5 s later passes `I should
// still see "Dr. Baker"` (the settling it waits for does not wait out a timer that long). Written `for 3 s …`, the
// step is run again and again until 3 s have passed since it began, and once more then; it fails at the first run
// that fails. So it takes checks only: an action (a Given or When step) would be done again and again.

/** Between two runs of a `for` step: a look at the page as often as a check's own polling. */
const AGAIN_MS = 100;

/** The step a time bound applies to, and the bound in ms; what no step can be bounded so is a test defect. */
function boundStep(how: "within" | "for", amount: string, unit: "ms" | "s", text: string) {
  const bound = `${how} ${amount} ${unit}`;
  const ms = Number(amount) * (unit === "s" ? 1000 : 1);
  if (ms === 0) throw new TestDefinitionError(`"${bound}" gives the step no time: write a time above 0`);
  const step = matchStep(text, `"${bound}"`, TestDefinitionError);
  if (step.definition.pattern === WITHIN_STEP || step.definition.pattern === FOR_STEP)
    throw new TestDefinitionError(`"${bound}" bounds one step; "${text}" is itself bounded: write one time`);
  const repeated = how === "for" ? repeatedActionProblem(step.definition.keyword) : undefined;
  if (repeated) throw new TestDefinitionError(givenTimeProblem(text, `${bound} ${text}`, repeated));
  return { step, ms, bound };
}

/** `run()`, failing as overdue once the bound and the step timeout after it have passed (see `notOverdue`). */
function inTime<T>(world: SignoffWorld, step: MatchedStep, bound: string, ms: number, run: () => Promise<T>) {
  const stepMs = world.parameters.timeouts.stepMs;
  const said = `"${step.text}" did not end within ${bound.replace(/^\w+ /, "")} and the step timeout (${stepMs} ms) after it`;
  return notOverdue(run, ms + stepMs, said);
}

Then(WITHIN_STEP, NO_STEP_TIMEOUT, async function (this: SignoffWorld, amount: string, unit: "ms" | "s", text: string) {
  const { step, ms, bound } = boundStep("within", amount, unit, text);
  const args = await stepArguments(step, this);
  const started = performance.now();
  const settledBefore = settlingSoFar(this);
  const result = await inTime(this, step, bound, ms, () =>
    withAssertionWait(this, ms, () => invokeStep(step, this, args)),
  );
  // A step of the team's that skips itself (on a phone target) skips its bounded form too.
  if (result === "skipped" || result === "pending") return result;
  const took = Math.round(performance.now() - started - (settlingSoFar(this) - settledBefore));
  if (took > ms) throw new SignoffAssertionError(`expected "${text}" ${bound}; it held only after ${took} ms`);
});

Then(FOR_STEP, NO_STEP_TIMEOUT, async function (this: SignoffWorld, amount: string, unit: "ms" | "s", text: string) {
  const { step, ms, bound } = boundStep("for", amount, unit, text);
  const started = performance.now();
  return inTime(this, step, bound, ms, async () => {
    for (let runs = 1; ; runs++) {
      const at = Math.round(performance.now() - started);
      const last = at >= ms;
      try {
        const result = await invokeStep(step, this, await stepArguments(step, this));
        if (result === "skipped" || result === "pending") return result;
      } catch (err) {
        // The first run is the step as written; a later one failing is what the time was for.
        if (runs > 1 && err instanceof Error) {
          const note = laterRunNote(err.constructor.name, at, bound);
          if (note) restate(err, `${err.message}${note}`);
        }
        throw err;
      }
      if (last) return undefined;
      await new Promise((r) => setTimeout(r, AGAIN_MS));
    }
  });
});
