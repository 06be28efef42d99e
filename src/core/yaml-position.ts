// Where a field of a parsed YAML document is written (line:col), so a schema error can name its line as well as its field.
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

/** Schema problems as the file reads, top to bottom, each "file:line:col: field: what is wrong". */
export function problemLines(problems: readonly { field: string[]; text: string }[], where: FieldWhere): string[] {
  const placed = problems
    .map((p) => ({ ...where(p.field), text: p.text }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = placed.slice(0, MAX_PROBLEMS_NAMED).map((p) => `${p.at}: ${p.text}`);
  const more = placed.length - lines.length;
  if (more > 0) lines[lines.length - 1] += ` (and ${more} more problem${more === 1 ? "" : "s"} in this file)`;
  return lines;
}
