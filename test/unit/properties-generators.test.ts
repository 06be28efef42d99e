// Every generator of the property steps reaches the range its table declares: empty, full and in between.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import { parseRequestShape, type GeneratedRequest } from "../../src/properties/http-shapes";
import { parseTextShape } from "../../src/properties/text-input";
import { actionSequences, parseCounterPlan } from "../../src/properties/counter-model";
import { cutToBytes, lengthUpTo, sizedJoin } from "../../src/properties/sizes";

const SAMPLES = 1000;
const sample = <T>(arb: fc.Arbitrary<T>, n = SAMPLES): T[] => fc.sample(arb, { numRuns: n, seed: 42 });

function bodyBytes(r: GeneratedRequest): number | undefined {
  if (!r.body) return undefined;
  return r.body.text !== undefined ? Buffer.byteLength(r.body.text) : Buffer.from(r.body.base64 ?? "", "base64").length;
}

/** Sizes of the bodies a request table generates (bodies only: GET/HEAD and the optional none carry none). */
function bodySizes(body: string): number[] {
  const shape = parseRequestShape([
    ["method", "POST"],
    ["body", body],
  ]);
  return sample(shape.arbitrary)
    .map(bodyBytes)
    .filter((b): b is number => b !== undefined);
}

describe("request bodies reach their declared size", () => {
  for (const kind of ["text", "form body", "JSON", "bytes"]) {
    test(`any ${kind} up to 4 KB: never over, the largest near 4 KB, a tenth over 1 KB, the empty body too`, () => {
      const sizes = bodySizes(`any ${kind} up to 4 KB`);
      assert.ok(sizes.length > SAMPLES / 2, `only ${sizes.length} bodies`);
      const max = Math.max(...sizes);
      assert.ok(max <= 4096, `a body of ${max} bytes is over 4 KB`);
      assert.ok(max >= 4096 * 0.9, `the largest body is ${max} bytes`);
      const overOneKb = sizes.filter((s) => s > 1024).length;
      assert.ok(overOneKb >= sizes.length / 10, `${overOneKb} of ${sizes.length} bodies are over 1 KB`);
      assert.ok(Math.min(...sizes) <= 2, `the smallest body is ${Math.min(...sizes)} bytes`);
    });
  }

  test("JSON bodies stay JSON at every size", () => {
    const shape = parseRequestShape([
      ["method", "PUT"],
      ["body", "any JSON up to 2 KB"],
    ]);
    for (const r of sample(shape.arbitrary, 300)) if (r.body?.text) JSON.parse(r.body.text);
  });

  test("a 1 MB limit is reached without a million random draws per run", () => {
    const sizes = bodySizes("any bytes up to 1 MB");
    assert.ok(Math.max(...sizes) === 1024 * 1024, `the largest body is ${Math.max(...sizes)} bytes`);
  });
});

describe("typed text reaches its declared length", () => {
  test("any text up to 100 characters: 0 and 100 both drawn, a tenth over 50", () => {
    const lengths = sample(parseTextShape({ name: "text", value: "any text up to 100 characters", row: 1 })).map(
      (t) => [...t].length,
    );
    assert.equal(Math.max(...lengths), 100);
    assert.equal(Math.min(...lengths), 0);
    assert.ok(lengths.filter((l) => l > 50).length >= SAMPLES / 10);
  });

  test("of 5 to 8 characters stays within 5 to 8", () => {
    const lengths = sample(parseTextShape({ name: "text", value: "any letters of 5 to 8 characters", row: 1 })).map(
      (t) => [...t].length,
    );
    assert.deepEqual([...new Set(lengths)].sort(), [5, 6, 7, 8]);
  });
});

describe("model-based action sequences reach max actions", () => {
  test("up to 30 actions: sequences of 25 and more are drawn", () => {
    const plan = parseCounterPlan([
      ["actions", "visit, refresh"],
      ["max actions", "30"],
    ]);
    const lengths = sample(actionSequences(plan), 300).map((cmds) => [...cmds].length);
    assert.ok(Math.max(...lengths) >= 25, `the longest sequence has ${Math.max(...lengths)} actions`);
    assert.ok(Math.max(...lengths) <= 30);
  });
});

describe("size helpers", () => {
  test("lengthUpTo favours the bounds and the typical limits inside the range", () => {
    const lengths = sample(lengthUpTo(0, 5000));
    for (const l of [0, 5000, 1024, 4096]) assert.ok(lengths.includes(l), `${l} never drawn`);
    assert.ok(lengths.every((l) => l >= 0 && l <= 5000));
  });

  test("sizedJoin keeps whole pieces and stays within the maximum", () => {
    for (const s of sample(sizedJoin(fc.constantFrom("ab", "cde"), "&", 100), 200)) {
      assert.ok(Buffer.byteLength(s) <= 100);
      if (s)
        assert.ok(
          s.split("&").every((p) => p === "ab" || p === "cde"),
          s,
        );
    }
  });

  test("cutToBytes never splits a character", () => {
    assert.equal(cutToBytes("aé", 2), "a");
    assert.equal(cutToBytes("aé", 3), "aé");
    assert.equal(cutToBytes("中中", 4), "中");
  });
});
