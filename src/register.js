// Loads TypeScript sources at run time: ts-node in transpile-only mode (type-checking is `npm run typecheck`),
// transpiling with swc: TypeScript's own transpiler costs ≈ 1.3 s of start-up in every process (the CLI,
// each Cucumber worker, the gate), swc ≈ 0.2 s (bench/RESULTS.md).
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  swc: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
