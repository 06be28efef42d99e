#!/usr/bin/env node
// The `signoff` command: loads the TypeScript CLI through ts-node (transpile-only).
require("../src/register.js");
require("../src/cli.ts").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`signoff: ${err && err.stack ? err.stack : err}`); process.exitCode = 2; },
);
