// One copy of each repeated string and tag list per load: shared values are the same, and a shared list cannot be changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SharedStrings } from "../../src/results/shared-strings";

// Which copy of a string comes back is not observable from JavaScript (the bench measures it): only the value is.
test("a string comes back with its value; anything but a string passes through unchanged", () => {
  const t = new SharedStrings();
  const first = ["features/a.feature", "one"].join(" › ");
  assert.equal(t.string(first), "features/a.feature › one");
  assert.equal(t.string(["features/a.feature", "one"].join(" › ")), "features/a.feature › one");
  assert.equal(t.string(7), 7);
  assert.equal(t.string(null), null);
  assert.equal(t.string(undefined), undefined);
  const obj = { x: 1 };
  assert.equal(t.string(obj), obj);
});

test("tag lists: one frozen list and its requirement ids per distinct list and prefix", () => {
  const t = new SharedStrings();
  const a = t.tags(["@REQ-1", "@smoke"], "REQ-");
  assert.deepEqual(a, { tags: ["@REQ-1", "@smoke"], requirements: ["REQ-1"] });
  assert.equal(t.tags(["@REQ-1", "@smoke"], "REQ-"), a);
  assert.ok(Object.isFrozen(a.tags) && Object.isFrozen(a.requirements));
  assert.throws(() => a.tags.push("@x"), TypeError);
  // Another prefix, another order, or two tags that would join into one: each its own lists.
  assert.deepEqual(t.tags(["@REQ-1", "@smoke"], "smo").requirements, ["smoke"]);
  assert.notEqual(t.tags(["@smoke", "@REQ-1"], "REQ-"), a);
  assert.deepEqual(t.tags(["@a", "@b"], "REQ-").tags, ["@a", "@b"]);
  assert.deepEqual(t.tags(["@a\n@b"], "REQ-").tags, ["@a\n@b"]);
  assert.deepEqual(t.tags(['@a","@b'], "REQ-").tags, ['@a","@b']);
});
