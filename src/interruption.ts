// Worker-side interrupt handling: on SIGTERM/SIGINT the running scenario fails as "interrupted",
// the rest are skipped, and Cucumber still ends the run normally so every result is flushed.
import type { BrowserSession } from "./browser/session";

let signal: NodeJS.Signals | undefined;
const listeners: Array<() => Promise<void> | void> = [];

export class RunInterruptedError extends Error {
  constructor(sig: string) {
    super(`run interrupted by ${sig}`);
    this.name = "RunInterruptedError";
    // Where the step was when the signal came is no news to anyone: the message is the whole story.
    this.stack = `${this.name}: ${this.message}`;
  }
}

export function interruptedBy(): NodeJS.Signals | undefined {
  return signal;
}

/** Called once, on the first signal: e.g. close the browser so the running step stops waiting. */
export function onInterrupt(fn: () => Promise<void> | void): void {
  listeners.push(fn);
}

export function installInterruptHandlers(): void {
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.on(sig, () => {
      if (signal) return;
      signal = sig;
      for (const fn of listeners) void Promise.resolve(fn()).catch(() => undefined);
    });
  }
}

/** The session, but any failure after an interrupt reads "run interrupted by SIGTERM", not a crash. */
export function interruptible(session: BrowserSession): BrowserSession {
  return new Proxy(session, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (signal) throw new RunInterruptedError(signal);
        try {
          return await value.apply(target, args);
        } catch (err) {
          if (signal) throw new RunInterruptedError(signal);
          throw err;
        }
      };
    },
  });
}
