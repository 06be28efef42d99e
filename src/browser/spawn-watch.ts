// Tells when this process has spawned a child process that matches a test (node's `child_process` diagnostics channel).
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ChildProcess } from "node:child_process";

/** Node publishes every ChildProcess it creates here, just before spawning it (a documented built-in channel). */
const CHANNEL = "child_process";

/**
 * Calls `spawned` with it once, when the next child process whose arguments satisfy `matches` exists (its 'spawn' event);
 * the returned function stops watching (call it when whatever would spawn it settled without doing so).
 * Why hand-written: a library spawning its own process (Playwright's browser launch) says nothing before its
 * launch resolves, and no maintained package reports another module's spawns.
 */
export function onChildSpawned(
  matches: (args: readonly string[]) => boolean,
  spawned: (child: ChildProcess) => void,
): () => void {
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    unsubscribe(CHANNEL, listener);
  };
  function listener(message: unknown): void {
    const child = (message as { process?: ChildProcess }).process;
    // Published in ChildProcess's constructor: its arguments are known once it has spawned.
    child?.once("spawn", () => {
      if (done || !matches(child.spawnargs)) return;
      stop();
      spawned(child);
    });
  }
  subscribe(CHANNEL, listener);
  return stop;
}
