// The feature tags a run records by content digest: one list per file, several runs' records merged, hostile records dropped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { featureTagsRecord, mergedFeatureTags, recordOf } from "../../src/core/feature-tags";

const [h1, h2, h3] = ["1", "2", "3"].map((c) => c.repeat(64));

test("a run's record: each file's distinct tags in source order, by its digest", () => {
  assert.deepEqual(
    featureTagsRecord([
      { sha256: h1, tags: ["@REQ-1", "@smoke", "@REQ-1"] },
      { sha256: h2, tags: new Set(["@mobile-only"]) },
      { sha256: h3, tags: [] },
    ]),
    { [h1]: ["@REQ-1", "@smoke"], [h2]: ["@mobile-only"], [h3]: [] },
  );
});

test("records merged: shared digests agree or are left out; none at all is no record", () => {
  const merged = mergedFeatureTags([
    { [h1]: ["@A"], [h2]: ["@B"] },
    undefined,
    { [h1]: ["@A"], [h2]: ["@B", "@C"] },
    { [h2]: ["@B"], [h3]: [] },
  ]);
  assert.deepEqual(
    [...merged],
    [
      [h1, ["@A"]],
      [h3, []],
    ],
  );
  assert.deepEqual(recordOf(merged), { [h1]: ["@A"], [h3]: [] });
  assert.equal(recordOf(mergedFeatureTags([undefined, {}])), undefined);
});

test("hostile records: an entry that is not a digest with a list of tag names is dropped, a record that is not an object gives none", () => {
  const good = { [h1]: ["@REQ-1"] };
  for (const record of [null, "x", 7, [h1], [[h1, ["@REQ-1"]]]]) assert.equal(mergedFeatureTags([record]).size, 0);
  const merged = mergedFeatureTags([
    {
      ...good,
      [h2.toUpperCase()]: ["@A"], // digests are lower-case hex, as the run writes them
      [`${h3}0`]: ["@A"],
      ["g".repeat(64)]: ["@A"],
      [h2]: "@A",
      [h3]: ["@A", 7],
      ["4".repeat(64)]: ["REQ-1"], // a tag name starts with @
      ["5".repeat(64)]: { 0: "@A", length: 1 },
      __proto__: { [h2]: ["@inherited"] },
    },
  ]);
  assert.deepEqual([...merged], [[h1, ["@REQ-1"]]]);
});
