// What Cucumber imports as the preflight's formatter: CommonJS, so that in a checkout `require` reaches the TypeScript source through ts-node (Cucumber loads formatters with import(), which knows no .ts).
module.exports = require("./preflight-formatter").default;
