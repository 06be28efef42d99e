// Generic steps: assertions about what the page shows; each waits until it holds or times out.
import { Then } from "@cucumber/cucumber";
import { describeLocator, type Locator } from "../../src/browser/session";
import { eventually } from "../support/eventually";
import type { SignoffWorld } from "../support/world";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

Then("I should see {string}", async function (this: SignoffWorld, text: string) {
  await eventually(
    () => this.session.bodyText(),
    (body) => body.includes(text),
    () => `expected the page to show "${text}"`,
    wait(this),
  );
});

Then("I should not see {string}", async function (this: SignoffWorld, text: string) {
  await eventually(
    () => this.session.bodyText(),
    (body) => !body.includes(text),
    () => `expected the page not to show "${text}"`,
    wait(this),
  );
});

Then("I should see {element}", async function (this: SignoffWorld, el: Locator) {
  await eventually(
    () => this.session.isVisible(el),
    (v) => v,
    () => `expected to see ${describeLocator(el)}`,
    wait(this),
  );
});

Then("I should not see {element}", async function (this: SignoffWorld, el: Locator) {
  await eventually(
    () => this.session.isVisible(el),
    (v) => !v,
    () => `expected not to see ${describeLocator(el)}`,
    wait(this),
  );
});

Then("I should see {int} of {element}", async function (this: SignoffWorld, n: number, el: Locator) {
  await eventually(
    () => this.session.count(el),
    (c) => c === n,
    (c) => `expected ${n} of ${describeLocator(el)}, found ${c ?? "none"}`,
    wait(this),
  );
});

Then("{element} should contain {string}", async function (this: SignoffWorld, el: Locator, text: string) {
  await eventually(
    () => this.session.textOf(el),
    (t) => t.includes(text),
    (t, e) => `expected ${describeLocator(el)} to contain "${text}", ${e ? String(e) : `it shows "${t}"`}`,
    wait(this),
  );
});

Then("{element} should have the value {string}", async function (this: SignoffWorld, el: Locator, value: string) {
  await eventually(
    () => this.session.valueOf(el),
    (v) => v === value,
    (v, e) => `expected ${describeLocator(el)} to have the value "${value}", ${e ? String(e) : `it has "${v}"`}`,
    wait(this),
  );
});

Then("the page title should be {string}", async function (this: SignoffWorld, title: string) {
  await eventually(
    () => this.session.title(),
    (t) => t === title,
    (t) => `expected the page title "${title}", it is "${t}"`,
    wait(this),
  );
});

Then("the page title should contain {string}", async function (this: SignoffWorld, part: string) {
  await eventually(
    () => this.session.title(),
    (t) => t.includes(part),
    (t) => `expected the page title to contain "${part}", it is "${t}"`,
    wait(this),
  );
});

Then("the URL path should be {string}", async function (this: SignoffWorld, path: string) {
  await eventually(
    async () => new URL(await this.session.url()).pathname,
    (p) => p === path,
    (p) => `expected the URL path "${path}", it is "${p}"`,
    wait(this),
  );
});

Then("the URL should contain {string}", async function (this: SignoffWorld, part: string) {
  await eventually(
    () => this.session.url(),
    (u) => u.includes(part),
    (u) => `expected the URL to contain "${part}", it is "${u}"`,
    wait(this),
  );
});
