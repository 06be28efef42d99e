// The string-based strict JSON parser that src/core/strict-json.ts replaced, kept as the oracle its differential tests compare with.
//
// Not used by Signoff: parse() reads a Latin-1 view of the bytes (a copy of the whole input as a string), which
// is what the byte parser avoids. Its rules are the ones the byte parser must keep, byte for byte, error for error.
import { isUtf8 } from "node:buffer";
import { DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUES } from "../../src/core/strict-json";

class StrictJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "StrictJsonError";
  }
}

export interface StrictJsonOptions {
  /** Maximum nesting of arrays/objects (default 64). */
  maxDepth?: number;
  /** Maximum keys in one object, built or not. */
  maxKeys?: number;
  /** Maximum values in one parse: every array element, object member and the top value, but a string not built. */
  maxValues?: number;
  /**
   * Paths of object keys from the top (e.g. ["predicate", "passedTests"]) whose values are checked exactly as
   * strictly as any other (grammar, depth, duplicate keys, escapes) but not built: the key is left out of its
   * object. For large parts a caller never reads, such as the 100k test names of an evidence statement
   * during verify. A key of that name anywhere else is kept.
   */
  skip?: ReadonlyArray<readonly string[]>;
}

/** The skipped paths as a tree of keys: a key maps to its own subtree, or to null when its value is skipped. */
type SkipTree = Map<string, SkipTree | null>;

function skipTree(paths: ReadonlyArray<readonly string[]>): SkipTree {
  const root: SkipTree = new Map();
  for (const path of paths) {
    let node = root;
    path.forEach((key, k) => {
      if (k === path.length - 1) return void node.set(key, null);
      const next = node.get(key) ?? new Map();
      node.set(key, next);
      node = next;
    });
  }
  return root;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Characters a JSON string may hold as they are: anything but a quote, a backslash or a control character. */

const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
/** The same, ASCII only: stops at the first character ≥ 0x80 as well (a UTF-8 byte, in bytes read as Latin-1). */

const PLAIN_ASCII_RUN = /[^"\\\u0000-\u001f\u0080-\uffff]*/y;
/**
 * Plain strings each followed by a comma, at most 1024 at a time (a bound on the engine's backtracking
 * stack): how an array that is not built is skipped without a call per element.
 */

const PLAIN_ELEMENTS = /(?:"[^"\\\u0000-\u001f]*"[ \t\n\r]*,[ \t\n\r]*){0,1024}/y;

/** A key as a refusal names it: quoted, and cut short when long (a hostile key may be megabytes). */
function keyName(key: string): string {
  return key.length <= 64 ? JSON.stringify(key) : `${JSON.stringify(key.slice(0, 60))}… (${key.length} characters)`;
}

/** Parses UTF-8 `bytes` as one JSON value; invalid UTF-8 is a StrictJsonError too. */
export function parseStrictJsonBytes(bytes: Buffer, opts: StrictJsonOptions = {}): unknown {
  if (!isUtf8(bytes)) throw new StrictJsonError("invalid UTF-8", 0);
  const text = bytes.toString("latin1");
  return parse(text, opts, (start, end, nonAscii) =>
    nonAscii ? bytes.toString("utf8", start, end) : text.slice(start, end),
  );
}

/**
 * The parser; `source(start, end, nonAscii)` gives the source text of [start, end) (a string's contents, or
 * a whole string literal with escapes) — for bytes read as Latin-1, decoded as UTF-8 where `nonAscii`.
 */
function parse(
  text: string,
  opts: StrictJsonOptions,
  source: (start: number, end: number, nonAscii: boolean) => string,
): unknown {
  const maxDepth = opts.maxDepth ?? 64;
  const maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
  const maxValues = opts.maxValues ?? DEFAULT_MAX_VALUES;
  let values = 0;
  let i = 0;
  const n = text.length;

  const fail = (msg: string, at = i): never => {
    throw new StrictJsonError(`${msg} at offset ${at}`, at);
  };

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  /** A string's value, or undefined when `build` is false (checked all the same). */
  const str = (build: boolean): string | undefined => {
    // i is at the opening quote
    const start = i;
    i++;
    let escaped = false;
    let nonAscii = false;
    while (i < n) {
      // Skip a run of ordinary characters at once (long base64 strings are most of a big verdict).
      const run = nonAscii ? PLAIN_RUN : PLAIN_ASCII_RUN;
      run.lastIndex = i;
      run.test(text);
      i = run.lastIndex;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c >= 0x80) {
        nonAscii = true;
        continue;
      }
      fail("control character in string"); // the only other character that ends a plain run
    }
    if (i >= n) fail("unterminated string", start);
    i++; // closing quote
    if (!escaped) return build ? source(start + 1, i - 1, nonAscii) : undefined;
    // Escapes are rare in our statements: let the engine validate and decode just this string.
    try {
      return JSON.parse(source(start, i, nonAscii)) as string;
    } catch {
      return fail("invalid escape in string", start);
    }
  };

  /** Past the plain strings that start an array not built, up to its next element (or to one not plain). */
  const skipPlainElements = () => {
    for (let from = -1; from !== i;) {
      from = i;
      PLAIN_ELEMENTS.lastIndex = i;
      PLAIN_ELEMENTS.test(text);
      i = PLAIN_ELEMENTS.lastIndex;
    }
  };

  /**
   * The value at i, or undefined when `build` is false: then nothing is built, and everything is checked.
   * `skip`: the skipped paths below this value, when it is an object on the way to one.
   */
  const value = (depth: number, build: boolean, skip?: SkipTree): unknown => {
    ws();
    if (i >= n) fail("unexpected end of input");
    const c = text.charCodeAt(i);
    if ((build || c !== 0x22) && ++values > maxValues) fail(`more than ${maxValues} values`);
    if (c === 0x7b /* { */) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const obj: Record<string, unknown> | undefined = build ? {} : undefined;
      const seen = new Set<string>();
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (let keys = 1; ; keys++) {
        ws();
        if (text.charCodeAt(i) !== 0x22) fail("expected a string key");
        const keyAt = i;
        if (keys > maxKeys) fail(`an object with more than ${maxKeys} keys`);
        const key = str(true) as string;
        if (seen.has(key)) fail(`duplicate key ${keyName(key)}`, keyAt);
        seen.add(key);
        ws();
        if (text.charCodeAt(i) !== 0x3a) fail("expected ':'");
        i++;
        const below = skip?.get(key);
        const kept = obj !== undefined && below !== null;
        const v = value(depth + 1, kept, below ?? undefined);
        // defineProperty: a "__proto__" key stays a plain own property instead of changing the prototype.
        if (kept) Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x7d) {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === 0x5b /* [ */) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const arr: unknown[] | undefined = build ? [] : undefined;
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        if (!build) skipPlainElements();
        const v = value(depth + 1, build);
        if (arr) arr.push(v);
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x5d) {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === 0x22) return str(build);
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("unexpected character");
    i += m[0].length;
    const num = Number(m[0]);
    if (!Number.isFinite(num)) fail("number out of range");
    return num;
  };

  const result = value(0, true, opts.skip ? skipTree(opts.skip) : undefined);
  ws();
  if (i !== n) fail("unexpected data after the JSON value");
  return result;
}
