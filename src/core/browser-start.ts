// A target process's browser that could not be started: remembered once, so its later scenarios fail without trying again.
import { BrowserStartError } from "./errors";

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
  withoutStack(err);
  failure ??= err;
}

/** For each later scenario (a retry too): a fresh error with the recorded failure's message, no stack. */
export function browserStartFailedAgain(): BrowserStartError | undefined {
  return failure && withoutStack(new BrowserStartError(failure.message));
}

function withoutStack(err: BrowserStartError): BrowserStartError {
  err.stack = `${err.name}: ${err.message}`;
  return err;
}
