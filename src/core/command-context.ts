// What an area's commands receive from the CLI to register their actions (so no module imports cli.ts).

/** An action returns its exit code; commander only parses. */
export type Action<A extends unknown[]> = (...args: A) => Promise<number>;

export interface CommandContext {
  /** Wraps an action so its exit code reaches main(). */
  action<A extends unknown[]>(fn: Action<A>): (...args: A) => Promise<void>;
}
