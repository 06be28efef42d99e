#!/usr/bin/env node
// Checks the layering rules of .dependency-cruiser.js over src/ and steps/ (or the dirs given): exit 1 on a violation.
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
const dirs = process.argv.slice(2);
const cli = join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const res = spawnSync(
  process.execPath,
  [
    cli,
    ...(dirs.length ? dirs : ["src", "steps"]),
    "--config",
    join(root, ".dependency-cruiser.js"),
    "--output-type",
    "err",
  ],
  { stdio: "inherit", cwd: process.cwd() },
);
process.exit(res.status === 0 ? 0 : 1);
