// Errors of property steps: what Cucumber shows is the message alone, never a stack trace.
import { StagingError } from "../browser/session";
import { categoryOfErrorType, SERVER_ERROR_TYPES } from "../core/failure-category";

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
 * A property that failed as the product: a counterexample was found, or a run's start stopped working after passing
 * runs. ("Assertion" in the name makes Allure file it as a product failure, not a broken test.)
 */
export class PropertyAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyAssertionError";
    plain(this);
  }
}

/**
 * A property that ran out of its time budget, a replay token that names no case, or a sequence property that never
 * ran an action (as a step whose element is not there, a test defect until the element is seen).
 */
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

/**
 * Whether a check's error can be a counterexample: anything but the environment failing or a malformed test. A
 * server that answered a generated input with a 5xx is the product failing, not the environment.
 */
export function isProductFailure(err: unknown): boolean {
  const type = err instanceof Error ? err.constructor.name : undefined;
  if (err instanceof Error && classNames(err).some((n) => n === "PropertyInputError" || n === "TestDefinitionError"))
    return false;
  if (type !== undefined && SERVER_ERROR_TYPES.has(type)) return true;
  return categoryOfErrorType(type) !== "environment problem";
}

/**
 * The names of an error's class and of every class it extends: a malformed test is a TestDefinitionError or any
 * subclass (an ambiguous number, a field that refuses its value…). By name, not instanceof: the sources and the
 * compiled package may each hold a copy of the class.
 */
function classNames(err: Error): string[] {
  const names: string[] = [];
  for (let p = Object.getPrototypeOf(err); p && p !== Error.prototype; p = Object.getPrototypeOf(p))
    names.push(p.constructor.name);
  return names;
}

/** Whether the error is the environment's (by its type): what stops a property at once, as no counterexample. */
export function isEnvironmentFailure(err: unknown): boolean {
  if (!(err instanceof Error) || SERVER_ERROR_TYPES.has(err.constructor.name)) return false;
  return categoryOfErrorType(err.constructor.name) === "environment problem";
}

/**
 * Node's codes (on the error, or on fetch's `cause`) for a connection that was never made: nobody listening, no
 * such host, no route. A connection made and then dropped (ECONNRESET) is the server's answer to the request.
 */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** A StagingError when a request's error says staging could not be connected to at all, by its code; else undefined. */
export function unreachable(err: unknown, url: string): StagingError | undefined {
  const codeOf = (e: unknown) => (e as { code?: unknown } | undefined)?.code;
  const code = codeOf(err) ?? codeOf((err as { cause?: unknown } | undefined)?.cause);
  return typeof code === "string" && NOT_CONNECTED_CODES.has(code)
    ? new StagingError(`${code} connecting to ${url}`)
    : undefined;
}
