// What Cucumber imports as the terminal's progress formatter: CommonJS, so that in a checkout `require` reaches the TypeScript source through ts-node (Cucumber loads formatters with import(), which knows no .ts).
module.exports = require("./progress-formatter").default;
