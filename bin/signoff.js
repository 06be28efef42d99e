#!/usr/bin/env node
// The `signoff` command: the compiled CLI (dist/) as installed, or the TypeScript sources in a checkout.
// The rule: sources win whenever they are present (this repository), so a stale dist/ is never run there;
// SIGNOFF_DIST=1 runs dist/ even in a checkout (to try the build before packing).
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const fromSources = existsSync(join(root, "src", "cli.ts")) && process.env.SIGNOFF_DIST !== "1";
if (fromSources) require("../src/register.js");
const cli = fromSources ? require("../src/cli.ts") : require("../dist/src/cli.js");
cli.main(process.argv).then(
  (code) => cli.exitWith(code),
  (err) => cli.exitWith(cli.reportCrash(err)),
);
