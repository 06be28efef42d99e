// One copy of each string and tag list that the scenarios of one load repeat (a key and name on every target, a uri per scenario).
//
// Hand-written (a Map): at 100k scenarios over four targets, a fresh copy per scenario was most of what the gate
// held after loading (bench/RESULTS.md, issue 18 §4 fifth pass). Strings are immutable, so sharing one is invisible;
// the shared tag and requirement lists are frozen, so a reader that changed one would throw instead of changing
// another scenario's.
import { requirementIds } from "../core/tags";

export interface TagLists {
  readonly tags: string[];
  readonly requirements: string[];
}

export class SharedStrings {
  private readonly strings = new Map<string, string>();
  private readonly tagLists = new Map<string, TagLists>();

  /** The first copy of `s` seen by this table; anything but a string is returned as it is. */
  string<T>(s: T): T {
    if (typeof s !== "string") return s;
    const had = this.strings.get(s);
    if (had !== undefined) return had as T;
    this.strings.set(s, s);
    return s;
  }

  /** `tags` and the requirement ids they carry under `prefix`, shared (frozen) with every scenario tagged alike. */
  tags(tags: readonly string[], prefix: string): TagLists {
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
