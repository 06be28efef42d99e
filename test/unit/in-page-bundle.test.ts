// The committed in-page bundle (Selenium's locator engine + dom-accessibility-api) is what its sources build today.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { GENERATED_IN_PAGE, inPageSource } from "../../scripts/bundle-in-page";

test("src/browser/in-page.generated.js is up to date with src/browser/in-page/ (npm run generate:in-page)", () => {
  assert.equal(readFileSync(GENERATED_IN_PAGE, "utf8"), inPageSource());
});
