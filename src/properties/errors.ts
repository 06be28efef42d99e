// Errors of property steps: what Cucumber shows is the message alone, never a stack trace.
import { categoryOfErrorType } from "../core/failure-category";

/** Drops the stack so the report shows the sentence, not the framework's insides. */
function plain<E extends Error>(err: E): E {
  err.stack = `${err.name}: ${err.message}`;
  return err;
}

/** A malformed table cell, tag or replay token: the message names the cell. Fails the step, no run happens. */
export class PropertyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyInputError";
    plain(this);
  }
}

/**
 * A property that failed: a counterexample was found. ("Assertion" in the name makes Allure file it
 * as a product failure, not a broken test.)
 */
export class PropertyAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyAssertionError";
    plain(this);
  }
}

/** A property that ran out of its time budget, or a replay token that names no case. */
export class PropertyFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyFailure";
    plain(this);
  }
}

/** A check inside one run of a property failed: the message says what was expected and seen. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
    plain(this);
  }
}

/** The message of anything thrown, without a stack. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Whether a check's error can be a counterexample: anything but the environment failing or a malformed test. */
export function isProductFailure(err: unknown): boolean {
  const type = err instanceof Error ? err.constructor.name : undefined;
  if (type === "PropertyInputError" || type === "TestDefinitionError") return false;
  return categoryOfErrorType(type) !== "environment problem";
}
