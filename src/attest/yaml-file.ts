// Shared loading of the gate's YAML files (policy, trust): parse + JSON-schema validate, one-line errors.
import type { ErrorObject, ValidateFunction } from "ajv";
import { LineCounter, parseDocument } from "yaml";
import { didYouMean } from "../core/did-you-mean";
import { UsageError } from "../core/errors";

/**
 * The schemas' validators, compiled ahead of time by Ajv (scripts/generate-validators.ts): compiling
 * them at start-up was most of a cold `signoff verify`. Compiled with `verbose`, so errors carry
 * parentSchema, whose description gives friendlier messages.
 */
export type SchemaName = "policy" | "trust";
function validatorFor(name: SchemaName): ValidateFunction {
  // require(), not import: plain generated JavaScript, loaded only when a file is validated.
  const validators = require("./schema-validators.generated") as Record<SchemaName, ValidateFunction>;
  return validators[name];
}

/** "/requiredTargets/1" → "requiredTargets[1]" */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^[0-9]+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "(top level)";
}

/** One ajv error → "field: message" in words a user can act on. */
export function describeSchemaError(e: ErrorObject): string {
  // propertyNames errors are about a key, not a value: name the key.
  if (e.propertyName !== undefined) {
    const desc = (e.parentSchema as { description?: string })?.description;
    return `${fieldPath(e.instancePath, e.propertyName)}: ${desc ?? `invalid key (${e.message})`}`;
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return `${fieldPath(e.instancePath, name)}: unknown field${didYouMean(name, known)}`;
    }
    case "required":
      return `${fieldPath(e.instancePath, String(e.params.missingProperty))}: required field is missing`;
    case "enum":
      return `${fieldPath(e.instancePath)}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${fieldPath(e.instancePath)}: must be ${JSON.stringify(e.params.allowedValue)}`;
    case "uniqueItems":
      return `${fieldPath(e.instancePath)}: items must be unique (items ${e.params.j} and ${e.params.i} are equal)`;
    case "pattern":
      return `${fieldPath(e.instancePath)}: ${(e.parentSchema as { description?: string })?.description ?? `must match ${e.params.pattern}`}`;
    default:
      return `${fieldPath(e.instancePath)}: ${e.message}`;
  }
}

/**
 * The most useful of ajv's errors: the deepest field wins ("requirements[0]: must be string"); on a tie a
 * described oneOf ("must be \"all\" or a list…") beats its branches' partial complaints.
 */
function pickError(errs: ErrorObject[]): string {
  if (errs.length === 0) return "invalid";
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const max = Math.max(...errs.map(depth));
  const deepest = errs.filter((e) => depth(e) === max);
  const named = errs.find((e) => e.propertyName !== undefined && e.keyword !== "propertyNames");
  if (named) return describeSchemaError(named);
  const described = deepest.find(
    (e) =>
      (e.keyword === "oneOf" || e.keyword === "anyOf") && (e.parentSchema as { description?: string })?.description,
  );
  if (described)
    return `${fieldPath(described.instancePath)}: ${(described.parentSchema as { description: string }).description}`;
  return describeSchemaError(deepest.find((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf") ?? deepest[0]);
}

/** Aliases a policy or trust file may expand: far more than any real one uses. */
export const MAX_ALIAS_COUNT = 100;

/** Reads YAML text (no duplicate keys, no aliases surprises) and validates it against the named schema. */
export function parseYamlWithSchema<T>(text: string, file: string, schema: SchemaName): T {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    throw new UsageError(`${file}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`);
  }
  let data: unknown;
  try {
    // An alias bomb ("billion laughs") stops here: yaml refuses documents that expand too many aliases.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new UsageError(`${file}: ${String((err as Error).message ?? err).split("\n")[0]}`);
  }
  const validate = validatorFor(schema);
  if (!validate(data)) {
    throw new UsageError(`${file}: ${pickError(validate.errors ?? [])}`);
  }
  return data as T;
}
