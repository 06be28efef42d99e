// The layering rules (.dependency-cruiser.js) run by `npm test`: each forbidden import in a small tree is caught, a clean tree passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const LINT = join(__dirname, "..", "..", "scripts", "lint-deps.js");

/** A tiny project tree: path → source. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "signoff-layers-"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function lint(dir: string): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, [LINT], { cwd: dir, encoding: "utf8" });
  return { status: res.status, output: res.stdout + res.stderr };
}

const CLEAN = {
  "src/core/facts.ts": `export const FACT = 1;\n`,
  "src/results/read.ts": `import { FACT } from "../core/facts";\nexport const READ = FACT;\n`,
  "src/attest/sign.ts": `import { FACT } from "../core/facts";\nexport const SIGN = FACT;\n`,
  "src/browser/session.ts": `export interface BrowserSession { url(): string }\n`,
  "src/world.ts": `export const WORLD = 1;\n`,
  "src/runner/run.ts": `import { READ } from "../results/read";\nimport { SIGN } from "../attest/sign";\nexport const RUN = READ + SIGN;\n`,
  "src/gate/gate.ts": `import { READ } from "../results/read";\nexport const GATE = READ;\n`,
  "src/report/report.ts": `import { READ } from "../results/read";\nexport const REPORT = READ;\n`,
  "src/cli.ts": `import { RUN } from "./runner/run";\nimport { GATE } from "./gate/gate";\nimport { REPORT } from "./report/report";\nexport const ALL = RUN + GATE + REPORT;\n`,
  "steps/support/helper.ts": `import { FACT } from "../../src/core/facts";\nexport const HELP = FACT;\n`,
  "steps/generic/a.steps.ts": `import type { BrowserSession } from "../../src/browser/session";\nimport { WORLD } from "../../src/world";\nimport { HELP } from "../support/helper";\nexport const A: Partial<BrowserSession> = {};\nexport const B = WORLD + HELP;\n`,
};

test("a tree that keeps the layers passes", () => {
  const dir = tree(CLEAN);
  try {
    const r = lint(dir);
    assert.equal(r.status, 0, r.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const BAD: Array<[string, Record<string, string>, string]> = [
  [
    "runner importing gate",
    { "src/runner/bad.ts": `import { GATE } from "../gate/gate";\nexport const X = GATE;\n` },
    "no-runner-to-other-areas",
  ],
  [
    "gate importing runner",
    { "src/gate/bad.ts": `import { RUN } from "../runner/run";\nexport const X = RUN;\n` },
    "no-gate-to-other-areas",
  ],
  [
    "report importing gate",
    { "src/report/bad.ts": `import { GATE } from "../gate/gate";\nexport const X = GATE;\n` },
    "no-report-to-other-areas",
  ],
  [
    "an area importing cli.ts",
    { "src/gate/bad.ts": `import { ALL } from "../cli";\nexport const X = ALL;\n` },
    "no-import-of-cli",
  ],
  [
    "core importing an area",
    { "src/core/bad.ts": `import { READ } from "../results/read";\nexport const X = READ;\n` },
    "core-is-the-bottom",
  ],
  [
    "results importing the gate",
    { "src/results/bad.ts": `import { GATE } from "../gate/gate";\nexport const X = GATE;\n` },
    "results-imports-core-only",
  ],
  [
    "attest importing the runner",
    { "src/attest/bad.ts": `import { RUN } from "../runner/run";\nexport const X = RUN;\n` },
    "attest-imports-core-only",
  ],
  [
    "the gate importing a browser",
    {
      "src/gate/bad.ts": `import type { BrowserSession } from "../browser/session";\nexport type X = BrowserSession;\n`,
    },
    "gate-never-imports-browser",
  ],
  [
    "a step importing a driver adapter",
    {
      "src/browser/playwright.ts": `export const PW = 1;\n`,
      "steps/generic/bad.steps.ts": `import { PW } from "../../src/browser/playwright";\nexport const X = PW;\n`,
    },
    "steps-import-world-port-core",
  ],
  [
    "a step importing the runner",
    { "steps/support/bad.ts": `import { RUN } from "../../src/runner/run";\nexport const X = RUN;\n` },
    "steps-import-world-port-core",
  ],
  [
    "a cycle",
    {
      "src/core/one.ts": `import { TWO } from "./two";\nexport const ONE = TWO;\n`,
      "src/core/two.ts": `import { ONE } from "./one";\nexport const TWO = () => ONE;\n`,
    },
    "no-circular",
  ],
];

for (const [what, files, rule] of BAD) {
  test(`${what} fails the check (${rule})`, () => {
    const dir = tree({ ...CLEAN, ...files });
    try {
      const r = lint(dir);
      assert.equal(r.status, 1, r.output);
      assert.match(r.output, new RegExp(`\\b${rule}\\b`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
