// Generic steps: what a user does with elements found by role, label, placeholder or text.
import { When } from "@cucumber/cucumber";
import type { Locator } from "../../src/browser/session";
import type { SignoffWorld } from "../support/world";

When("I click {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.click(el);
});

When("I fill {element} with {string}", async function (this: SignoffWorld, el: Locator, value: string) {
  await this.session.fill(el, value);
});

When("I type {string} into {element}", async function (this: SignoffWorld, value: string, el: Locator) {
  await this.session.fill(el, value);
});

When("I press {string}", async function (this: SignoffWorld, key: string) {
  await this.session.press(key);
});

When("I press {string} in {element}", async function (this: SignoffWorld, key: string, el: Locator) {
  await this.session.press(key, el);
});

When("I check {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.setChecked(el, true);
});

When("I uncheck {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.setChecked(el, false);
});

When("I select {string} from {element}", async function (this: SignoffWorld, option: string, el: Locator) {
  await this.session.selectOption(el, option);
});
