// Key names as the steps write them (Playwright's) → WebDriver key codes, so one key means one thing on both drivers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Key } from "selenium-webdriver";
import { webdriverKeys } from "../../src/browser/selenium";

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
