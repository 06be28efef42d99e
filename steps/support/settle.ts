// What a negative or page-health check waits for before it judges: the page settled (BrowserSession.settle), its note in the step's log.
import { describeSettle } from "../../src/browser/session";
import type { SignoffWorld } from "./world";

/**
 * Waits up to `withinMs` for the world's page to settle. When it did not (or left long-lived requests out), the
 * step's log says so, with the requests concerned: the check that follows judged the page as it was.
 */
export async function pageSettled(world: SignoffWorld, withinMs: number): Promise<void> {
  const outcome = await world.session.settle(withinMs);
  const note = describeSettle(outcome, withinMs);
  if (note) world.log(outcome.quiet ? note : `${note}: the check judged the page as it was then`);
}

/** `pageSettled` for a world, as `eventually` takes it. */
export const settleOf =
  (world: SignoffWorld) =>
  (withinMs: number): Promise<void> =>
    pageSettled(world, withinMs);
