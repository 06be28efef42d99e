// Cucumber configuration. `signoff run` uses the "signoff" profile and adds the target's formatters,
// tags and world parameters; the default profile lets `npx cucumber-js` work on its own too.
const signoff = {
  require: ["steps/**/*.ts"],
  requireModule: ["ts-node/register/transpile-only"],
};

module.exports = {
  signoff,
  default: { ...signoff, paths: ["features/**/*.feature"], format: ["progress"] },
};
