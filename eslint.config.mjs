// ESLint flat config: typescript-eslint's recommended rules; the overrides below say why each one exists.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // .signoff/ holds run outputs and scratch copies (git-ignored), never Signoff's code.
  {
    ignores: ["node_modules/**", "dist/**", "reports/**", ".signoff/**", "**/*.generated.js", "examples/**/public/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // The package is CommonJS; `require(x) as typeof import(x)` defers loading a module until a command
      // needs it, which keeps start-up short. Static imports remain the rule everywhere else.
      "@typescript-eslint/no-require-imports": "off",
      // `const self = this` lets an object literal's methods reach the instance that builds it; `const world = this`
      // hands a step's World to the callbacks a property run makes.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["self", "world"] }],
    },
  },
  {
    // Plain CommonJS entry points and example servers: require() is how they load modules.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    // Browser-side code runs in the page, not in node.
    files: ["examples/**/public/**/*.js", "src/browser/in-page/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests read parsed JSON and build deliberately malformed inputs, and assert on control characters.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "no-control-regex": "off" },
  },
);
