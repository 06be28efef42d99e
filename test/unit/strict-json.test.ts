// The byte parser of src/core/strict-json.ts against the string parser it replaced (the oracle): same values, same errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  DEFAULT_MAX_KEYS,
  DEFAULT_MAX_VALUES,
  parseStrictJson,
  parseStrictJsonBytes,
  StringSpan,
  type StrictJsonOptions,
  type ValueCount,
} from "../../src/core/strict-json";
import { decodePayload } from "../../src/attest/verdict-file";
import { parseStrictJsonBytes as referenceParse } from "./strict-json-reference";

/** What a parse gives: its value, or its error's name and message (the message names the offset). */
function outcome(f: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** `v` with every StringSpan replaced by its value: what a parse without spans builds. */
function spansRead(v: unknown): unknown {
  if (v instanceof StringSpan) return v.value();
  if (Array.isArray(v)) return v.map(spansRead);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, spansRead(x)]));
}

const KEYS = ["names", "payload", "a", "é", "__proto__"];
const PATHS = [["names"], ["a", "names"], ["payload"], ["a", "payload"]];

/** Strings as they come: short, long (past the parser's windows), non-ASCII, with escapes. */
const stringValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "binary", minLength: 60, maxLength: 400 }),
  fc.base64String({ minLength: 50, maxLength: 3000 }),
  fc.constantFrom("›", "a\nb", '"', "\\", "\u0000", "\u001f\u007f", "\ud83d\ude00"),
);

/** Documents as text: objects are built as text so that they can repeat a key. */
const doc: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: "small" },
    stringValue.map((s) => JSON.stringify(s)),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((x) => JSON.stringify(x)),
    fc.constantFrom("true", "false", "null", "-0", "1e5", "1E-5", "0.5e+3"),
    fc.array(tie("value"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
    // A list of names as the evidence has, long enough to cross the windows that skip it.
    fc
      .array(
        stringValue.map((s) => JSON.stringify(s)),
        { minLength: 20, maxLength: 200 },
      )
      .map((xs) => `[${xs.join(",")}]`),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie("value"), fc.constantFrom("", " ", "\n\t")), { maxLength: 4 })
      .map((kv) => `{${kv.map(([k, x, w]) => `${w}${JSON.stringify(k)}${w}:${w}${x}${w}`).join(",")}}`),
  ),
})).value;

/** Damage: the ways a document can be one step from valid, as bytes (invalid UTF-8 included). */
const DAMAGE = [
  '"',
  "\\",
  "\\x",
  "\\u00",
  "\\ud800",
  "\\udc00",
  "\\'",
  ",",
  " ,",
  ",]",
  ",}",
  "}",
  "]",
  "[",
  "{",
  ":",
  "x",
  "é",
  "›",
  "-",
  "01",
  "1.",
  ".5",
  "1e",
  "1e+",
  "1e999",
  "-1e999",
  "Infinity",
  "NaN",
  "tru",
  "nul",
  "fals",
  "True",
  "\u00a0",
  "\u000b",
  "\u000c",
  "\t",
  "\r",
  "\n",
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\ufeff",
  '{"a":1,"a":2}',
  '"a":1',
].map((s) => Buffer.from(s, "utf8"));
const RAW = [[0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x80], [0xf4, 0x90, 0x80, 0x80]].map((b) =>
  Buffer.from(b),
);
const damage = fc.record({
  at: fc.nat(),
  how: fc.constantFrom("replace", "insert", "delete", "truncate"),
  what: fc.constantFrom(...DAMAGE, ...RAW),
});

function damaged(text: string, ds: { at: number; how: string; what: Buffer }[]): Buffer {
  let b = Buffer.from(text, "utf8");
  for (const { at, how, what } of ds) {
    const i = at % (b.length + 1);
    if (how === "replace") b = Buffer.concat([b.subarray(0, i), what, b.subarray(i + what.length)]);
    else if (how === "insert") b = Buffer.concat([b.subarray(0, i), what, b.subarray(i)]);
    else if (how === "delete") b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    else b = b.subarray(0, i);
  }
  return b;
}

const input = fc.oneof(
  doc.map((t) => Buffer.from(t, "utf8")),
  fc.tuple(doc, fc.array(damage, { minLength: 1, maxLength: 3 })).map(([t, ds]) => damaged(t, ds)),
  // Nesting around the limit, closed or not, with a trailing byte.
  fc
    .tuple(fc.integer({ min: 1, max: 70 }), fc.constantFrom("[]", "{}"), fc.boolean(), fc.constantFrom("", " ", "x"))
    .map(([d, p, closed, tail]) =>
      Buffer.from(
        (p === "[]" ? "[".repeat(d) : '{"a":'.repeat(d)) +
          (closed
            ? (p === "[]" ? "]" : "1" + "}").repeat(p === "[]" ? d : 1) + (p === "{}" ? "}".repeat(d - 1) : "")
            : "") +
          tail,
        "utf8",
      ),
    ),
);

const options = fc.record(
  {
    maxDepth: fc.integer({ min: 1, max: 70 }),
    maxKeys: fc.integer({ min: 0, max: 5 }),
    maxValues: fc.integer({ min: 0, max: 60 }),
    skip: fc.subarray(PATHS),
  },
  { requiredKeys: [] },
);

test("the byte parser gives what the string parser it replaced gives, value or error, on generated and damaged documents (fast-check)", () => {
  fc.assert(
    fc.property(input, options, (bytes, opts: StrictJsonOptions) => {
      assert.deepEqual(
        outcome(() => parseStrictJsonBytes(bytes, opts)),
        outcome(() => referenceParse(bytes, opts)),
        bytes.toString("latin1"),
      );
    }),
    { numRuns: 4000 },
  );
});

/** The offset a refusal names. */
function offsetOf(o: { error: string } | { value: unknown }): number {
  return Number(/at offset (\d+)/.exec("error" in o ? o.error : "")?.[1] ?? NaN);
}

/** Whether some span of `v` holds a control character (its bytes are left to the caller's decoding). */
function spanHasControl(v: unknown): boolean {
  if (v instanceof StringSpan) return !v.escaped && v.bytes.subarray(v.start, v.end).some((c) => c < 0x20);
  if (typeof v !== "object" || v === null) return false;
  return Object.values(v).some(spanHasControl);
}

test("a string at a span path reads as the value the parse would build; only its control characters are left unread (fast-check)", () => {
  fc.assert(
    fc.property(input, fc.subarray(PATHS), (bytes, spans) => {
      const plain = outcome(() => parseStrictJsonBytes(bytes));
      const spanned = outcome(() => parseStrictJsonBytes(bytes, { spans }));
      if ("value" in spanned && "error" in plain) {
        assert.match(plain.error, /control character in string/);
        assert.ok(spanHasControl(spanned.value), "refused only for a control character inside a span");
      } else if ("value" in spanned) assert.deepEqual({ value: spansRead(spanned.value) }, plain);
      else if (!/control character in string/.test("error" in plain ? plain.error : ""))
        assert.deepEqual(spanned, plain);
      // Both refused, the plain parse at a control character a span may have left unread: the spanned parse
      // can only have gone further before it found its own problem.
      else assert.ok(offsetOf(spanned) >= offsetOf(plain), `${spanned.error} / ${"error" in plain && plain.error}`);
    }),
    { numRuns: 3000 },
  );
});

test("a span is the string's place in the input; an escaped one says so and still reads as its value", () => {
  const bytes = Buffer.from('{"payload":"QUJD","a":{"payload":"\\u0041B"},"b":"x"}', "utf8");
  const v = parseStrictJsonBytes(bytes, { spans: [["payload"], ["a", "payload"], ["b", "c"]] }) as Record<
    string,
    unknown
  >;
  const top = v.payload as StringSpan;
  assert.ok(top instanceof StringSpan);
  assert.equal(bytes.toString("utf8", top.start, top.end), "QUJD");
  assert.equal(top.escaped, false);
  const inner = (v.a as Record<string, unknown>).payload as StringSpan;
  assert.equal(inner.escaped, true);
  assert.equal(inner.value(), "AB");
  assert.equal(v.b, "x", "a span path through a string leaves the string built");
  assert.deepEqual(parseStrictJsonBytes(Buffer.from('{"payload":[1]}'), { spans: [["payload"]] }), { payload: [1] });
  assert.throws(
    () => parseStrictJsonBytes(Buffer.from('{"payload":"\\x"}'), { spans: [["payload"]] }),
    /invalid escape in string at offset 11/,
  );
});

test("long runs are checked to their last byte: any control byte at any place of a 200 KB string or list is found", () => {
  const long = "A".repeat(200_000);
  const names = JSON.stringify(Array.from({ length: 3000 }, (_, k) => `pw-desktop › f.feature › scenario ${k}`));
  const same = (s: Buffer, opts: StrictJsonOptions, what: string, refused = true) => {
    const want = outcome(() => referenceParse(s, opts));
    if (refused) assert.ok("error" in want, what);
    assert.deepEqual(
      outcome(() => parseStrictJsonBytes(s, opts)),
      want,
      what,
    );
  };
  for (let c = 0; c < 0x20; c++)
    for (const at of [0, 63, 64, 65, 4095, 65_536, 131_071, 199_999]) {
      const s = Buffer.from(`{"payload":"${long}"}`, "utf8");
      s[12 + at] = c;
      same(s, {}, `byte ${c} at ${at} of a long string`);
      // At a span path the bytes are the decoder's to read: base64 refuses the control character.
      const span = (parseStrictJsonBytes(s, { spans: [["payload"]] }) as { payload: StringSpan }).payload;
      assert.equal(decodePayload(span), undefined, `byte ${c} at ${at} of a long payload`);
    }
  for (const c of [...Array.from({ length: 0x20 }, (_, k) => k), 0x22, 0x5c])
    for (const at of [100, 70_000, names.length - 10]) {
      const s = Buffer.from(`{"names":${names}}`, "utf8");
      s[9 + at] = c;
      same(s, { skip: [["names"]] }, `byte ${c} at ${at} of a long list`, c < 0x20);
    }
});

test("text is parsed as its UTF-8 bytes: ASCII offsets unchanged, a lone surrogate refused with its byte offset", () => {
  assert.throws(() => parseStrictJson('{"a":1,"a":2}'), /duplicate key "a" at offset 7/);
  assert.deepEqual(parseStrictJson('{"é":"›"}'), { é: "›" });
  assert.throws(() => parseStrictJson('"é\ud800"'), { name: "StrictJsonError", message: "lone surrogate at offset 3" });
  assert.throws(() => parseStrictJson("\udc00"), { name: "StrictJsonError" });
  assert.deepEqual(parseStrictJson('"\\ud800"'), "\ud800", "an escaped lone surrogate is JSON, as JSON.parse reads it");
});

test("an escape in a string not built (skipped or spanned) is refused or accepted exactly as in one built", () => {
  const escapes = [
    ...['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\uD800", "\\udc00", "\\uabcd", "\\uABCD"],
    ...[
      "\\x",
      "\\'",
      "\\a",
      "\\0",
      "\\ ",
      "\\U0041",
      "\\u",
      "\\u0",
      "\\u00",
      "\\u004",
      "\\u00g0",
      "\\u-001",
      "\\u 041",
    ],
  ];
  for (const esc of escapes)
    for (const [before, after] of [
      ["", ""],
      ["a", "b"],
      ["", "0123"],
    ]) {
      const s = `${before}${esc}${after}`;
      const skipped = Buffer.from(`{"names":["x","${s}"],"payload":1}`, "utf8");
      const built = outcome(() => referenceParse(skipped));
      assert.deepEqual(
        outcome(() => parseStrictJsonBytes(skipped, { skip: [["names"]] })),
        outcome(() => referenceParse(skipped, { skip: [["names"]] })),
        s,
      );
      assert.equal("error" in outcome(() => parseStrictJsonBytes(skipped, { skip: [["names"]] })), "error" in built, s);
      const spanned = Buffer.from(`{"payload":"${s}"}`, "utf8");
      const plain = outcome(() => parseStrictJsonBytes(spanned));
      const span = outcome(() => parseStrictJsonBytes(spanned, { spans: [["payload"]] }));
      if ("error" in plain) assert.deepEqual(span, plain, s);
      else assert.deepEqual({ value: spansRead((span as { value: unknown }).value) }, plain, s);
    }
});

/** `count` copies of `item` joined by commas (a hostile list's body). */
const times = (item: string, count: number) => Array.from({ length: count }, () => item).join(",");
/** The offset at which the parse of `bytes` fails with `message`, or a failure naming what it gave. */
function refusedAt(bytes: Buffer, message: string, opts: StrictJsonOptions = {}): number {
  const got = outcome(() => parseStrictJsonBytes(bytes, opts));
  assert.ok("error" in got, `${message}: parsed`);
  const head = `StrictJsonError: ${message} at offset `;
  assert.ok(got.error.startsWith(head) && /^\d+$/.test(got.error.slice(head.length)), `${message}: ${got.error}`);
  return Number(got.error.slice(head.length));
}

test("an object with more keys than the cap is refused at the first key past it, built or skipped", () => {
  const keys = (count: number) => Array.from({ length: count }, (_, k) => `"k${k}":0`).join(",");
  assert.equal(
    Object.keys(parseStrictJsonBytes(Buffer.from(`{${keys(DEFAULT_MAX_KEYS)}}`)) as object).length,
    DEFAULT_MAX_KEYS,
  );
  const over = `{${keys(DEFAULT_MAX_KEYS + 1)}}`;
  const at = over.lastIndexOf(`"k${DEFAULT_MAX_KEYS}"`);
  assert.equal(refusedAt(Buffer.from(over), `an object with more than ${DEFAULT_MAX_KEYS} keys`), at);
  const skipped = Buffer.from(`{"names":[${over}]}`);
  assert.equal(refusedAt(skipped, `an object with more than ${DEFAULT_MAX_KEYS} keys`, { skip: [["names"]] }), at + 10);
  assert.equal(refusedAt(Buffer.from('{"a":{"b":1,"c":2}}'), "an object with more than 1 keys", { maxKeys: 1 }), 12);
});

test("more values than the cap are refused, whatever their shape; a skipped string is not one", () => {
  const cap = DEFAULT_MAX_VALUES;
  for (const item of ["[]", "{}", "0", "true", '""', '"ab"', '{"k":0}', "[[]]"]) {
    const perItem = item === '{"k":0}' || item === "[[]]" ? 2 : 1;
    const count = Math.ceil(cap / perItem) + 1;
    const text = `[${times(item, count)}]`;
    const at = refusedAt(Buffer.from(text), `more than ${cap} values`);
    // The value past the cap: the top array is the first value, item k (from 0) holds values 2 + k·perItem…
    const k = Math.floor((cap - 1) / perItem);
    const inner = (cap - 1) % perItem;
    assert.equal(
      at,
      1 + k * (item.length + 1) + (inner === 0 ? 0 : item.indexOf(item[0] === "{" ? "0" : "[", 1)),
      item,
    );
  }
  assert.deepEqual(parseStrictJsonBytes(Buffer.from(`[${times("0", cap - 1)}]`)), new Array(cap - 1).fill(0));
  // A list of names skipped (verify's evidence) is checked, not counted, however long; escapes included.
  for (const name of ['"a"', '"a\\nb"', '"\\u00e9"']) {
    const names = Buffer.from(`{"names":[${times(name, cap + 10)}],"n":1}`);
    assert.deepEqual(parseStrictJsonBytes(names, { skip: [["names"]] }), { n: 1 }, name);
  }
  assert.equal(
    refusedAt(Buffer.from(`{"names":[${times('"a\\n"', 1000)},"\\x"]}`), "invalid escape in string", {
      skip: [["names"]],
    }),
    10 + 1000 * 6,
  );
});

test("a count shared by several parses (a verdict's lines) caps their sum and names what it counts", () => {
  const counted: ValueCount = { values: 0, of: "the verdict" };
  const line = Buffer.from(`[${times("[]", 59)}]`);
  assert.equal((parseStrictJsonBytes(line, { maxValues: 100, counted }) as unknown[]).length, 59);
  assert.equal(counted.values, 60);
  assert.equal(refusedAt(line, "more than 100 values in the verdict", { maxValues: 100, counted }), 1 + 39 * 3);
});

test("the other hostile shapes of a 32 MiB line: deep nesting, a long key twice, a long escaped string", () => {
  const deep = Buffer.from("[".repeat(16 << 20) + "]".repeat(16 << 20));
  assert.equal(refusedAt(deep, "nesting deeper than 32", { maxDepth: 32 }), 32);
  const key = "k".repeat(8 << 20);
  const twice = Buffer.from(`{"${key}":0,"${key}":1}`);
  assert.equal(refusedAt(twice, `duplicate key "${"k".repeat(60)}"… (${key.length} characters)`), key.length + 6);
  const escaped = "\\n".repeat(8 << 20);
  const v = parseStrictJsonBytes(Buffer.from(`{"payload":"${escaped}"}`), { spans: [["payload"]] }) as {
    payload: StringSpan;
  };
  assert.equal(v.payload.escaped, true);
  assert.equal(v.payload.value(), "\n".repeat(8 << 20));
});

test("what the engine's JSON.parse would take but the strict parse refuses is refused as the byte parser refuses it", () => {
  const cases = [
    '{"a":1,"a":2}',
    '{"a":1,"\\u0061":2}', // the same key, once escaped
    '{"k":"x:y","k":"z"}', // the first value, dropped by the engine, held a colon
    '{"a:b":1,"a:b":{"c":"d:e"}}',
    '{"__proto__":1,"__proto__":2}',
    '{"t":"2025-01-01T00:00:00Z","u":"http://x:1/","n":[1e400]}',
    "[-1e309]",
    "1e999",
    '"\\u003a"',
    "[".repeat(65) + "]".repeat(65),
    '{"a":[' + '"x",'.repeat(2000) + '"x"]}',
  ];
  for (const text of cases)
    for (const opts of [{}, { maxValues: 1000 }, { maxKeys: 1 }, { maxDepth: 2 }] as StrictJsonOptions[]) {
      const bytes = Buffer.from(text, "utf8");
      assert.deepEqual(
        outcome(() => parseStrictJsonBytes(bytes, opts)),
        outcome(() => referenceParse(bytes, opts)),
        `${text.slice(0, 80)} ${JSON.stringify(opts)}`,
      );
    }
  // And what it takes: colons in keys and values, an own __proto__, with and without escapes.
  const ok = '{"http://a:1":"b:c","__proto__":{"x":"\\"y:z\\""},"n":[1,-0,2.5e3],"e":"\\u00e9:"}';
  assert.deepEqual(parseStrictJsonBytes(Buffer.from(ok)), referenceParse(Buffer.from(ok), {}));
  assert.ok(Object.hasOwn(parseStrictJsonBytes(Buffer.from(ok)) as object, "__proto__"));
});

test("a text nested deeper than allowed, or with more commas than values allowed, is never built by the engine first", () => {
  const parse = JSON.parse;
  let built = 0;
  JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
    built++;
    return parse(text, reviver);
  }) as typeof JSON.parse;
  try {
    for (const [text, opts] of [
      ["[".repeat(100_000) + "]".repeat(100_000), {}],
      ['{"a":'.repeat(65) + "1" + "}".repeat(65), {}],
      ["[" + "0,".repeat(50) + "0]", { maxValues: 50 }],
    ] as Array<[string, StrictJsonOptions]>) {
      built = 0;
      assert.throws(() => parseStrictJsonBytes(Buffer.from(text), opts), /nesting deeper than|more than \d+ values/);
      assert.equal(built, 0, text.slice(0, 40));
    }
    // A text within the limits is (the point of the path), and gives what the byte parser gives.
    assert.deepEqual(parseStrictJsonBytes(Buffer.from('{"a":[1,"b:c"]}')), { a: [1, "b:c"] });
    assert.equal(built, 1);
  } finally {
    JSON.parse = parse;
  }
});
