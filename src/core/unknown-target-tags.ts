// The `@target:` tags of a Gherkin document that name no configured target: refused by `signoff run`'s preflight and by the profile's plugin alike.
import { didYouMean } from "./did-you-mean";
import { TARGET_TAG_PREFIX } from "./tags";

/** The parts of a Gherkin document (a `gherkinDocument` message) that carry tags. */
interface TagNode {
  tags?: ReadonlyArray<{ name: string; location?: { line: number } }>;
  children?: ReadonlyArray<{ scenario?: TagNode; rule?: TagNode }>;
  examples?: readonly TagNode[];
}

/**
 * One line per `@target:NAME` tag (on a feature, rule, scenario or examples) whose NAME is no configured target:
 * such a tag narrows nothing (the scenario has no tag of a target it runs on, so it runs on every target), or,
 * beside a known one, keeps the scenario off the target it meant; never what its author meant.
 */
export function unknownTargetTags(doc: { uri?: string; feature?: TagNode }, targetNames: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (node: TagNode | undefined) => {
    if (!node) return;
    for (const tag of node.tags ?? []) {
      if (!tag.name.startsWith(TARGET_TAG_PREFIX)) continue;
      const name = tag.name.slice(TARGET_TAG_PREFIX.length);
      if (targetNames.includes(name)) continue;
      out.push(
        `${doc.uri}${tag.location ? `:${tag.location.line}` : ""}: ${tag.name} names no configured target` +
          `${didYouMean(name, targetNames)}; known targets: ${targetNames.join(", ")}`,
      );
    }
    for (const child of node.children ?? []) visit(child.scenario ?? child.rule);
    for (const examples of node.examples ?? []) visit(examples);
  };
  visit(doc.feature);
  return out;
}
