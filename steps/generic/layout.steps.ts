// Generic steps: the mobile checks — in the viewport, no horizontal scroll, phone-sized, touch.
import { Then } from "@cucumber/cucumber";
import { describeLocator, type Locator } from "../../src/browser/session";
import { scrollsSideways } from "../support/layout";
import { eventually, probeSays } from "../support/eventually";
import type { SignoffWorld } from "../support/world";
import { SignoffAssertionError } from "../../src/core/errors";

Then("{element} should be inside the viewport", async function (this: SignoffWorld, el: Locator) {
  await eventually(
    async () => ({ box: await this.session.boundingBox(el), vp: await this.session.viewport() }),
    ({ box, vp }) =>
      box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.width <= vp.viewportWidth + 0.5 &&
      box.y + box.height <= vp.viewportHeight + 0.5,
    (last, e) =>
      last
        ? `expected ${describeLocator(el)} inside the ${last.vp.viewportWidth}×${last.vp.viewportHeight} viewport, it is at x=${Math.round(last.box.x)} y=${Math.round(last.box.y)} ${Math.round(last.box.width)}×${Math.round(last.box.height)}`
        : `expected ${describeLocator(el)} inside the viewport: ${probeSays(e)}`,
    this.parameters.timeouts.actionMs,
  );
});

Then("the page should have no horizontal scroll", async function (this: SignoffWorld) {
  const vp = await this.session.viewport();
  if (scrollsSideways(vp)) {
    throw new SignoffAssertionError(
      `the page scrolls sideways: content is ${vp.scrollWidth}px wide in a ${vp.viewportWidth}px viewport`,
    );
  }
});

Then("the viewport should be at most {int} pixels wide", async function (this: SignoffWorld, max: number) {
  const vp = await this.session.viewport();
  if (vp.viewportWidth > max)
    throw new SignoffAssertionError(`the viewport is ${vp.viewportWidth}px wide, expected at most ${max}px`);
});

Then("the device should have a touch screen", async function (this: SignoffWorld) {
  const vp = await this.session.viewport();
  if (!vp.touch) throw new SignoffAssertionError(`the browser reports no touch support (user agent: ${vp.userAgent})`);
});
