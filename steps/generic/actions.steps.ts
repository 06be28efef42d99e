// Generic steps: what a user does with elements found by role, label, placeholder or text, and with dialogs and frames.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { When } from "@cucumber/cucumber";
import type { Locator } from "../../src/browser/session";
import type { SignoffWorld } from "../support/world";
import { TestDefinitionError } from "../../src/core/errors";

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

When("I clear {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.fill(el, "");
});

When("I type {string} after the text in {element}", async function (this: SignoffWorld, value: string, el: Locator) {
  await this.session.typeText(el, value);
});

When("I double-click {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.doubleClick(el);
});

When("I right-click {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.rightClick(el);
});

When("I hover over {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.hover(el);
});

When("I focus {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.focus(el);
});

When("I move focus away from {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.blur(el);
});

When("I scroll to {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.scrollIntoView(el);
});

When("I drag {element} onto {element}", async function (this: SignoffWorld, source: Locator, target: Locator) {
  await this.session.dragTo(source, target);
});

When("I upload {string} to {element}", async function (this: SignoffWorld, files: string, el: Locator) {
  // Paths are the project's (where signoff runs), several separated by commas.
  const paths = files.split(",").map((f) => resolve(process.cwd(), f.trim()));
  for (const p of paths)
    if (!existsSync(p))
      throw new TestDefinitionError(`no file to upload at ${p} (paths are relative to ${process.cwd()})`);
  await this.session.uploadFiles(el, paths);
});

When("I accept the dialogs that open", async function (this: SignoffWorld) {
  await this.session.handleDialogs("accept");
});

When("I dismiss the dialogs that open", async function (this: SignoffWorld) {
  await this.session.handleDialogs("dismiss");
});

When("I answer the prompts that open with {string}", async function (this: SignoffWorld, answer: string) {
  await this.session.handleDialogs("accept", answer);
});

When("I switch into {element}", async function (this: SignoffWorld, el: Locator) {
  await this.session.enterFrame(el);
});

When("I switch back to the page", async function (this: SignoffWorld) {
  await this.session.leaveFrame();
});

When("I switch to the new tab", async function (this: SignoffWorld) {
  await this.session.switchToNewTab();
});

When("I switch to the tab titled {string}", async function (this: SignoffWorld, title: string) {
  await this.session.switchToNewTab(title);
});
