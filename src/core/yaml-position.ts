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
