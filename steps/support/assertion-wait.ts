// A shorter wait lent to the assertions a step runs: the generic checks read theirs from the world's parameters.
import type { SignoffWorld } from "./world";

/**
 * Runs `fn` with the world's action timeout set to `ms`, as every generic assertion (and the settling it waits for)
 * reads it: a sequence property's `check wait`, a `within 500 ms …` step. The session's own waits for an element to
 * be there are the driver's, and unchanged.
 */
export async function withAssertionWait<R>(world: SignoffWorld, ms: number, fn: () => Promise<R>): Promise<R> {
  const params = world.parameters as { timeouts: SignoffWorld["parameters"]["timeouts"] };
  const saved = params.timeouts;
  params.timeouts = { ...saved, actionMs: ms };
  try {
    return await fn();
  } finally {
    params.timeouts = saved;
  }
}
