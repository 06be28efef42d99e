// The policy/trust validators are compiled ahead of time; the committed code must match the schemas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { GENERATED_VALIDATORS, validatorsSource } from "../../scripts/generate-validators";

test("src/gate/schema-validators.generated.js is up to date with POLICY_SCHEMA and TRUST_SCHEMA (npm run generate:validators)", () => {
  assert.equal(readFileSync(GENERATED_VALIDATORS, "utf8"), validatorsSource());
});
