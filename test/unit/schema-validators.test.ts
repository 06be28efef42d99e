// The policy/trust validators and Cucumber's message schema are compiled ahead of time; the committed code must match the schemas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  GENERATED_MANIFEST_VALIDATOR,
  GENERATED_MESSAGES_VALIDATOR,
  manifestValidatorSource,
  GENERATED_VALIDATORS,
  messagesValidatorSource,
  validatorsSource,
} from "../../scripts/generate-validators";

test("src/gate/schema-validators.generated.js is up to date with POLICY_SCHEMA and TRUST_SCHEMA (npm run generate:validators)", () => {
  assert.equal(readFileSync(GENERATED_VALIDATORS, "utf8"), validatorsSource());
});

test("src/results/messages-validator.generated.js is up to date with the message schema of @cucumber/cucumber's @cucumber/messages (npm run generate:validators)", () => {
  assert.equal(readFileSync(GENERATED_MESSAGES_VALIDATOR, "utf8"), messagesValidatorSource());
});

test("src/core/manifest-validator.generated.js is up to date with RUN_MANIFEST_SCHEMA (npm run generate:validators)", () => {
  assert.equal(readFileSync(GENERATED_MANIFEST_VALIDATOR, "utf8"), manifestValidatorSource());
});
