// How a file path is spelled in the lines a user reads (reasons, summaries, errors): one rule for every command.
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/**
 * `path` relative to the working directory when it lies inside it ("." for the directory itself), else absolute.
 * Why one rule: the gate's lines mixed "reports/run.json" with "/work/qa/reports/messages/…" and "../../x" for
 * files of the same run, depending on how each path reached the line; a "../.." chain says less than the
 * absolute path it stands for, and a path inside the project reads shorter relative to it.
 */
export function shownPath(path: string, cwd: string = process.cwd()): string {
  let abs = resolve(cwd, path);
  if (hasParentStep(path)) {
    const real = physical(path, cwd);
    // No such directory: the path as given, so that reading it fails as the system would, naming it.
    if (real === undefined) return path;
    abs = real;
  }
  const rel = relative(cwd, abs);
  if (rel === "") return ".";
  // Outside the cwd (or, on Windows, on another drive): the absolute path says where.
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return abs;
  return rel;
}

/** A `..` after a name (`dir/..`): the name may be a link. Leading ones step up from the cwd, a real path. */
function hasParentStep(path: string): boolean {
  const parts = path.split(/[\\/]/).filter((p) => p !== "" && p !== ".");
  const firstName = parts.findIndex((p) => p !== "..");
  return firstName >= 0 && parts.indexOf("..", firstName) >= 0;
}

/**
 * Where the system takes `path`: `link/..` is the parent of the link's target, not the directory holding the link,
 * and commands read by the shown path. The directory's real path (libc's realpath follows a link before its `..`;
 * node's path functions and its own realpathSync collapse `..` first), then the last name; undefined when the
 * directory does not exist or is no directory.
 */
function physical(path: string, cwd: string): string | undefined {
  // Concatenated, not joined: path.join would collapse "link/.." before the system sees it.
  const raw = isAbsolute(path) ? path : `${cwd}${sep}${path}`;
  try {
    const name = basename(raw);
    if (name === ".." || name === ".") return realpathSync.native(raw);
    return join(realpathSync.native(dirname(raw)), name);
  } catch {
    return undefined;
  }
}
