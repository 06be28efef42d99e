// src/core/loaded-modules.ts: the modules a target's Cucumber process loaded, as it lists them for the runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mayLoadEsModules, readLoadedModules } from "../../src/core/loaded-modules";
import { SIGNOFF_ROOT } from "../../src/core/package";

test("every module loaded after the watch is listed, TypeScript and JSON too, even one that left require.cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-loaded-"));
  writeFileSync(
    join(dir, "step.ts"),
    'import { check } from "./helper";\nimport data from "./data.json";\ncheck(data.ok);\n',
  );
  // Gone from the cache as it loads: a snapshot of require.cache alone would not see it.
  writeFileSync(
    join(dir, "helper.ts"),
    "export function check(ok: boolean): void { if (!ok) throw new Error('no'); }\ndelete require.cache[__filename];\n",
  );
  writeFileSync(join(dir, "data.json"), '{ "ok": true }');
  const list = join(dir, "modules.json");
  const script = `
    const m = require(${JSON.stringify(join(SIGNOFF_ROOT, "src", "core", "loaded-modules.ts"))});
    m.watchModuleLoads();
    require(process.argv[1]);
    m.recordLoadedModules();`;
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script, join(dir, "step.ts")], {
    cwd: SIGNOFF_ROOT,
    encoding: "utf8",
    env: { ...process.env, SIGNOFF_LOADED_MODULES: list },
  });
  assert.equal(out.status, 0, out.stderr);
  const loaded = readLoadedModules(list)!;
  for (const f of ["step.ts", "helper.ts", "data.json"]) assert.ok(loaded.includes(join(dir, f)), `${f} listed`);
  assert.ok(
    loaded.some((f) => f.includes(`${join("node_modules", "ts-node")}`)),
    "and what loaded before the watch",
  );
  assert.deepEqual(loaded, [...loaded].sort());
  assert.equal(readFileSync(list, "utf8").startsWith("["), true);
});

test("with --import, ES modules too: an .mjs step file's own imports, which never enter require.cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-loaded-"));
  writeFileSync(join(dir, "steps.mjs"), 'import { check } from "./helper.mjs";\ncheck(true);\n');
  writeFileSync(join(dir, "helper.mjs"), "export function check(ok) { if (!ok) throw new Error('no'); }\n");
  const list = join(dir, "modules.json");
  const script = `
    const m = require(${JSON.stringify(join(SIGNOFF_ROOT, "src", "core", "loaded-modules.ts"))});
    m.watchModuleLoads(true);
    import(require("node:url").pathToFileURL(process.argv[1]).href)
      .then(() => new Promise((r) => setTimeout(r, 50)))
      .then(() => m.recordLoadedModules());`;
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script, join(dir, "steps.mjs")], {
    cwd: SIGNOFF_ROOT,
    encoding: "utf8",
    env: { ...process.env, SIGNOFF_LOADED_MODULES: list },
  });
  assert.equal(out.status, 0, out.stderr);
  const loaded = readLoadedModules(list)!;
  for (const f of ["steps.mjs", "helper.mjs"]) assert.ok(loaded.includes(join(dir, f)), `${f} listed`);
});

test("a --parallel worker lists what it loaded when it exits, beside the process's list; the runner reads both", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-loaded-"));
  writeFileSync(join(dir, "lazy.js"), "module.exports = 1;\n");
  const list = join(dir, "modules.json");
  writeFileSync(list, JSON.stringify(["/main/steps.js"]));
  const script = `
    require(${JSON.stringify(join(SIGNOFF_ROOT, "src", "core", "loaded-modules.ts"))}).listWorkerModulesOnExit();
    require(process.argv[1]); // as a step requires a helper lazily
    delete require.cache[process.argv[1]];
    process.exit(0);`;
  for (const worker of ["0", undefined]) {
    const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script, join(dir, "lazy.js")], {
      cwd: SIGNOFF_ROOT,
      encoding: "utf8",
      env: { ...process.env, SIGNOFF_LOADED_MODULES: list, CUCUMBER_WORKER_ID: worker },
    });
    assert.equal(out.status, 0, out.stderr);
  }
  const loaded = readLoadedModules(list)!;
  assert.ok(loaded.includes("/main/steps.js"));
  assert.ok(loaded.includes(join(dir, "lazy.js")), "the worker's lazy require");
  assert.equal(readdirSync(dir).filter((f) => f.includes(".worker-")).length, 1, "only the worker wrote a list");
  rmSync(list);
  assert.equal(readLoadedModules(list), undefined, "without the process's own list, none");
});

test("a list that is missing or not a list of paths is none", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-loaded-"));
  assert.equal(readLoadedModules(join(dir, "absent.json")), undefined);
  for (const bad of ["{", "{}", "[1]", "null"]) {
    writeFileSync(join(dir, "bad.json"), bad);
    assert.equal(readLoadedModules(join(dir, "bad.json")), undefined, bad);
  }
  writeFileSync(join(dir, "ok.json"), '["/a.js"]');
  assert.deepEqual(readLoadedModules(join(dir, "ok.json")), ["/a.js"]);
});

test("ES modules are watched when the run imports .mjs step files or the project is an ES module package", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-esm-"));
  try {
    const sub = join(dir, "features");
    mkdirSync(sub);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p" }));
    assert.equal(mayLoadEsModules(["node", "main"], sub), false);
    assert.equal(mayLoadEsModules(["node", "main", "--import", "x.mjs"], sub), true);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p", type: "module" }));
    assert.equal(mayLoadEsModules(["node", "main"], sub), true, "the nearest package.json, from a folder below it");
    writeFileSync(join(sub, "package.json"), "not json");
    assert.equal(mayLoadEsModules(["node", "main"], sub), true, "a file that is not JSON: the one above decides");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
