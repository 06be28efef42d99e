// Generic steps: moving around the site under test.
import { Given, When } from "@cucumber/cucumber";
import type { SignoffWorld } from "../support/world";

Given("I open {string}", async function (this: SignoffWorld, pathOrUrl: string) {
  await this.session.goto(this.resolveUrl(pathOrUrl));
});

Given("I open {string} expecting status {int}", async function (this: SignoffWorld, pathOrUrl: string, status: number) {
  await this.session.goto(this.resolveUrl(pathOrUrl), status);
});

Given("I open the home page", async function (this: SignoffWorld) {
  // The base URL itself: "/" would drop a staging's sub-path (https://example.com/shop/).
  await this.session.goto(this.resolveUrl(""));
});

When("I refresh the page", async function (this: SignoffWorld) {
  await this.session.reload();
});

When("I go back", async function (this: SignoffWorld) {
  await this.session.back();
});
