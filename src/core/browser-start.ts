// A target process's browser that could not be started: remembered once, so the rest of its scenarios are skipped.
import type { BrowserStartError } from "./errors";

let failure: BrowserStartError | undefined;

/** The first failure to start the browser in this process, if any. */
export function browserStartFailure(): BrowserStartError | undefined {
  return failure;
}

/**
 * Remembers the failure; its stack goes (the frames are Signoff's and the driver's insides, the message says
 * what a user can act on), so the one scenario that reports it shows one line.
 */
export function recordBrowserStartFailure(err: BrowserStartError): void {
  err.stack = `${err.name}: ${err.message}`;
  failure ??= err;
}
