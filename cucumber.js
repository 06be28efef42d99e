// Cucumber profiles for this repository, so `npx cucumber-js` (-p signoff, -p pw-desktop, -p se-desktop, ...) runs features/
// on one target against the bundled example app. A project that installed Signoff writes
// `module.exports = require("signoff/cucumber").signoffProfiles();` instead (docs/api.md).
require("./src/register.js");
module.exports = require("./src/cucumber-profile.ts").signoffProfiles();
