// Where a field of a parsed YAML document is written (line:col), so a schema error can name its line as well as its
// field; and the first key a map repeats.
import type { Document, LineCounter, Node } from "yaml";
import { yaml } from "./yaml";

/**
 * The line and column of the field at `path` (keys and array indexes, as a schema error names it): the key's own
 * position for a map entry, the item's for an array item. A path that goes further than the document (a missing
 * required field) gives the deepest part that is there; an empty document gives nothing.
 */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly string[],
): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let at: Node | undefined = yaml.isNode(node) ? node : undefined;
  for (const part of path) {
    if (yaml.isMap(node)) {
      const pair = node.items.find((p) => yaml.isScalar(p.key) && String(p.key.value) === part);
      if (!pair) break;
      if (yaml.isNode(pair.key)) at = pair.key;
      node = pair.value;
    } else if (yaml.isSeq(node) && /^[0-9]+$/.test(part)) {
      node = node.items[Number(part)];
      if (!yaml.isNode(node)) break;
      at = node;
    } else break;
  }
  const offset = at?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset);
}

/** Where a field is written, as "file:line:col" (the file alone when the document has no such place). */
export type FieldWhere = (field: readonly string[]) => { at: string; line: number; col: number };

/** Where the fields of `doc` (parsed from `file` with `lines`) are written. */
export function fieldWhere(file: string, doc: Document, lines: LineCounter): FieldWhere {
  return (field) => {
    const pos = positionOf(doc, lines, field);
    return pos ? { at: `${file}:${pos.line}:${pos.col}`, ...pos } : { at: file, line: 0, col: 0 };
  };
}

/** Problems a file names at once, at most: a hostile file's thousands of mistakes are not thousands of lines. */
export const MAX_PROBLEMS_NAMED = 20;

/**
 * Problems found in all that are placed in the file, at most: each placing walks the document, and a hostile file of
 * 80,000 unknown keys took minutes when every one was placed to show 20.
 */
const MAX_PROBLEMS_PLACED = 200;

/**
 * Schema problems as the file reads, top to bottom, each "file:line:col: field: what is wrong" (of a file with more
 * than MAX_PROBLEMS_PLACED, the first found of them).
 */
export function problemLines(problems: readonly { field: string[]; text: string }[], where: FieldWhere): string[] {
  const placed = problems
    .slice(0, MAX_PROBLEMS_PLACED)
    .map((p) => ({ ...where(p.field), text: p.text }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = placed.slice(0, MAX_PROBLEMS_NAMED).map((p) => `${p.at}: ${p.text}`);
  const more = problems.length - lines.length;
  if (more > 0) lines[lines.length - 1] += ` (and ${more} more problem${more === 1 ? "" : "s"} in this file)`;
  return lines;
}

/**
 * The first key a map of `doc` repeats (scalar keys, in document order), where it is written; undefined for none. The
 * yaml library's own `uniqueKeys` compares every pair of a map's keys: a hostile file of 80,000 keys took 37 s there.
 */
export function repeatedKey(doc: Document, lines: LineCounter): { line: number; col: number } | undefined {
  let found: number | undefined;
  yaml.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!yaml.isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          found = pair.key.range?.[0];
          return yaml.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found === undefined ? undefined : lines.linePos(found);
}
