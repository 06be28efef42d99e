// What a negative, page-health or held-state check waits for before it judges: the page settled (BrowserSession.settle), its note in the step's log.
import { describeSettle } from "../../src/browser/session";
import type { EventuallyOptions } from "./eventually";
import type { SignoffWorld } from "./world";

/** How long each world's steps have spent waiting for its page to settle: what a `within` bound does not count. */
const settling = new WeakMap<SignoffWorld, number>();

/** The milliseconds the world's steps have spent settling so far. */
export function settlingSoFar(world: SignoffWorld): number {
  return settling.get(world) ?? 0;
}

/**
 * Waits up to `withinMs` for the world's page to settle. When it did not (or left long-lived requests out), the
 * step's log says so, with the requests concerned: the check that follows judged the page as it was.
 */
export async function pageSettled(world: SignoffWorld, withinMs: number): Promise<void> {
  const started = performance.now();
  const outcome = await world.session
    .settle(withinMs)
    .finally(() => settling.set(world, settlingSoFar(world) + performance.now() - started));
  const note = describeSettle(outcome, withinMs);
  if (note) world.log(outcome.quiet ? note : `${note}: the check judged the page as it was then`);
}

/** `pageSettled` for a world, as `eventually` takes it. */
export const settleOf =
  (world: SignoffWorld) =>
  (withinMs: number): Promise<void> =>
    pageSettled(world, withinMs);

/**
 * How a check waits: a negative one settles (what it rules out may be on its way); a `held` one is a state the page
 * must keep after an action (a choice the page may put back once its request answers), so a right answer counts
 * only once read after the page settled, and a wrong one is waited on to the deadline.
 */
export type Waits = "plain" | "negative" | "held";

/** The `eventually` options of a check that waits as `waits` says. */
export const waitsAs = (world: SignoffWorld, waits: Waits): EventuallyOptions =>
  waits === "plain" ? {} : { settle: settleOf(world), keepWaiting: waits === "held" };
