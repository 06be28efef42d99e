// A step failure's stack as a QA engineer reads it: the error's line and the frames in their own code, not Signoff's insides.
import { join, sep } from "node:path";
import { CODE_ROOT } from "./package";

/** Frames from these places are Signoff's (or a library's, or node's) business; SIGNOFF_STACKS=1 keeps them. */
const INTERNAL = [join(CODE_ROOT, "src") + sep, join(CODE_ROOT, "steps") + sep, `${sep}node_modules${sep}`, "node:"];

/**
 * Drops Signoff's own, the libraries' and node's frames from a step-facing error's stack, as Cucumber
 * drops its own: what remains is the error's line and any frame in the project's step code.
 */
export function withUserFrames<E extends Error>(err: E): E {
  if (process.env.SIGNOFF_STACKS) return err;
  const [, ...frames] = (err.stack ?? "").split("\n");
  const kept = frames.filter((f) => !/^\s+at /.test(f) || !INTERNAL.some((p) => f.includes(p)));
  err.stack = [`${err.name}: ${err.message}`, ...kept.filter((f) => /^\s+at /.test(f))].join("\n");
  return err;
}

/**
 * Gives an error a new message, its stack's first line too: reporters print the stack (Cucumber, Allure's trace),
 * and one whose first line still says the old message shows a failure twice, the second time without what was added.
 */
export function restate<E extends Error>(err: E, message: string): E {
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  err.message = message;
  err.stack = [`${err.name}: ${message}`, ...frames].join("\n");
  return err;
}
