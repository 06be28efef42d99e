// What Cucumber imports as `snippetSyntax`: CommonJS, so that in a checkout `require` reaches the TypeScript source through ts-node (Cucumber loads it with import(), which knows no .ts).
module.exports = require("./snippet-syntax").default;
