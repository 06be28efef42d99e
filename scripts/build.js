#!/usr/bin/env node
// `npm run build`: compiles src/ and the shipped steps (steps/generic, steps/support) to dist/ with type declarations.
// dist/ is emptied first, so a file deleted from the sources never lingers in the package.
const { rmSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const tsc = require.resolve("typescript/bin/tsc");
const res = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
  cwd: root,
});
process.exit(res.status ?? 1);
