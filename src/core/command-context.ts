// What an area's commands receive from the CLI to register their actions (so no module imports cli.ts).

/** An action returns its exit code; commander only parses. */
export type Action<A extends unknown[]> = (...args: A) => Promise<number>;

export interface CommandContext {
  /** Wraps an action so its exit code reaches main(). */
  action<A extends unknown[]>(fn: Action<A>): (...args: A) => Promise<void>;
}

/**
 * The flags commander parsed for one command. Commander hands them over untyped; each action reads
 * what it declared and validates values with its option parsers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's parsed options carry no static types
export type ParsedOptions = Record<string, any>;
