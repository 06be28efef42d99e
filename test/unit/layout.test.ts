// The horizontal-scroll check tolerates the sub-pixel rounding of scrollWidth, and nothing more.
import { test } from "node:test";
import assert from "node:assert/strict";
import { scrollsSideways } from "../../steps/support/layout";

test("one pixel over the viewport is rounding, two is a page that scrolls sideways", () => {
  assert.equal(scrollsSideways({ scrollWidth: 980, viewportWidth: 980 }), false);
  assert.equal(scrollsSideways({ scrollWidth: 981, viewportWidth: 980 }), false);
  assert.equal(scrollsSideways({ scrollWidth: 982, viewportWidth: 980 }), true);
  assert.equal(scrollsSideways({ scrollWidth: 1400, viewportWidth: 412 }), true);
});
