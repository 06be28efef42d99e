// The dry run's verdict on undefined and ambiguous steps: one line with the step's file:line, the step and, if ambiguous, each definition's file:line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { StepProblems } from "../../src/runner/step-problems";
import { DryRunSteps } from "../../src/runner/dry-run-steps";
import { parseFindings } from "../../src/runner/preflight-findings";
import { UsageError } from "../../src/core/errors";

/** The collector fed the dry run's messages one at a time, as the preflight's formatter feeds it. */
function stepProblems(ndjson: string, targetNames: readonly string[] = []) {
  const steps = new DryRunSteps();
  const problems = new StepProblems(steps, targetNames);
  for (const line of ndjson.split("\n")) {
    if (!line) continue;
    const envelope = JSON.parse(line);
    steps.add(envelope);
    problems.add(envelope);
  }
  return problems.report();
}

const ambiguousSteps = (ndjson: string) => stepProblems(ndjson).ambiguous;

const lines = (...envelopes: object[]) => envelopes.map((e) => JSON.stringify(e)).join("\n") + "\n";

/** One scenario (features/a.feature:4) whose steps, these texts, no definition matches: its pickle and test case. */
const undefinedSteps = (texts: readonly string[]) => [
  {
    pickle: {
      id: "p1",
      uri: "features/a.feature",
      location: { line: 4 },
      steps: texts.map((text, i) => ({ id: `s${i}`, text })),
    },
  },
  {
    testCase: {
      id: "t1",
      pickleId: "p1",
      testSteps: texts.map((_, i) => ({ id: `t${i}`, pickleStepId: `s${i}`, stepDefinitionIds: [] })),
    },
  },
];

const defs = [
  {
    stepDefinition: {
      id: "d1",
      pattern: { source: "I open {string}", type: "CUCUMBER_EXPRESSION" },
      sourceReference: { uri: "node_modules/signoff/dist/steps/generic/navigation.steps.js", location: { line: 5 } },
    },
  },
  {
    stepDefinition: {
      id: "d2",
      pattern: { source: "I open {string}", type: "CUCUMBER_EXPRESSION" },
      sourceReference: { uri: "steps/mine.steps.ts", location: { line: 3 } },
    },
  },
  {
    stepDefinition: {
      id: "d3",
      pattern: { source: "I should see {string}", type: "CUCUMBER_EXPRESSION" },
      sourceReference: { uri: "x.js", location: { line: 1 } },
    },
  },
];

test("an ambiguous step names the scenario's file:line and every matching definition", () => {
  const ndjson = lines(
    ...defs,
    {
      pickle: {
        id: "p1",
        uri: "features/a.feature",
        location: { line: 4 },
        steps: [
          { id: "s1", text: 'I open "/about"' },
          { id: "s2", text: 'I should see "About"' },
        ],
      },
    },
    {
      testCase: {
        id: "t1",
        pickleId: "p1",
        testSteps: [
          { id: "h", hookId: "x" },
          { id: "ts1", pickleStepId: "s1", stepDefinitionIds: ["d1", "d2"] },
          { id: "ts2", pickleStepId: "s2", stepDefinitionIds: ["d3"] },
        ],
      },
    },
  );
  assert.deepEqual(ambiguousSteps(ndjson), [
    'features/a.feature:4: the step "I open "/about"" is ambiguous: it matches "I open {string}" (node_modules/signoff/dist/steps/generic/navigation.steps.js:5) and "I open {string}" (steps/mine.steps.ts:3)',
  ]);
});

test("the same ambiguous text in many scenarios is one line; unambiguous and undefined steps are none", () => {
  const ndjson = lines(
    ...defs,
    {
      pickle: {
        id: "p1",
        uri: "features/a.feature",
        location: { line: 4 },
        steps: [
          { id: "s1", text: 'I open "/"' },
          { id: "s3", text: "nobody defined me" },
        ],
      },
    },
    {
      pickle: { id: "p2", uri: "features/b.feature", location: { line: 9 }, steps: [{ id: "s2", text: 'I open "/"' }] },
    },
    {
      testCase: {
        id: "t1",
        pickleId: "p1",
        testSteps: [
          { id: "a", pickleStepId: "s1", stepDefinitionIds: ["d1", "d2"] },
          { id: "b", pickleStepId: "s3", stepDefinitionIds: [] },
        ],
      },
    },
    {
      testCase: {
        id: "t2",
        pickleId: "p2",
        testSteps: [{ id: "c", pickleStepId: "s2", stepDefinitionIds: ["d1", "d2"] }],
      },
    },
  );
  const found = ambiguousSteps(ndjson);
  assert.equal(found.length, 1);
  assert.match(found[0], /^features\/a\.feature:4: /);
  assert.deepEqual(ambiguousSteps(lines(...defs)), []);
});

test("different step texts matching the same duplicated definitions: one line naming both places", () => {
  const pickle = (id: string, line: number, text: string) => ({
    pickle: { id, uri: "features/a.feature", location: { line }, steps: [{ id: `${id}s`, text }] },
  });
  const testCase = (id: string) => ({
    testCase: {
      id: `t${id}`,
      pickleId: id,
      testSteps: [{ id: "a", pickleStepId: `${id}s`, stepDefinitionIds: ["d1", "d2"] }],
    },
  });
  const found = ambiguousSteps(
    lines(
      ...defs,
      pickle("p1", 2, 'I open "/"'),
      testCase("p1"),
      pickle("p2", 5, 'I open "/other"'),
      testCase("p2"),
      pickle("p3", 8, 'I open "/third"'),
      testCase("p3"),
    ),
  );
  assert.deepEqual(found, [
    'features/a.feature:2: the step "I open "/"" is ambiguous: it matches "I open {string}" (node_modules/signoff/dist/steps/generic/navigation.steps.js:5) and "I open {string}" (steps/mine.steps.ts:3) (as do 2 more step texts)',
  ]);
});

test("an undefined step names the scenario's file:line and the step, once per step text", () => {
  const pickle = (id: string, line: number) => ({
    pickle: {
      id,
      uri: "features/a.feature",
      location: { line },
      steps: [
        { id: `${id}s1`, text: 'I open "/about"' },
        { id: `${id}s2`, text: 'I click the "Go" knob' },
      ],
    },
  });
  const testCase = (id: string) => ({
    testCase: {
      id: `t${id}`,
      pickleId: id,
      testSteps: [
        { id: "h", hookId: "x" },
        { id: "a", pickleStepId: `${id}s1`, stepDefinitionIds: ["d1"] },
        { id: "b", pickleStepId: `${id}s2`, stepDefinitionIds: [] },
      ],
    },
  });
  const found = stepProblems(lines(...defs, pickle("p1", 3), testCase("p1"), pickle("p2", 9), testCase("p2")));
  assert.deepEqual(found.undefined, ['features/a.feature:3: the step "I click the "Go" knob" is undefined']);
  assert.deepEqual(found.ambiguous, []);
  assert.equal(found.scenarios, 2);
});

test("the scenarios a dry run selected are its test cases: none when the tags or lines select nothing", () => {
  assert.equal(stepProblems(lines(...defs)).scenarios, 0);
  const testCase = (id: string) => ({ testCase: { id, pickleId: `p${id}`, testSteps: [] } });
  assert.equal(stepProblems(lines(...defs, testCase("1"), testCase("2"), testCase("3"))).scenarios, 3);
});

test("a problem names the step's own line when the Gherkin document gives it (the scenario's otherwise)", () => {
  const ndjson = lines(
    ...defs,
    {
      gherkinDocument: {
        uri: "features/a.feature",
        feature: {
          children: [
            { background: { steps: [{ id: "g0", location: { line: 3 } }] } },
            { rule: { children: [{ scenario: { steps: [{ id: "g1", location: { line: 8 } }] } }] } },
          ],
        },
      },
    },
    {
      pickle: {
        id: "p1",
        uri: "features/a.feature",
        location: { line: 7 },
        steps: [
          { id: "s0", text: "the background step", astNodeIds: ["g0"] },
          { id: "s1", text: "a rule's step", astNodeIds: ["g1"] },
        ],
      },
    },
    {
      testCase: {
        id: "t1",
        pickleId: "p1",
        testSteps: [
          { id: "a", pickleStepId: "s0", stepDefinitionIds: [] },
          { id: "b", pickleStepId: "s1", stepDefinitionIds: [] },
        ],
      },
    },
  );
  assert.deepEqual(stepProblems(ndjson).undefined, [
    'features/a.feature:3: the step "the background step" is undefined',
    'features/a.feature:8: the step "a rule\'s step" is undefined',
  ]);
});

test("a @target: tag naming no configured target is a problem wherever it stands (feature, rule, scenario, examples)", () => {
  const tag = (name: string, line: number) => ({ name, location: { line } });
  const doc = {
    gherkinDocument: {
      uri: "features/t.feature",
      feature: {
        tags: [tag("@target:pw-desktop", 1)],
        children: [
          { scenario: { tags: [tag("@target:pw-destkop", 3)], steps: [] } },
          {
            rule: {
              tags: [tag("@target:se-dekstop", 6)],
              children: [{ scenario: { tags: [], steps: [], examples: [{ tags: [tag("@target:nope", 11)] }] } }],
            },
          },
        ],
      },
    },
  };
  const known = ["pw-desktop", "se-desktop"];
  assert.deepEqual(stepProblems(lines(doc), known).unknownTargets, [
    'features/t.feature:3: @target:pw-destkop names no configured target (did you mean "pw-desktop"?); known targets: pw-desktop, se-desktop',
    'features/t.feature:6: @target:se-dekstop names no configured target (did you mean "se-desktop"?); known targets: pw-desktop, se-desktop',
    "features/t.feature:11: @target:nope names no configured target; known targets: pw-desktop, se-desktop",
  ]);
});

test("an undefined step whose element phrase has a near miss of a role word says the word and the one meant", () => {
  const ndjson = lines(
    ...defs,
    {
      pickle: {
        id: "p1",
        uri: "features/a.feature",
        location: { line: 4 },
        steps: [{ id: "s1", text: 'I click the "Go" buton' }],
      },
    },
    { testCase: { id: "t1", pickleId: "p1", testSteps: [{ id: "a", pickleStepId: "s1", stepDefinitionIds: [] }] } },
  );
  assert.deepEqual(stepProblems(ndjson).undefined, [
    'features/a.feature:4: the step "I click the "Go" buton" is undefined: "buton" is not a role word (did you mean "button"?)',
  ]);
});

test("an undefined step near one definition names it, and an unclosed quote; a regular expression or a far text names none", () => {
  const regexp = {
    stepDefinition: {
      id: "d4",
      pattern: { source: "^I shoud see (.*)$", type: "REGULAR_EXPRESSION" },
      sourceReference: { uri: "y.js", location: { line: 1 } },
    },
  };
  const texts = ['I should se "About"', 'I shoud see "About"', "the moon is made of cheese", 'I should see "About'];
  const ndjson = lines(...defs, regexp, ...undefinedSteps(texts));
  assert.deepEqual(stepProblems(ndjson).undefined, [
    'features/a.feature:4: the step "I should se "About"" is undefined (did you mean "I should see {string}"?)',
    'features/a.feature:4: the step "I shoud see "About"" is undefined (did you mean "I should see {string}"?)',
    'features/a.feature:4: the step "the moon is made of cheese" is undefined',
    'features/a.feature:4: the step "I should see "About" is undefined: a double quote in it is not closed (did you mean "I should see {string}"?)',
  ]);
});

test("an undefined step near one that exists is marked as meaning it (no snippet for it); one near none is not", () => {
  const texts = ['I shoud see "About"', 'I click the "Go" buton', "the moon is made of cheese", 'I should see "About'];
  const steps = new DryRunSteps();
  const problems = new StepProblems(steps, []);
  const ndjson = lines(...defs, ...undefinedSteps(texts));
  for (const line of ndjson.split("\n").filter(Boolean)) {
    steps.add(JSON.parse(line));
    problems.add(JSON.parse(line));
  }
  assert.deepEqual(
    texts.map((t) => problems.hasStepMeant(t)),
    [true, true, false, true],
  );
  assert.equal(problems.hasStepMeant('I should see "About"'), false, "a defined step is no undefined one");
});

test("the runner judges the dry run without loading Cucumber: it shares only names with the dry run's formatter", () => {
  const script = `
    require("./src/runner/run.ts");
    require("./src/runner/preflight.ts");
    const loaded = Object.keys(require.cache).filter((f) => /@cucumber[\\\\/]cucumber[\\\\/]/.test(f));
    process.stdout.write(JSON.stringify(loaded));`;
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script], {
    cwd: join(__dirname, "..", ".."),
    encoding: "utf8",
  });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), []);
});

test("findings the dry run did not send whole stop the run with one line (exit 2), never read as 'nothing found'", () => {
  const whole = {
    steps: { undefined: [], ambiguous: [], unreadable: [], unknownTargets: [], scenarios: 3 },
    tables: [],
    snippets: "",
  };
  assert.deepEqual(parseFindings(JSON.stringify(whole) + "\n"), whole);
  const text = JSON.stringify(whole);
  const broken = [
    "",
    text.slice(0, -1),
    "null",
    "[]",
    JSON.stringify({ ...whole, tables: undefined }),
    JSON.stringify({ ...whole, snippets: null }),
    JSON.stringify({ ...whole, steps: { ...whole.steps, scenarios: "3" } }),
    JSON.stringify({ ...whole, steps: { ...whole.steps, undefined: [1] } }),
    JSON.stringify({ ...whole, steps: { ...whole.steps, ambiguous: undefined } }),
  ];
  for (const input of broken)
    assert.throws(
      () => parseFindings(input),
      (err: unknown) =>
        err instanceof UsageError &&
        /dry run ended before it judged every scenario \(no scenario was run\)$/.test(err.message),
      JSON.stringify(input),
    );
});
