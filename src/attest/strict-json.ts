// Strict JSON parsing for untrusted verdict input: rejects duplicate keys, deep nesting and trailing data.
//
// Why not JSON.parse: it silently keeps the last of two duplicate keys, so `{"payload":A,"payload":B}`
// could mean A to one verifier and B to another (a classic signature-confusion trick). This parser is
// iterative where it matters (bounded depth), never throws anything but StrictJsonError, and is linear
// in the input size so a 30 MB verdict parses in well under a second.

export class StrictJsonError extends Error {
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
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Characters a JSON string may hold as they are: anything but a quote, a backslash or a control character. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings: this is the rule itself
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

/** Parses `text` as one JSON value; throws StrictJsonError with an offset on anything not strictly JSON. */
export function parseStrictJson(text: string, opts: StrictJsonOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 64;
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

  const str = (): string => {
    // i is at the opening quote
    const start = i;
    i++;
    let escaped = false;
    while (i < n) {
      // Skip a run of ordinary characters at once (long base64 strings are most of a big verdict).
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      fail("control character in string"); // the only other character that ends a plain run
    }
    if (i >= n) fail("unterminated string", start);
    i++; // closing quote
    if (!escaped) return text.slice(start + 1, i - 1);
    // Escapes are rare in our statements: let the engine validate and decode just this string.
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("invalid escape in string", start);
    }
  };

  const value = (depth: number): unknown => {
    ws();
    if (i >= n) fail("unexpected end of input");
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22) fail("expected a string key");
        const keyAt = i;
        const key = str();
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
        seen.add(key);
        ws();
        if (text.charCodeAt(i) !== 0x3a) fail("expected ':'");
        i++;
        const v = value(depth + 1);
        // defineProperty: a "__proto__" key stays a plain own property instead of changing the prototype.
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
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
      const arr: unknown[] = [];
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
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
    if (c === 0x22) return str();
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

  const result = value(0);
  ws();
  if (i !== n) fail("unexpected data after the JSON value");
  return result;
}
