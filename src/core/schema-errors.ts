// Ajv's validation errors as the one line a user can act on ("requirements[0]: must be string"), for every schema-checked file.
import type { ErrorObject } from "ajv";
import { didYouMean } from "./did-you-mean";

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
function describeSchemaError(e: ErrorObject): string {
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
export function pickError(errs: ErrorObject[]): string {
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
