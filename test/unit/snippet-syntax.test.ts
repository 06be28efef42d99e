// Undefined steps' snippets: TypeScript importing from "signoff", `this` the World, each parameter typed, and what is printed compiles against Signoff's API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { CucumberExpressionGenerator, ParameterType, ParameterTypeRegistry } from "@cucumber/cucumber-expressions";
import TypeScriptSnippetSyntax, { asOneStepFile } from "../../src/runner/snippet-syntax";

const ROOT = join(__dirname, "..", "..");

/** The snippet Cucumber would print for a step text (its own expression generator, its built-in parameter types). */
function snippet(functionName: string, text: string, stepParameterNames: string[] = []): string {
  const registry = new ParameterTypeRegistry();
  // A project's own parameter type: it names no JavaScript type.
  registry.defineParameterType(new ParameterType("colour", /red|green/, null, (s: string) => s, true, false));
  const generatedExpressions = new CucumberExpressionGenerator(() => registry.parameterTypes).generateExpressions(text);
  return new TypeScriptSnippetSyntax().build({
    comment: "Write code here that turns the phrase above into concrete actions",
    functionName,
    generatedExpressions,
    stepParameterNames,
  });
}

test("a snippet is TypeScript: the import line from signoff, this typed as SignoffWorld, typed parameters, async", () => {
  assert.equal(
    snippet("When", 'I add 3 "mugs" to the cart'),
    'import { When, type SignoffWorld } from "signoff";\n\n' +
      'When("I add {int} {string} to the cart", async function (this: SignoffWorld, int: number, string: string) {\n' +
      '// When("I add {float} {string} to the cart", async function (this: SignoffWorld, float: number, string: string) {\n' +
      "  // Write code here that turns the phrase above into concrete actions\n" +
      '  return "pending";\n' +
      "});",
  );
  assert.match(
    snippet("Given", "a red cart", ["dataTable"]),
    /^import \{ Given, type DataTable, type SignoffWorld \} from "signoff";\n\nGiven\("a \{colour\} cart", async function \(this: SignoffWorld, colour: unknown, dataTable: DataTable\) \{\n/,
  );
  assert.match(
    snippet("Then", 'the note says "a \\ b"', ["docString"]),
    /^Then\("the note says \{string\}", async function \(this: SignoffWorld, string: string, docString: string\) \{$/m,
  );
  // Quotes and backslashes in the expression stay what Cucumber generated once the string literal is read.
  assert.match(
    snippet("Then", "the price is (about) 5/6"),
    /^Then\("the price is \\\\\(about\) \{int\}\\\\\/\{int\}"/m,
  );
});

test("the snippets type-check against Signoff's own declarations (strict), one by one and all in one step file", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-snippets-"));
  try {
    const each = [
      snippet("When", 'I add 3 "mugs" to the cart'),
      snippet("Given", "a red cart", ["dataTable"]),
      snippet("Then", "the note says", ["docString"]),
      snippet("Then", "the price is (about) 5/6"),
    ];
    // And all of them as `signoff run` prints them together: one step file.
    const files = [...each, asOneStepFile(each.join("\n\n"))].map((text, i) => {
      const file = join(dir, `s${i}.steps.ts`);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      resolveJsonModule: true,
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules", "@types")],
      // "signoff" as a project resolves it: this checkout's public API.
      paths: { signoff: [join(ROOT, "src", "index.ts")] },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(d.file.fileName))
      .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("several snippets print as one step file: one import line with every name, each body once", () => {
  const output = [
    snippet("When", 'I add 3 "mugs" to the cart'),
    snippet("Then", "the cart should be empty"),
    snippet("Given", "a red cart", ["dataTable"]),
  ].join("\n\n");
  const file = asOneStepFile(output);
  assert.equal(file.match(/^import /gm)?.length, 1, file);
  assert.match(file, /^import \{ When, Then, Given, type SignoffWorld, type DataTable \} from "signoff";\n\nWhen\(/);
  for (const step of [
    'When("I add {int} {string} to the cart"',
    'Then("the cart should be empty"',
    'Given("a {colour} cart"',
  ])
    assert.equal(file.split(step).length, 2, `${step} once in:\n${file}`);
  // Cucumber's other output (none of Signoff's snippets) passes through as it is.
  assert.equal(asOneStepFile("no snippets here"), "no snippets here");
});
