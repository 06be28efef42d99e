// One copy of each string and tag list that the scenarios of one load repeat (a key and name on every target, a uri per scenario).
//
// Hand-written (a Map): at 100k scenarios over four targets, a fresh copy per scenario was most of what the gate
// held after loading (bench/RESULTS.md, issue 18 §4 fifth pass). Strings are immutable, so sharing one is invisible;
// the shared tag and requirement lists are frozen, so a reader that changed one would throw instead of changing
// another scenario's.
import { requirementIds } from "../core/tags";
import type { ScenarioResult } from "../core/results-model";

export interface TagLists {
  readonly tags: string[];
  readonly requirements: string[];
}

export class SharedStrings {
  private readonly strings = new Map<string, string>();
  private readonly tagLists = new Map<string, TagLists>();
  private last: { prefix: string; scenarios: readonly ScenarioResult[] } | undefined;

  /**
   * Scenario `i` of the results this table shared last under the same requirement prefix: the hint for scenario
   * `i` of the next ones. A load's targets list the same scenarios in the same order, and comparing with the
   * hint costs less than a lookup (bench/RESULTS.md); a hint that differs is only a lookup more.
   */
  like(i: number, prefix: string): ScenarioResult | undefined {
    return this.last?.prefix === prefix ? this.last.scenarios[i] : undefined;
  }

  /** Remembers `scenarios` (shared under `prefix`) as the hints for the next results (see like). */
  remember(prefix: string, scenarios: readonly ScenarioResult[]): void {
    this.last = { prefix, scenarios };
  }

  /** The first copy of `s` seen by this table (`hint` when it is that string); anything but a string as it is. */
  string<T>(s: T, hint?: string): T {
    if (typeof s !== "string") return s;
    if (hint === s) return hint as T;
    const had = this.strings.get(s);
    if (had !== undefined) return had as T;
    this.strings.set(s, s);
    return s;
  }

  /**
   * `tags` and the requirement ids they carry under `prefix`, shared (frozen) with every scenario tagged alike;
   * `hint` (lists this table gave for `prefix`) when it holds the same tags.
   */
  tags(tags: readonly string[], prefix: string, hint?: TagLists): TagLists {
    if (hint && sameList(hint.tags, tags)) return hint;
    // JSON, not a separator character: one could occur inside a hostile tag and join two lists into one key.
    const id = JSON.stringify([prefix, tags]);
    let lists = this.tagLists.get(id);
    if (!lists) {
      lists = {
        tags: Object.freeze(tags.map((t) => this.string(t))) as string[],
        requirements: Object.freeze(requirementIds(tags, prefix).map((r) => this.string(r))) as string[],
      };
      this.tagLists.set(id, lists);
    }
    return lists;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
