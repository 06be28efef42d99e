// Key names as the steps write them (Playwright's) → WebDriver key codes, and the W3C key actions that type a text as it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "selenium-webdriver";
import { chordActions, typingActions, webdriverKeys } from "../../src/browser/selenium-keys";

test("named keys map to WebDriver's codes; combinations split on +", () => {
  assert.deepEqual(webdriverKeys("Enter"), [Key.ENTER]);
  assert.deepEqual(webdriverKeys("Shift+Tab"), [Key.SHIFT, Key.TAB]);
  assert.deepEqual(webdriverKeys("Control+Alt+Delete"), [Key.CONTROL, Key.ALT, Key.DELETE]);
  assert.deepEqual(webdriverKeys("ArrowLeft"), [Key.ARROW_LEFT]);
  assert.deepEqual(webdriverKeys("F12"), [Key.F12]);
  assert.deepEqual(webdriverKeys("Space"), [Key.SPACE]);
});

test("ControlOrMeta is Meta on macOS and Control elsewhere, as in Playwright", () => {
  assert.deepEqual(webdriverKeys("ControlOrMeta+a"), [process.platform === "darwin" ? Key.META : Key.CONTROL, "a"]);
});

test("single characters pass through, KeyX and DigitN become the character, + itself is a key", () => {
  assert.deepEqual(webdriverKeys("a"), ["a"]);
  assert.deepEqual(webdriverKeys("é"), ["é"]);
  assert.deepEqual(webdriverKeys("KeyQ"), ["q"]);
  assert.deepEqual(webdriverKeys("Digit7"), ["7"]);
  assert.deepEqual(webdriverKeys("+"), ["+"]);
  assert.deepEqual(webdriverKeys("Shift++"), [Key.SHIFT, "+"]);
});

test("an unknown key name is an error naming it, as Playwright's is", () => {
  assert.throws(() => webdriverKeys("Enterr"), /^Error: Unknown key: "Enterr"$/);
  assert.throws(() => webdriverKeys("Shift+Bogus"), /Unknown key: "Bogus"/);
});

test("typing sends each code point as the text has it: none is normalized into another or split in two", () => {
  // NFC would make U+0958 and U+0FA7 two code points each and U+F900 another ideograph (U+8C48).
  const text = "a\u0958\u0fa7\uf900e\u0301😀";
  const actions = typingActions(text);
  assert.deepEqual(
    actions.filter((a) => a.type === "keyDown").map((a) => a.value),
    ["a", "\u0958", "\u0fa7", "\uf900", "e", "\u0301", "😀"],
  );
  assert.equal(
    actions.map((a) => a.value).join(""),
    [...text].map((c) => c + c).join(""),
    "each key up after its key down",
  );
  assert.deepEqual(typingActions(""), []);
});

test("a chord presses its keys in order and releases them in reverse", () => {
  assert.deepEqual(chordActions(webdriverKeys("Control+Shift+k")), [
    { type: "keyDown", value: Key.CONTROL },
    { type: "keyDown", value: Key.SHIFT },
    { type: "keyDown", value: "k" },
    { type: "keyUp", value: "k" },
    { type: "keyUp", value: Key.SHIFT },
    { type: "keyUp", value: Key.CONTROL },
  ]);
});
