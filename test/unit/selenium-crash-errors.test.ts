// src/browser/selenium.ts isCrashError: which errors mean the browser or session is gone, by type first, by text only where the driver gives no type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { error as seleniumErrors } from "selenium-webdriver";
import { isCrashError } from "../../src/browser/selenium";

test("a gone session or a refused connection to chromedriver is a crash, by type or by code", () => {
  assert.equal(isCrashError(new seleniumErrors.NoSuchSessionError("invalid session id")), true);
  assert.equal(isCrashError(new seleniumErrors.SessionNotCreatedError("session not created")), true);
  assert.equal(isCrashError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" })), true);
  // selenium-webdriver's HTTP client rethrows a failed connection as a plain Error with the code in its text.
  assert.equal(isCrashError(new Error("ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9515")), true);
});

test("chromedriver's untyped 'unknown error' is read by its text: a dead tab or Chromium is a crash", () => {
  assert.equal(
    isCrashError(new seleniumErrors.WebDriverError("unknown error: cannot determine loading status\nfrom tab crashed")),
    true,
  );
  assert.equal(isCrashError(new seleniumErrors.WebDriverError("chrome not reachable")), true);
  assert.equal(isCrashError(new seleniumErrors.WebDriverError("unknown error: element is not attached")), false);
});

test("a typed error is never a crash, whatever its text says (a page's own error message)", () => {
  assert.equal(isCrashError(new seleniumErrors.JavascriptError("javascript error: socket hang up")), false);
  assert.equal(isCrashError(new seleniumErrors.NoSuchElementError("tab crashed")), false);
  assert.equal(isCrashError(new seleniumErrors.StaleElementReferenceError("stale element reference")), false);
  assert.equal(isCrashError(undefined), false);
  assert.equal(isCrashError("chrome not reachable"), false);
});
