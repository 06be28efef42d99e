// A full garbage collection of the Cucumber process every few scenarios, so its heap stays flat over a long run.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Scenarios between two collections. Each scenario leaves ≈ 0.2 MB of garbage in this process (Playwright's
 * protocol messages, trace chunks, Cucumber's messages), promoted to V8's old space; V8 runs no full
 * collection until that space reaches a limit sized for a long-lived server, so the process grew by
 * ≈ 100 MB over 500 scenarios though its live heap grew by ≈ 10 MB (bench/RESULTS.md, "Memory from 10 to
 * 500 scenarios"). A full collection of this heap costs a few tens of ms: once per 25 scenarios is ≈ 1 %.
 */
export const GC_EVERY_SCENARIOS = 25;

/**
 * V8's full collection. Node exposes it only behind `--expose-gc`, which a process cannot be started with
 * here (users' own `cucumber-js` runs load this World too), so the flag is set at run time and the function
 * taken from a fresh context, the way jest's leak detector does; `undefined` if the engine refuses.
 */
export function fullGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === "function") return existing as () => void;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `collect` after every `every`-th scenario; returns what to call when a scenario ends. */
export function collectEvery(every: number, collect: (() => void) | undefined): () => void {
  let ended = 0;
  return () => {
    if (collect && ++ended % every === 0) collect();
  };
}
