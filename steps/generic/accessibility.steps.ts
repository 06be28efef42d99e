// Generic steps: the page, or a part of it, passes axe-core's WCAG 2.2 A and AA rules.
import { Then } from "@cucumber/cucumber";
import type { Locator } from "../../src/browser/session";
import { axeVersion, DEFAULT_AUDIT_TAGS, knownAxeRules } from "../../src/core/accessibility";
import { SignoffAssertionError } from "../../src/core/errors";
import { describeViolations, ruleList } from "../support/accessibility";
import { pageSettled } from "../support/settle";
import type { SignoffWorld } from "../support/world";

/** The media type of the audit's findings attached to a failed check (the Allure report shows them). */
const FINDINGS_MEDIA_TYPE = "application/json";

/**
 * Audits once the page has settled (what is still loading is not judged half-drawn), once: an audit takes up to
 * seconds, and what it finds is markup, which waiting does not change the way it changes a text.
 */
async function expectAccessible(world: SignoffWorld, within: Locator | undefined, skipRules: string[]): Promise<void> {
  await pageSettled(world, world.parameters.timeouts.actionMs);
  const violations = await world.session.accessibilityViolations({ tags: DEFAULT_AUDIT_TAGS, skipRules }, within);
  if (violations.length === 0) return;
  const standard = `WCAG 2.2 A and AA, axe ${axeVersion()}${skipRules.length ? `, except ${skipRules.join(", ")}` : ""}`;
  world.attach(JSON.stringify({ standard, violations }, null, 2), {
    mediaType: FINDINGS_MEDIA_TYPE,
    fileName: "accessibility-violations.json",
  });
  throw new SignoffAssertionError(describeViolations(violations, standard));
}

Then("the page should have no accessibility violations", async function (this: SignoffWorld) {
  await expectAccessible(this, undefined, []);
});

Then(
  "the page should have no accessibility violations other than {string}",
  async function (this: SignoffWorld, rules: string) {
    await expectAccessible(this, undefined, ruleList(rules, knownAxeRules()));
  },
);

Then("{element} should have no accessibility violations", async function (this: SignoffWorld, el: Locator) {
  await expectAccessible(this, el, []);
});

Then(
  "{element} should have no accessibility violations other than {string}",
  async function (this: SignoffWorld, el: Locator, rules: string) {
    await expectAccessible(this, el, ruleList(rules, knownAxeRules()));
  },
);
