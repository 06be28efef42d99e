// src/core/tags.ts: the tag vocabulary every area reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_REQUIREMENT_TAG_PREFIX,
  isNarrowingTag,
  PROPERTY_SETTING_TAG,
  requirementIds,
  RUNS_ALONE_TAGS,
  targetTag,
} from "../../src/core/tags";

test("requirement ids: the prefix, once each, in order; a bare prefix is none", () => {
  assert.equal(DEFAULT_REQUIREMENT_TAG_PREFIX, "REQ-");
  assert.deepEqual(requirementIds(["@REQ-2", "@slow", "@REQ-1", "@REQ-2", "@REQ-", "@req-3"], "REQ-"), [
    "REQ-2",
    "REQ-1",
  ]);
  assert.deepEqual(requirementIds(["@STORY-9", "@REQ-1"], "STORY-"), ["STORY-9"]);
});

test("narrowing tags keep a scenario off some targets; others do not", () => {
  for (const t of ["@mobile-only", "@desktop-only", "@playwright-only", "@selenium-only", targetTag("pw-desktop")])
    assert.ok(isNarrowingTag(t), t);
  for (const t of ["@REQ-1", "@serial", "@mobile", "@target"]) assert.ok(!isNarrowingTag(t), t);
});

test("property and serial scenarios run alone; property settings tags are recognised", () => {
  assert.deepEqual([...RUNS_ALONE_TAGS].sort(), ["@property", "@serial"]);
  assert.deepEqual(PROPERTY_SETTING_TAG.exec("@runs:200")?.slice(1), ["runs", "200"]);
  assert.deepEqual(PROPERTY_SETTING_TAG.exec("@Time-Budget:10s")?.slice(1), ["Time-Budget", "10s"]);
  assert.equal(PROPERTY_SETTING_TAG.exec("@runsfast"), null);
});
