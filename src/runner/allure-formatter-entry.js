// What Cucumber imports as the Allure formatter: CommonJS, so that in a checkout `require` reaches the TypeScript source through ts-node (Cucumber loads formatters with import(), which knows no .ts).
module.exports = require("./allure-formatter").default;
