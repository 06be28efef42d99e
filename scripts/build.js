#!/usr/bin/env node
// `npm run build`: compiles src/ and the shipped steps (steps/generic, steps/support) to dist/ with type declarations.
// dist/ is emptied first, so a file deleted from the sources never lingers in the package. The `yaml` library is
// bundled into one file beside them (src/core/yaml.ts says why).
const { readFileSync, rmSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const { dirname, join } = require("node:path");
const { buildSync } = require("esbuild");

const root = join(__dirname, "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const tsc = require.resolve("typescript/bin/tsc");
const res = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
  cwd: root,
});
if (res.status !== 0) process.exit(res.status ?? 1);

// Where src/core/yaml.ts looks for it (BUNDLED_YAML, compiled to dist/src/core/yaml.js).
const yamlDir = dirname(require.resolve("yaml/package.json"));
const { version } = JSON.parse(readFileSync(join(yamlDir, "package.json"), "utf8"));
buildSync({
  entryPoints: [require.resolve("yaml")],
  outfile: join(root, "dist", "src", "vendor", "yaml.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  banner: {
    js: `/*! yaml ${version}, bundled by Signoff's scripts/build.js. Its licence (ISC):\n\n${readFileSync(join(yamlDir, "LICENSE"), "utf8")}*/`,
  },
});
