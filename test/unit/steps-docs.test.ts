// Every step definition is documented in docs/steps.md with an example that matches it, and vice versa.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadConfiguration, loadSupport } from "@cucumber/cucumber/api";

interface StepDefinition {
  pattern: string | RegExp;
  uri: string;
  matchesStepName(text: string): boolean;
}

interface DocEntry {
  pattern: string;
  examples: string[];
  /** Steps in the rows of a sequence property's table (| action | <step> |), generated values filled in. */
  tableSteps: string[];
}

/** A sample for each `{…}` generated value, so a documented action row reads as a real step. */
function fillPlaceholders(text: string): string {
  return text.replace(/\{([^{}]*)\}/g, (_, inner: string) => {
    const one = /^one of "([^"]*)"/.exec(inner);
    if (one) return one[1];
    const num = /^any whole number from (-?\d+)/.exec(inner);
    if (num) return num[1];
    // a text shape reads as text; a reference to a named value ({n + 1}) as a number, which any text step takes too
    return /^any /.test(inner) ? "abc" : "3";
  });
}

/** ### `pattern` headings, each with the step lines of the ```gherkin blocks that follow it. */
function readDocs(): DocEntry[] {
  const text = readFileSync("docs/steps.md", "utf8");
  const entries: DocEntry[] = [];
  let inBlock = false;
  for (const line of text.split("\n")) {
    const heading = /^### `(.+)`\s*$/.exec(line);
    if (heading) {
      entries.push({ pattern: heading[1], examples: [], tableSteps: [] });
      continue;
    }
    if (/^```gherkin/.test(line)) inBlock = true;
    else if (/^```/.test(line)) inBlock = false;
    else if (inBlock && entries.length > 0) {
      const step = /^\s*(?:Given|When|Then|And|But|\*) (.+)$/.exec(line);
      if (step) entries[entries.length - 1].examples.push(step[1]);
      const row = /^\s*\|\s*(start|action|required action|and|check)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
      if (row) entries[entries.length - 1].tableSteps.push(fillPlaceholders(row[2]));
    }
  }
  return entries;
}

test("docs/steps.md documents exactly the defined steps, each with a matching example", async () => {
  const { runConfiguration } = await loadConfiguration({ profiles: ["signoff"] });
  // The API types keep the library opaque; these are the fields this test reads.
  const support = (await loadSupport(runConfiguration)) as unknown as { stepDefinitions: StepDefinition[] };
  const defined = support.stepDefinitions.filter(
    (s) => !s.uri.includes("node_modules") && s.uri.startsWith("steps/generic"),
  );
  const docs = readDocs();
  const documented = new Set(docs.map((d) => d.pattern));
  const definedPatterns = new Set(defined.map((s) => String(s.pattern)));

  const undocumented = [...definedPatterns].filter((p) => !documented.has(p));
  assert.deepEqual(undocumented, [], "steps without a ### `pattern` heading in docs/steps.md");
  const stale = [...documented].filter((p) => !definedPatterns.has(p));
  assert.deepEqual(stale, [], "docs/steps.md headings that name no step definition");

  for (const entry of docs) {
    assert.ok(entry.examples.length > 0, `no gherkin example under ### \`${entry.pattern}\``);
    for (const example of entry.examples) {
      const matching = support.stepDefinitions.filter((s) => s.matchesStepName(example));
      assert.equal(
        matching.length,
        1,
        `example "${example}" should match exactly one step, matches ${matching.length}`,
      );
      assert.equal(
        String(matching[0].pattern),
        entry.pattern,
        `example "${example}" matches another step than its heading`,
      );
    }
    for (const step of entry.tableSteps) {
      const matching = support.stepDefinitions.filter((s) => s.matchesStepName(step));
      assert.equal(
        matching.length,
        1,
        `table row step "${step}" under ### \`${entry.pattern}\` should match exactly one step, matches ${matching.length}`,
      );
    }
  }
});
