// The accessibility step's words: the rules it leaves out, and a failure naming each broken rule, worst first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { knownAxeRules, type AccessibilityViolation } from "../../src/core/accessibility";
import { TestDefinitionError } from "../../src/core/errors";
import { describeViolations, ruleList } from "../../steps/support/accessibility";

test("rule lists: commas or 'and' between ids; an id axe does not know is refused, with the nearest one", () => {
  const known = knownAxeRules();
  assert.ok(known.includes("color-contrast") && known.length > 50, "axe's own rule list");
  assert.deepEqual(ruleList("color-contrast, region and image-alt", known), ["color-contrast", "region", "image-alt"]);
  assert.throws(
    () => ruleList("colour-contrast", known),
    (e: unknown) => e instanceof TestDefinitionError && /did you mean "color-contrast"/.test(e.message),
  );
  assert.throws(() => ruleList(" , ", known), TestDefinitionError);
});

test("a failure lists the worst impact first and at most three elements of a rule", () => {
  const v = (rule: string, impact: string | null, n: number): AccessibilityViolation => ({
    rule,
    impact,
    help: `${rule} help`,
    helpUrl: "",
    nodes: Array.from({ length: n }, (_, i) => ({ target: `#e${i}`, html: "", summary: "" })),
  });
  assert.equal(
    describeViolations([v("region", "moderate", 1), v("odd", null, 1), v("image-alt", "critical", 5)], "WCAG"),
    "expected no accessibility violations (WCAG), 3 rules are broken:\n" +
      "  image-alt (critical): image-alt help; 5 elements: #e0, #e1, #e2 and 2 more\n" +
      "  region (moderate): region help; 1 element: #e0\n" +
      "  odd: odd help; 1 element: #e0",
  );
});
