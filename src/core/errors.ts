// One error hierarchy: a command's errors carry their exit code on the class; a step's failures say by their type what is at fault.

import { withUserFrames } from "./user-stack";

export const EXIT = {
  ok: 0,
  /** Ran fine; the tests or the verdict say no (or the run selected nothing). */
  no: 1,
  /** Usage, config or input error. */
  usage: 2,
  /** Environment problem: no browser, staging unreachable. */
  environment: 3,
  /** A bug in Signoff itself (an unexpected exception): never 2, which says the input is wrong. */
  crash: 70,
  /** Interrupted by a signal (128 + SIGINT). */
  interrupted: 130,
} as const;

/** An error that ends a command: one line on the terminal and the exit code of its class (README, exit codes). */
export abstract class SignoffError extends Error {
  abstract readonly exitCode: number;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: the message names the file/line/field. Exit 2. */
export class UsageError extends SignoffError {
  readonly exitCode = EXIT.usage;
}

/** The environment is not fit to run: no browser, staging unreachable. Exit 3. */
export class EnvironmentError extends SignoffError {
  readonly exitCode = EXIT.environment;
}

/**
 * The browser (or chromedriver, or a Grid session) could not be started for a target: no scenario can run there.
 * Its message is the one line a user needs; the target's process stops its run and exits EXIT.environment.
 */
export class BrowserStartError extends EnvironmentError {}

/** Ran fine but selected nothing to judge: a path, file:line or tag expression that matches no scenario. Exit 1. */
export class NothingSelectedError extends SignoffError {
  readonly exitCode = EXIT.no;
}

/** Ran fine, and the answer is no: e.g. a sign-off refused because the decision is not PASSED or not the gate's. Exit 1. */
export class RefusedError extends SignoffError {
  readonly exitCode = EXIT.no;
}

/** A command stopped by a signal before it finished (what was written so far is kept). Exit 130. */
export class InterruptedError extends SignoffError {
  readonly exitCode = EXIT.interrupted;

  constructor(
    readonly signal: NodeJS.Signals,
    readonly detail: string,
  ) {
    super(`${signal} received: ${detail}`);
  }
}

/** The exit code a command ends with after `err`: its class's, or `crash` for anything no one expected. */
export function exitCodeOf(err: unknown): number {
  return err instanceof SignoffError ? err.exitCode : EXIT.crash;
}

/**
 * The product does not do what the scenario says: every generic assertion throws it, and a project's own
 * steps may too (exported from "signoff"). Reported as a product defect (docs/report.md, "Categories").
 * Named "AssertionError" like node:assert's and chai's, so tools that look at the name agree.
 */
export class SignoffAssertionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AssertionError";
    withUserFrames(this);
  }
}

/** One of Signoff's own invariants did not hold: a Signoff bug to report, never the product's or the test's doing. */
export class InternalError extends Error {
  constructor(message: string) {
    super(`${message} (a Signoff bug: please report it)`);
    this.name = "InternalError";
  }
}

/**
 * The test itself cannot run as written: an element phrase Signoff cannot read, a fixture file that
 * does not exist, a number that was never remembered. Reported as a test defect.
 */
export class TestDefinitionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TestDefinitionError";
    withUserFrames(this);
  }
}
