// previousVerdictName: an earlier verdict's name from when it was written, never one already taken.
import { test } from "node:test";
import assert from "node:assert/strict";
import { previousVerdictName } from "../../src/core/reports-dir";

test("named by its write time (no colons: a valid file name everywhere); a taken name gets -2, -3…", () => {
  const at = new Date("2026-12-02T18:31:05.123Z");
  assert.equal(
    previousVerdictName(at, () => false),
    "verdict.intoto.jsonl.2026-12-02T18-31-05Z",
  );
  const taken = new Set(["verdict.intoto.jsonl.2026-12-02T18-31-05Z", "verdict.intoto.jsonl.2026-12-02T18-31-05Z-2"]);
  assert.equal(
    previousVerdictName(at, (n) => taken.has(n)),
    "verdict.intoto.jsonl.2026-12-02T18-31-05Z-3",
  );
});
