// Loads TypeScript sources at run time: ts-node in transpile-only mode (type-checking is `npm run typecheck`).
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
