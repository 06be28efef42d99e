// How a user finds something on a page: the shape element phrases become and every adapter resolves.

/** How a user finds something on a page, before narrowing. */
export type LocatorBase =
  | { by: "role"; role: string; name?: string }
  | { by: "label"; text: string }
  | { by: "placeholder"; text: string }
  | { by: "text"; text: string }
  | { by: "testId"; id: string }
  | { by: "css"; selector: string }
  /** The data cells of a table (native or ARIA) whose column header is named `column`; narrowed to a row by `within`. */
  | { by: "column"; column: string };

/**
 * How a user finds something on a page. Steps build these; adapters resolve them, the same way:
 * visible matches of the base, kept when their text contains `hasText` (case-insensitive) and when
 * they sit inside a match of `within`, in document order; then the name rule (name-match.ts) keeps those
 * named exactly, if any; then `nth` picks one of them.
 */
export type Locator = LocatorBase & {
  /** Only matches whose text contains this (case-insensitive substring, like the name rule). */
  hasText?: string;
  /** Only matches inside (descendants of) a match of this locator. */
  within?: Locator;
  /** Which candidate, counting from 0, or the last one. Without it, actions use the first (see name-match.ts). */
  nth?: number | "last";
};
