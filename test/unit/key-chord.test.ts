// src/browser/key-chord: a capital letter pressed as a user's keyboard sends it, the same words for both drivers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chordAsTyped } from "../../src/browser/key-chord";

test("a capital letter alone is Shift and the letter; in a chord of Control, Alt or Meta, the small letter", () => {
  assert.equal(chordAsTyped("A"), "Shift+A");
  assert.equal(chordAsTyped("Control+A"), "Control+a");
  assert.equal(chordAsTyped("ControlOrMeta+Alt+K"), "ControlOrMeta+Alt+k");
});

test("a chord with Shift, a small letter, other keys and what a driver refuses are left as they are", () => {
  for (const key of [
    "Control+Shift+Z",
    "Shift+A",
    "a",
    "Control+a",
    "Enter",
    "Shift+Tab",
    "+",
    "Control++",
    "Hyper+A",
    "F1",
  ])
    assert.equal(chordAsTyped(key), key);
});
