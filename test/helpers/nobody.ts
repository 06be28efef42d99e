// A command run as nobody from this checkout: nobody must get through the checkout's parent directories.
import { chmodSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Lets others (nobody) traverse every directory above `path` that does not let them (a clone made inside a
 * 0700 directory, as `mktemp -d` makes); returns the function that puts each mode back.
 */
export function letNobodyThrough(path: string): () => void {
  const changed: Array<[string, number]> = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push([dir, mode]);
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const [dir, mode] of changed.reverse()) chmodSync(dir, mode);
  };
}
