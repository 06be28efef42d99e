// Strict JSON parsing for untrusted verdict input: rejects duplicate keys, deep nesting, trailing data, invalid UTF-8.
//
// Why not JSON.parse alone: it silently keeps the last of two duplicate keys, so `{"payload":A,"payload":B}`
// could mean A to one verifier and B to another (a classic signature-confusion trick). A small input with nothing
// skipped or spanned is parsed by JSON.parse and believed only when what it built proves it refused nothing the
// byte parser refuses (byEngine); anything else goes to the byte parser, whose verdict and message are the ones given. This parser is
// iterative where it matters (bounded depth), never throws anything but StrictJsonError, and is linear
// in the input size so a 30 MB verdict parses in well under a second.
//
// It reads UTF-8 bytes, checked as UTF-8 once: every structural character is ASCII and UTF-8's multibyte
// sequences are all ≥ 0x80, so a byte loop finds quotes, backslashes and control characters, and only the
// strings that are built are decoded. No copy of the input is made as a string (a verdict line is 11.6 MB
// of base64 at 100k scenarios; copying it cost more than parsing it). Text is parsed as its UTF-8 bytes.
//
// Linear is not enough against a hostile 32 MiB line: tiny values (`[],` or `"k1":0,`) cost the engine far
// more per byte than the long strings of a real verdict, so an object's keys and a parse's values are capped
// (maxKeys, maxValues).
import { isUtf8 } from "node:buffer";

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
  /** Maximum keys in one object, built or not (default DEFAULT_MAX_KEYS). */
  maxKeys?: number;
  /**
   * Maximum values in one parse (default DEFAULT_MAX_VALUES): every array element, object member and the top
   * value, but a string not built (one under a `skip` path) — those cost no more than their bytes.
   */
  maxValues?: number;
  /**
   * A count shared by the parses of one input (the lines of a verdict), so that maxValues caps their sum: a
   * thousand lines of tiny values cost what one such line of the same size does.
   */
  counted?: ValueCount;
  /**
   * Paths of object keys from the top (e.g. ["predicate", "passedTests"]) whose values are checked exactly as
   * strictly as any other (grammar, depth, duplicate keys, escapes) but not built: the key is left out of its
   * object. For large parts a caller never reads, such as the 100k test names of an evidence statement
   * during verify. A key of that name anywhere else is kept.
   */
  skip?: ReadonlyArray<readonly string[]>;
  /**
   * Paths (as for `skip`) where a string value is given as a StringSpan, its place in the input, instead of a
   * string: a caller that decodes it (an envelope's base64 payload) reads the bytes where they are. A span
   * without escapes is found by its closing quote and its bytes are not read: the caller's decoding must refuse
   * what JSON forbids in a string, control characters (a base64 decoder accepts only its alphabet). Reading
   * them here cost more than decoding them (the payload is 11.6 MB at 100k scenarios). A string with an
   * escape is checked and built as any other; a value of another type there is built as usual.
   */
  spans?: ReadonlyArray<readonly string[]>;
}

/** Values counted over several parses (see StrictJsonOptions.counted). */
export interface ValueCount {
  values: number;
  /** What they make up, for the refusal: "more than N values in <of>". */
  readonly of: string;
}

/**
 * A string value left in the input: bytes [start, end) between its quotes, UTF-8. Without escapes, its bytes are
 * unread (see StrictJsonOptions.spans); with one, checked.
 */
export class StringSpan {
  constructor(
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    /** True when the string has an escape: then its bytes are not its value. */
    readonly escaped: boolean,
  ) {}

  /** The string's value, as the parse would have built it. */
  value(): string {
    const text = this.bytes.toString(
      "utf8",
      this.escaped ? this.start - 1 : this.start,
      this.end + (this.escaped ? 1 : 0),
    );
    return this.escaped ? (JSON.parse(text) as string) : text;
  }
}

/**
 * Far above what a real statement holds in one object: its largest is the decision's coverage matrix, a key
 * per requirement (200 in the 100k-scenario benchmark).
 */
export const DEFAULT_MAX_KEYS = 100_000;
/**
 * Ten times a real verdict built whole (its 100k-scenario evidence is ≈ 100k names; a million names of 25 bytes
 * fill the 32 MiB verdict limit), and a bound on what a hostile one makes the engine build: a value costs
 * ≈ a microsecond at worst (an object with a key of its own), where parsing a byte costs nanoseconds.
 */
export const DEFAULT_MAX_VALUES = 1_000_000;

/** Marks the end of a span path in a PathTree (the end of a skipped path is null). */
const SPAN = "span";

/** The paths of the options as a tree of keys: a key maps to its own subtree, or to what ends there. */
type PathTree = Map<string, PathTree | null | typeof SPAN>;

function addPaths(root: PathTree, paths: ReadonlyArray<readonly string[]>, end: null | typeof SPAN): PathTree {
  for (const path of paths) {
    let node = root;
    path.forEach((key, k) => {
      if (k === path.length - 1) return void node.set(key, end);
      const next = node.get(key);
      const sub: PathTree = next instanceof Map ? next : new Map();
      node.set(key, sub);
      node = sub;
    });
  }
  return root;
}

/** Characters a JSON string may hold as they are: anything but a quote, a backslash or a control character. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings: this is the rule itself
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
/** Plain strings each followed by a comma, at most 1024 at a time (a bound on the engine's backtracking stack). */
// eslint-disable-next-line no-control-regex -- as above
const PLAIN_ELEMENTS = /(?:"[^"\\\u0000-\u001f]*"[ \t\n\r]*,[ \t\n\r]*){0,1024}/y;
/** Bytes scanned one by one before a run goes by windows, and the windows' bounds (see skipRun). */
const MIN_WINDOW = 64;
const MAX_WINDOW = 64 * 1024;

/** With the u flag, a surrogate only matches alone (a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/** The JSON number grammar, matched whole against a run of number characters. */
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

/** Parses UTF-8 `bytes` as one JSON value; invalid UTF-8 is a StrictJsonError too. */
export function parseStrictJsonBytes(bytes: Buffer, opts: StrictJsonOptions = {}): unknown {
  if (!isUtf8(bytes)) throw new StrictJsonError("invalid UTF-8", 0);
  if (!opts.skip?.length && !opts.spans?.length && !opts.counted && bytes.length <= ENGINE_MAX_BYTES) {
    const v = byEngine(bytes, opts);
    if (v !== UNSURE) return v;
  }
  return parse(bytes, opts);
}

/**
 * Inputs up to this size go through the engine's JSON.parse first (byEngine). A hostile one the engine builds whole
 * and then refuses is built again by the byte parser: the bound keeps that to what a megabyte costs (a run.json of
 * 100k scenarios over 250 feature files is 0.45 MB).
 */
const ENGINE_MAX_BYTES = 1 << 20;
const UNSURE = Symbol("unsure");

interface Limits {
  maxDepth: number;
  maxKeys: number;
  maxValues: number;
}

/**
 * The engine's JSON.parse, believed only when what it built shows nothing the byte parser would refuse: every number
 * finite, depth, keys per object and values within the limits, and as many keys as the text has key separators (a
 * repeated key is built once: one key fewer). Anything else, and any text JSON.parse refuses, is UNSURE: the byte
 * parser decides, and names the fault. The engine builds a run.json's tens of thousands of tag names several times
 * faster than the byte loop, and the gate reads each run.json twice (bench/RESULTS.md).
 */
function byEngine(bytes: Buffer, opts: StrictJsonOptions): unknown {
  const limits = {
    maxDepth: opts.maxDepth ?? 64,
    maxKeys: opts.maxKeys ?? DEFAULT_MAX_KEYS,
    maxValues: opts.maxValues ?? DEFAULT_MAX_VALUES,
  };
  const separators = keySeparators(bytes, limits);
  if (separators === UNSURE || limits.maxValues < 1) return UNSURE;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return UNSURE;
  }
  const tally = { keys: 0, values: 1 };
  if (typeof value === "number" ? !Number.isFinite(value) : !withinLimits(value, 0, limits, tally)) return UNSURE;
  return separators === tally.keys ? value : UNSURE;
}

/**
 * The colons outside strings (in JSON, the key separators), from one pass over the bytes before anything is built;
 * UNSURE as soon as the nesting is deeper than the limit or the commas outside strings show more values than it
 * (n commas separate at least n + 1 values), so that a hostile text is not built by the engine first.
 */
function keySeparators(b: Buffer, limits: Limits): number | typeof UNSURE {
  let depth = 0;
  let colons = 0;
  let commas = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) {
      // To the closing quote (a backslash escapes the byte after it; in UTF-8 no multibyte sequence holds either).
      for (i++; i < b.length && b[i] !== 0x22; i++) if (b[i] === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) return UNSURE;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x3a) colons++;
    else if (c === 0x2c && ++commas >= limits.maxValues) return UNSURE;
  }
  return colons;
}

/** Whether the container `v` (at `depth`) and all it holds are within the limits, numbers finite; tallies them. */
function withinLimits(v: unknown, depth: number, limits: Limits, tally: { keys: number; values: number }): boolean {
  if (typeof v !== "object" || v === null) return true;
  if (depth >= limits.maxDepth) return false;
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else {
    items = Object.values(v);
    if (items.length > limits.maxKeys) return false;
    tally.keys += items.length;
  }
  tally.values += items.length;
  if (tally.values > limits.maxValues) return false;
  for (const item of items) {
    if (typeof item === "number") {
      if (!Number.isFinite(item)) return false;
    } else if (typeof item === "object" && !withinLimits(item, depth + 1, limits, tally)) return false;
  }
  return true;
}

/**
 * Parses `text` as one JSON value; throws StrictJsonError with an offset (into its UTF-8 bytes) on anything
 * not strictly JSON. A lone surrogate has no UTF-8 form, so it is refused too.
 */
export function parseStrictJson(text: string, opts: StrictJsonOptions = {}): unknown {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) {
    const at = Buffer.byteLength(text.slice(0, lone.index));
    throw new StrictJsonError(`lone surrogate at offset ${at}`, at);
  }
  return parse(Buffer.from(text, "utf8"), opts);
}

/** The characters after a backslash that make an escape, but for u (which takes four hex digits): "\/bfnrt. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A key as a refusal names it: quoted, and cut short when long (a hostile key may be megabytes). */
function keyName(key: string): string {
  return key.length <= 64 ? JSON.stringify(key) : `${JSON.stringify(key.slice(0, 60))}… (${key.length} characters)`;
}

/** Is c a character that may follow a number: no letter, digit, sign or dot glued to it is part of JSON. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/** The parser, over bytes already checked as UTF-8. */
function parse(b: Buffer, opts: StrictJsonOptions): unknown {
  const maxDepth = opts.maxDepth ?? 64;
  const maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
  const maxValues = opts.maxValues ?? DEFAULT_MAX_VALUES;
  const counted = opts.counted ?? { values: 0, of: "" };
  let i = 0;
  const n = b.length;

  const fail = (msg: string, at = i): never => {
    throw new StrictJsonError(`${msg} at offset ${at}`, at);
  };

  const ws = () => {
    while (i < n) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  /**
   * Past the run of `pattern` (a sticky regular expression) from i, matched against Latin-1 views of the bytes
   * (one character per byte) a window at a time: regular expressions only read strings, and a string of the
   * whole input is a copy as large as the input. A window is at most twice what the previous one matched
   * (`size` the first), so the copies stay linear in the input whatever it holds. A window may end inside a
   * match of a pattern longer than one character: callers of such patterns go on by the byte loop.
   */
  const skipRun = (pattern: RegExp, size: number) => {
    for (;;) {
      const end = Math.min(n, i + size);
      const window = b.toString("latin1", i, end);
      let at = 0;
      for (let from = -1; from !== at;) {
        from = at;
        pattern.lastIndex = at;
        pattern.test(window);
        at = pattern.lastIndex;
      }
      i += at;
      if (i < end || end === n) return;
      size = Math.min(MAX_WINDOW, 2 * at);
    }
  };

  /**
   * Past the string at i (at its opening quote), every rule checked but its escapes (checkEscapes or
   * escapedValue check those); true when it has an escape.
   */
  const scanString = (): boolean => {
    const start = i;
    i++;
    let escaped = false;
    for (let plain = 0; i < n;) {
      const c = b[i];
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        plain = 0;
        continue;
      }
      if (c < 0x20) fail("control character in string");
      i++;
      // A long run (a base64 payload) goes by windows; a name or a key is done before.
      if (++plain === MIN_WINDOW) skipRun(PLAIN_RUN, MIN_WINDOW);
    }
    if (i >= n) fail("unterminated string", start);
    i++; // closing quote
    return escaped;
  };

  /** The value of the escaped string literal [start, i): escapes are rare here, so the engine checks them. */
  const escapedValue = (start: number): string => {
    try {
      return JSON.parse(b.toString("utf8", start, i)) as string;
    } catch {
      return fail("invalid escape in string", start);
    }
  };

  /**
   * Checks the escapes of the string literal [start, i) as escapedValue would, without building it: a skipped
   * list of a million short escaped names would be a million calls of the engine's parser.
   */
  const checkEscapes = (start: number) => {
    for (let k = start + 1; k < i - 1; k++) {
      if (b[k] !== 0x5c) continue;
      const e = b[++k];
      if (e === 0x75 /* u */) {
        for (let h = 1; h <= 4; h++) if (!isHexDigit(b[k + h])) fail("invalid escape in string", start);
        k += 4;
      } else if (!SIMPLE_ESCAPES.has(e)) fail("invalid escape in string", start);
    }
  };

  /** The string at i, built. */
  const str = (): string => {
    const start = i;
    return scanString() ? escapedValue(start) : b.toString("utf8", start + 1, i - 1);
  };

  const literal = (word: string, v: boolean | null): boolean | null => {
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) fail("unexpected character");
    i += word.length;
    return v;
  };

  const num = (): number => {
    const start = i;
    while (i < n && isNumberChar(b[i])) i++;
    const m = NUMBER.exec(b.toString("latin1", start, i));
    if (!m) {
      i = start;
      return fail("unexpected character");
    }
    i = start + m[0].length;
    const v = Number(m[0]);
    if (!Number.isFinite(v)) fail("number out of range");
    return v;
  };

  /** One more value, at i. */
  const count = () => {
    if (++counted.values > maxValues) fail(`more than ${maxValues} values${counted.of && ` in ${counted.of}`}`);
  };

  /**
   * The value at i, or undefined when `build` is false: then nothing is built, and everything is checked.
   * `paths`: the skipped and spanned paths below this value, when it is an object on the way to one.
   */
  const value = (depth: number, build: boolean, paths?: PathTree): unknown => {
    ws();
    if (i >= n) fail("unexpected end of input");
    const c = b[i];
    if (build || c !== 0x22) count();
    if (c === 0x7b /* { */) return object(depth, build, paths);
    if (c === 0x5b /* [ */) return array(depth, build);
    if (c === 0x22) {
      if (build) return str();
      const start = i;
      if (scanString()) checkEscapes(start);
      return undefined;
    }
    if (c === 0x74) return literal("true", true);
    if (c === 0x66) return literal("false", false);
    if (c === 0x6e) return literal("null", null);
    return num();
  };

  const object = (depth: number, build: boolean, paths?: PathTree): Record<string, unknown> | undefined => {
    if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
    i++;
    const obj: Record<string, unknown> | undefined = build ? {} : undefined;
    // The keys seen that are not in obj: all of them when it is not built, else the skipped ones.
    let seen: Set<string> | undefined;
    ws();
    if (b[i] === 0x7d) {
      i++;
      return obj;
    }
    for (let keys = 1; ; keys++) {
      ws();
      if (b[i] !== 0x22) fail("expected a string key");
      const keyAt = i;
      if (keys > maxKeys) fail(`an object with more than ${maxKeys} keys`);
      const key = str();
      if ((obj !== undefined && Object.hasOwn(obj, key)) || seen?.has(key))
        fail(`duplicate key ${keyName(key)}`, keyAt);
      ws();
      if (b[i] !== 0x3a) fail("expected ':'");
      i++;
      const below = paths?.get(key);
      const kept = obj !== undefined && below !== null;
      if (!kept) (seen ??= new Set()).add(key);
      const v =
        below === SPAN && kept
          ? spanOrValue(depth + 1)
          : value(depth + 1, kept, below instanceof Map ? below : undefined);
      // A "__proto__" key is defined as a plain own property (assigned, it would change the prototype).
      if (kept && key === "__proto__")
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else if (kept) obj[key] = v;
      ws();
      const d = b[i];
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
  };

  const array = (depth: number, build: boolean): unknown[] | undefined => {
    if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
    i++;
    const arr: unknown[] | undefined = build ? [] : undefined;
    ws();
    if (b[i] === 0x5d) {
      i++;
      return arr;
    }
    for (let size = MIN_WINDOW; ;) {
      // An array not built (100k test names) is passed a window of plain strings at a time, then by the
      // byte loop one element (a string the window cut, one with an escape, or anything else). A window is
      // at most twice what the last one and its element passed: linear whatever the elements are.
      const from = i;
      // Only before a string: a number or a literal would copy a window for nothing.
      if (!build && b[i] === 0x22) skipRun(PLAIN_ELEMENTS, size);
      const v = value(depth + 1, build);
      if (arr) arr.push(v);
      size = Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, 2 * (i - from)));
      ws();
      const d = b[i];
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
  };

  /** A value at a span path: a string as its StringSpan, anything else built. */
  const spanOrValue = (depth: number): unknown => {
    ws();
    if (b[i] !== 0x22) return value(depth, true);
    count();
    // With no backslash before it, the next quote closes the string: its bytes are the caller's to check.
    const close = b.indexOf(0x22, i + 1);
    if (close > 0 && b.subarray(i + 1, close).indexOf(0x5c) < 0) {
      const span = new StringSpan(b, i + 1, close, false);
      i = close + 1;
      return span;
    }
    const start = i;
    const escaped = scanString();
    if (escaped) checkEscapes(start);
    return new StringSpan(b, start + 1, i - 1, escaped);
  };

  const paths =
    opts.skip || opts.spans ? addPaths(addPaths(new Map(), opts.skip ?? [], null), opts.spans ?? [], SPAN) : undefined;
  const result = value(0, true, paths);
  ws();
  if (i !== n) fail("unexpected data after the JSON value");
  return result;
}
