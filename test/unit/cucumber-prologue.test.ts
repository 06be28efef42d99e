// A target's Cucumber process runs its prologue before Cucumber loads, whichever transpiler built it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const MAIN = join(ROOT, "src", "runner", "cucumber-main.ts");

function loadsPrologueFirst(js: string): void {
  const prologue = js.indexOf('require("./cucumber-prologue")');
  const cucumber = js.indexOf('require("@cucumber/cucumber/api")');
  assert.ok(prologue >= 0 && cucumber >= 0, "both modules are required");
  assert.ok(prologue < cucumber, "the prologue is required before Cucumber");
}

test("cucumber-main requires the prologue before Cucumber: swc (the checkout) and tsc (the package)", () => {
  const source = readFileSync(MAIN, "utf8");
  // The checkout's transpiler: swc moves every import above the statements.
  const swc = require("ts-node").create({ transpileOnly: true, swc: true, project: join(ROOT, "tsconfig.json") });
  loadsPrologueFirst(swc.compile(source, MAIN));
  loadsPrologueFirst(
    ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } })
      .outputText,
  );
});

test("after the prologue, Cucumber's step matching runs on the engine's own match indices", () => {
  const script = `
    const prologue = require("./src/runner/cucumber-prologue.ts");
    const { CucumberExpression, ParameterTypeRegistry } = require("@cucumber/cucumber-expressions");
    require("@cucumber/cucumber/api");
    const args = new CucumberExpression("I open {string} twice", new ParameterTypeRegistry()).match('I open "x" twice');
    process.stdout.write(JSON.stringify({ installed: prologue.nativeMatchIndices, value: args[0].getValue(null) }));`;
  const out = execFileSync(process.execPath, ["-r", "./src/register.js", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, SIGNOFF_PRELAUNCH: "" },
  });
  assert.deepEqual(JSON.parse(out), { installed: true, value: "x" });
});
