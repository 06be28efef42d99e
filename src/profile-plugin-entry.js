// What Cucumber imports as Signoff's plugin: CommonJS, so that in a checkout `require` reaches the TypeScript source through ts-node (Cucumber loads plugins with import(), which knows no .ts).
module.exports = require("./profile-plugin").default;
