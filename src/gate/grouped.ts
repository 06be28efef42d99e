// Examples per group for a reason's one line: a few named, the rest counted.

/** How many examples a reason names before "… and N more". */
export const MAX_EXAMPLES = 10;

/** Collects examples per group without keeping more than MAX_EXAMPLES strings. */
export class Grouped {
  private groups = new Map<string, { count: number; examples: string[] }>();
  add(group: string, example: string): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { count: 0, examples: [] }));
    g.count++;
    if (g.examples.length < MAX_EXAMPLES) g.examples.push(example);
  }
  entries(): [string, { count: number; examples: string[] }][] {
    return [...this.groups];
  }
}

export function listExamples(g: { count: number; examples: string[] }): string {
  return g.examples.join("; ") + (g.count > g.examples.length ? `; … and ${g.count - g.examples.length} more` : "");
}
