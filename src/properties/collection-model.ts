// The model of a collection on the page (a list's items) for sequence properties: what each action does to it, and how the page is compared with it.

/** What an action does to the model: `adds {x}`, `removes {x}`, `clears the list`, `changes nothing`. */
export type ModelEffect = { kind: "adds" | "removes"; name: string } | { kind: "clears" } | { kind: "none" };

/** Applies an effect; `named` holds the action's named values as they ran. */
export function applyEffect(
  model: string[],
  effect: ModelEffect | undefined,
  named: ReadonlyMap<string, string>,
): string[] {
  if (!effect || effect.kind === "none") return model;
  if (effect.kind === "clears") return [];
  const value = named.get(effect.name) ?? "";
  if (effect.kind === "adds") return [...model, value];
  const at = model.indexOf(value);
  return at < 0 ? model : [...model.slice(0, at), ...model.slice(at + 1)];
}

const normal = (s: string) => s.replace(/\s+/g, " ").trim();

/** The model entry an item's text stands for: its first line (the rest is usually its buttons). */
export function entryOf(itemText: string): string {
  return normal(itemText.split("\n").find((l) => l.trim() !== "") ?? "");
}

/**
 * Does the page show exactly the model's items, in any order? Each model entry must be one line of a
 * different item (else contained in one); an item left over, or an entry with no item, is a difference.
 * Undefined when they agree, else what differs.
 */
export function compareWithModel(pageTexts: readonly string[], model: readonly string[]): string | undefined {
  const unused = pageTexts.map((t, i) => ({ i, lines: t.split("\n").map(normal), all: normal(t) }));
  const missing: string[] = [];
  // Longer entries first, so "milk" does not take the item that "oat milk" needs.
  for (const entry of [...model].sort((a, b) => b.length - a.length)) {
    const e = normal(entry);
    const at = unused.findIndex((u) => u.lines.includes(e));
    const found = at >= 0 ? at : unused.findIndex((u) => u.all.includes(e));
    if (found < 0) missing.push(entry);
    else unused.splice(found, 1);
  }
  if (missing.length === 0 && unused.length === 0) return undefined;
  const quote = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(", ");
  const parts = [
    `the model expects ${model.length} item(s) [${quote(model)}], the page shows ${pageTexts.length} [${quote(pageTexts.map(entryOf))}]`,
  ];
  if (missing.length) parts.push(`missing: ${quote(missing)}`);
  if (unused.length) parts.push(`not in the model: ${quote(unused.map((u) => entryOf(pageTexts[u.i])))}`);
  return parts.join("; ");
}
