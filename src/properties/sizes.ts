// Sizes that reach the whole range a property step declares ("up to 4 KB"): fast-check's default size bias keeps lengths near 10.
import * as fc from "fast-check";

/** Limits servers and frameworks commonly enforce; a value at, just under and just over one finds off-by-ones. */
const TYPICAL_LIMITS = [255, 256, 1000, 1024, 2048, 4096, 8192, 16_384, 65_535, 65_536, 100_000, 1_048_576];

/**
 * A length from min to max: the empty (min) and full (max) lengths and the typical limits inside the range
 * (±1) are favoured, the rest is uniform over the range and over its small end, so most samples of
 * "up to 4 KB" are kilobytes long, not the dozen bytes fast-check's default size gives.
 */
export function lengthUpTo(min: number, max: number): fc.Arbitrary<number> {
  const limits = [...new Set(TYPICAL_LIMITS.flatMap((l) => [l - 1, l, l + 1]))].filter((l) => l > min && l < max);
  const parts: Array<fc.WeightedArbitrary<number>> = [
    { weight: 1, arbitrary: fc.constant(min) },
    { weight: 1, arbitrary: fc.constant(max) },
    { weight: 4, arbitrary: fc.integer({ min, max }) },
    { weight: 2, arbitrary: fc.integer({ min, max: Math.min(max, min + 64) }) },
  ];
  if (limits.length > 0) parts.push({ weight: 1, arbitrary: fc.constantFrom(...limits) });
  return fc.oneof(...parts);
}

/** How many units are generated at random before the rest of a long value repeats them (bounded cost per run). */
export const RANDOM_HEAD = 256;

/** Up to RANDOM_HEAD random units, at least one when any fit. */
function head<T>(unit: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  return fc.array(unit, {
    minLength: Math.min(1, max),
    maxLength: Math.max(1, Math.min(max, RANDOM_HEAD)),
    size: "max",
  });
}

/**
 * A string of min to max units (each unit one generated string, e.g. a character): up to RANDOM_HEAD
 * random units, repeated to the chosen length. A maximum of 4 MB would otherwise mean millions of random
 * draws per run; what probes a server's limits is the length, and the character mix is all in the head.
 * Shrinks both the length and the head.
 */
export function sizedString(unit: fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string> {
  return fc.tuple(lengthUpTo(min, max), head(unit, max)).map(([length, units]) => {
    if (units.length === 0) return "";
    return units.join("").repeat(Math.floor(length / units.length)) + units.slice(0, length % units.length).join("");
  });
}

/** Bytes of a length from 0 to max, as sizedString: a random head repeated. */
export function sizedBytes(max: number): fc.Arbitrary<Buffer> {
  return fc
    .tuple(lengthUpTo(0, max), head(fc.integer({ min: 0, max: 255 }), max))
    .map(([length, bytes]) => Buffer.alloc(length, Buffer.from(bytes)));
}

/**
 * Text of up to `max` UTF-8 bytes made of whole generated pieces joined by `sep`, its target length drawn
 * by lengthUpTo: pieces are cycled while the next one still fits, so the text stays well-formed (a form
 * body or a JSON array) and ends within one piece of the target.
 */
export function sizedJoin(piece: fc.Arbitrary<string>, sep: string, max: number): fc.Arbitrary<string> {
  const head = fc.array(piece, { minLength: 1, maxLength: 32, size: "max" });
  return fc.tuple(lengthUpTo(0, max), head).map(([target, pieces]) => joinUpTo(pieces, sep, target));
}

function joinUpTo(pieces: string[], sep: string, target: number): string {
  const sizes = pieces.map((p) => Buffer.byteLength(p));
  const sepBytes = Buffer.byteLength(sep);
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0, misses = 0; misses < pieces.length; i = (i + 1) % pieces.length) {
    const add = sizes[i] + (out.length > 0 ? sepBytes : 0);
    if (bytes + add > target || (sizes[i] === 0 && sepBytes === 0)) {
      misses++;
      continue;
    }
    misses = 0;
    out.push(pieces[i]);
    bytes += add;
  }
  return out.join(sep);
}

/** Cuts a string to at most maxBytes of UTF-8 without splitting a character. */
export function cutToBytes(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, "utf8");
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}
