// How a file path is spelled in the lines a user reads (reasons, summaries, errors): one rule for every command.
import { isAbsolute, relative, resolve, sep } from "node:path";

/**
 * `path` relative to the working directory when it lies inside it ("." for the directory itself), else absolute.
 * Why one rule: the gate's lines mixed "reports/run.json" with "/work/qa/reports/messages/…" and "../../x" for
 * files of the same run, depending on how each path reached the line; a "../.." chain says less than the
 * absolute path it stands for, and a path inside the project reads shorter relative to it.
 */
export function shownPath(path: string, cwd: string = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel === "") return ".";
  // Outside the cwd (or, on Windows, on another drive): the absolute path says where.
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return abs;
  return rel;
}
