// The artifact reference (src/attest/artifact.ts): NAME@sha256:HEX parsed strictly, digests normalised.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatArtifactRef, isSha256Hex, parseArtifactRef, sha256FromDigest } from "../../src/attest/artifact";

const HEX = "ab".repeat(32);

test("NAME@sha256:HEX parses (the last @ splits, the hex is lowercased) and formats back", () => {
  const ref = parseArtifactRef(`registry.example:5000/team/app@sha256:${HEX.toUpperCase()}`);
  assert.deepEqual(ref, { name: "registry.example:5000/team/app", sha256: HEX });
  assert.equal(
    formatArtifactRef(ref as { name: string; sha256: string }),
    `registry.example:5000/team/app@sha256:${HEX}`,
  );
  assert.deepEqual(parseArtifactRef(`me@host/app@sha256:${HEX}`), { name: "me@host/app", sha256: HEX });
});

test("anything else is an error string naming the input and what was expected", () => {
  const cases: Array<[string, RegExp]> = [
    [`sha256:${HEX}`, /expected NAME@sha256:HEX/],
    [`@sha256:${HEX}`, /expected NAME@sha256:HEX/],
    [`app@sha512:${HEX}`, /the digest must be sha256:<64 hex digits>/],
    [`app@${HEX}`, /the digest must be sha256/],
    [`app@sha256:${HEX.slice(1)}`, /64 hex digits/],
    [`app@sha256:${HEX}0`, /64 hex digits/],
    [`app@sha256:${"g".repeat(64)}`, /64 hex digits/],
    [`my app@sha256:${HEX}`, /the name must not contain whitespace/],
    [`app\n@sha256:${HEX}`, /the name must not contain whitespace/],
  ];
  for (const [text, why] of cases) {
    const r = parseArtifactRef(text);
    assert.equal(typeof r, "string", `${JSON.stringify(text)} must not parse`);
    assert.match(r as string, why, text);
    assert.ok((r as string).startsWith(`"${text}": `), r as string);
  }
});

test("sha256FromDigest reads a run manifest's sha256:HEX (any case, trimmed) and nothing else", () => {
  assert.equal(sha256FromDigest(`sha256:${HEX.toUpperCase()}`), HEX);
  assert.equal(sha256FromDigest(` sha256:${HEX}\n`), HEX);
  for (const bad of [undefined, null, "", HEX, `sha512:${HEX}`, `sha256:${HEX}00`, `sha256:${HEX.slice(2)}`])
    assert.equal(sha256FromDigest(bad), undefined, String(bad));
});

test("isSha256Hex accepts 64 lowercase hex digits only", () => {
  assert.equal(isSha256Hex(HEX), true);
  for (const bad of [HEX.toUpperCase(), HEX.slice(1), `${HEX}a`, 42, undefined, `sha256:${HEX}`])
    assert.equal(isSha256Hex(bad), false, String(bad));
});
