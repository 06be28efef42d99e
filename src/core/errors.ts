// Errors that end a command with a specific exit code and one clear line (DESIGN.md: exit codes).

export const EXIT = {
  ok: 0,
  /** Ran fine; the tests or the verdict say no. */
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

export class SignoffError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "SignoffError";
  }
}

/** Bad input: the message names the file/line/field. Exit 2. */
export class UsageError extends SignoffError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

/** The environment is not fit to run: no browser, staging unreachable. Exit 3. */
export class EnvironmentError extends SignoffError {
  constructor(message: string) {
    super(message, EXIT.environment);
    this.name = "EnvironmentError";
  }
}

/** Ran fine but selected nothing to judge: a path, file:line or tag expression that matches no scenario. Exit 1. */
export class NothingSelectedError extends SignoffError {
  constructor(message: string) {
    super(message, EXIT.no);
    this.name = "NothingSelectedError";
  }
}
