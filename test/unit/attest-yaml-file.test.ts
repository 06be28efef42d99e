// Strict YAML input (src/attest/yaml-file.ts): a policy or trust file is parsed, schema-checked and refused a line per mistake naming file, line and field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseYamlWithSchema } from "../../src/attest/yaml-file";
import { UsageError } from "../../src/core/errors";

const GOOD = "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n";

/** The UsageError message parsing TEXT as a policy gives (exit 2: the input is wrong). */
function refusal(text: string): string {
  try {
    parseYamlWithSchema(text, "p.yaml", "policy");
  } catch (err) {
    assert.ok(err instanceof UsageError, `a UsageError, not ${String(err)}`);
    return err.message;
  }
  return assert.fail(`accepted:\n${text}`);
}

test("a valid policy parses to its data", () => {
  assert.deepEqual(parseYamlWithSchema(GOOD, "p.yaml", "policy"), {
    version: 1,
    requiredTargets: ["pw-desktop"],
    requirements: "all",
    maxAge: "24h",
  });
});

test("YAML errors name the file, line and column; a duplicate key is one", () => {
  assert.match(refusal("version: 1\nrequiredTargets: [pw-desktop\n"), /^p\.yaml:3:1: Flow sequence/);
  assert.equal(refusal("version: 1\nversion: 1\n"), "p.yaml:2:1: Map keys must be unique");
  // In a nested map too, and a number and a string that both become the key "1".
  assert.equal(refusal(`${GOOD}signoffs:\n  qa: 1\n  qa: 2\n`), "p.yaml:7:3: Map keys must be unique");
  assert.equal(refusal(`${GOOD}signoffs: {1: 1, "1": 2}\n`), "p.yaml:5:18: Map keys must be unique");
});

test("an alias bomb is refused before it expands", () => {
  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  ].join("\n");
  assert.equal(refusal(bomb), "p.yaml: Excessive alias count indicates a resource exhaustion attack");
});

test("schema errors name the field, at its line, in words a user can act on", () => {
  assert.equal(refusal(GOOD.replace("version: 1\n", "")), "p.yaml:1:1: version: required field is missing");
  assert.equal(refusal(GOOD.replace("version: 1", "version: 2")), "p.yaml:1:1: version: must be 1");
  assert.equal(
    refusal(GOOD.replace("[pw-desktop]", "[pw-desktop, 3]")),
    "p.yaml:2:31: requiredTargets[1]: must be string",
  );
  assert.equal(
    refusal(GOOD.replace("requirements: all", "requirements: some")),
    'p.yaml:3:1: requirements: must be "all" or a list of requirement ids',
  );
  assert.equal(refusal(`${GOOD}surprise: yes\n`), "p.yaml:5:1: surprise: unknown field");
  // A value of one alternative's shape is told what is wrong inside it, not the alternatives again.
  assert.equal(
    refusal(GOOD.replace("requirements: all", "requirements: [REQ-1, 5]")),
    "p.yaml:3:23: requirements[1]: must be string",
  );
  // A key its rule refuses: one line naming the key, nothing about "property name".
  const printed: string[] = [];
  const error = console.error;
  console.error = (line: string) => printed.push(line);
  try {
    assert.match(
      refusal(`${GOOD}signoffs: {Release Manager: 1}\n`),
      /^p\.yaml:5:\d+: signoffs\["Release Manager"\]: must be a role name/,
    );
  } finally {
    console.error = error;
  }
  assert.deepEqual(printed, []);
});

test("every mistake of a policy is named in one run, top to bottom; the last is the error's (QA17 F4)", () => {
  const printed: string[] = [];
  const error = console.error;
  console.error = (line: string) => printed.push(line);
  try {
    const last = refusal("version: 2\nrequiredTargets: []\nrequirements: some\nflakey: warn\n");
    // A field left out is named where the document starts.
    assert.deepEqual(printed, [
      "signoff: p.yaml:1:1: maxAge: required field is missing",
      "signoff: p.yaml:1:1: version: must be 1",
      "signoff: p.yaml:2:1: requiredTargets: must list at least one item",
      'signoff: p.yaml:3:1: requirements: must be "all" or a list of requirement ids',
    ]);
    assert.equal(last, 'p.yaml:4:1: flakey: unknown field (did you mean "flaky"?)');
  } finally {
    console.error = error;
  }
});
