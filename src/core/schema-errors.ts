// Ajv's validation errors as the one line a user can act on ("requirements[0]: must be string"), for every schema-checked file.
import type { ErrorObject } from "ajv";
import { didYouMean } from "./did-you-mean";

/** "/requiredTargets/1" → ["requiredTargets", "1"] */
function pathParts(instancePath: string): string[] {
  return instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * ["requiredTargets", "1"] → "requiredTargets[1]"; a key that is not a plain name is quoted: headers["x bypass"]. With
 * the validated value (`root`), a map's key of digits is quoted too (targets["123"]): only a list's place is [1].
 */
function fieldName(parts: readonly string[], root?: unknown): string {
  let out = "";
  let node = root;
  for (const p of parts) {
    const index = /^[0-9]+$/.test(p) && (root === undefined || Array.isArray(node));
    if (index) out += `[${p}]`;
    else if (/^[0-9]+$/.test(p) || !/^[A-Za-z0-9_-]+$/.test(p)) out += `[${JSON.stringify(p)}]`;
    else out += out ? `.${p}` : p;
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[p] : undefined;
  }
  return out || "(top level)";
}

function fieldPath(instancePath: string, root: unknown, extra?: string): string {
  return fieldName(extra === undefined ? pathParts(instancePath) : [...pathParts(instancePath), extra], root);
}

/** The field an error is about: a key the error names (unknown, missing, refused) is part of it. */
function fieldOf(e: ErrorObject): string[] {
  const named =
    e.propertyName ??
    (e.keyword === "additionalProperties"
      ? String(e.params.additionalProperty)
      : e.keyword === "required"
        ? String(e.params.missingProperty)
        : undefined);
  return named === undefined ? pathParts(e.instancePath) : [...pathParts(e.instancePath), named];
}

/** A schema's own wording for what a value must be (its `description`), when it has one. */
function describedBy(e: ErrorObject): string | undefined {
  const d = (e.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof d === "string" ? d : undefined;
}

/** One ajv error → "field: message" in words a user can act on. */
function describeSchemaError(e: ErrorObject, root: unknown): string {
  // propertyNames errors are about a key, not a value: name the key.
  if (e.propertyName !== undefined) {
    const desc = (e.parentSchema as { description?: string })?.description;
    return `${fieldPath(e.instancePath, root, e.propertyName)}: ${desc ?? `invalid key (${e.message})`}`;
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return `${fieldPath(e.instancePath, root, name)}: unknown field${didYouMean(name, known)}`;
    }
    case "required":
      return `${fieldPath(e.instancePath, root, String(e.params.missingProperty))}: required field is missing`;
    case "enum":
      return `${fieldPath(e.instancePath, root)}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${fieldPath(e.instancePath, root)}: ${describedBy(e) ?? `must be ${JSON.stringify(e.params.allowedValue)}`}`;
    case "uniqueItems":
      return `${fieldPath(e.instancePath, root)}: items must be unique (items ${e.params.j} and ${e.params.i} are equal)`;
    case "pattern":
      return `${fieldPath(e.instancePath, root)}: ${describedBy(e) ?? `must match ${e.params.pattern}`}`;
    case "minLength":
      return `${fieldPath(e.instancePath, root)}: ${e.params.limit === 1 ? "must not be empty" : `must be at least ${e.params.limit} characters long`}`;
    case "minItems":
      return `${fieldPath(e.instancePath, root)}: must list at least ${e.params.limit === 1 ? "one item" : `${e.params.limit} items`}`;
    case "type":
    case "format":
      return `${fieldPath(e.instancePath, root)}: ${describedBy(e) ?? e.message}`;
    default:
      return `${fieldPath(e.instancePath, root)}: ${e.message}`;
  }
}

/**
 * The most useful of ajv's errors: the deepest field wins ("requirements[0]: must be string"); on a tie a
 * described oneOf ("must be \"all\" or a list…") beats its branches' partial complaints.
 */
export function pickError(errs: ErrorObject[], root?: unknown): string {
  if (errs.length === 0) return "invalid";
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const max = Math.max(...errs.map(depth));
  const deepest = errs.filter((e) => depth(e) === max);
  const named = errs.find((e) => e.propertyName !== undefined && e.keyword !== "propertyNames");
  if (named) return describeSchemaError(named, root);
  const described = deepest.find(
    (e) =>
      (e.keyword === "oneOf" || e.keyword === "anyOf") && (e.parentSchema as { description?: string })?.description,
  );
  if (described)
    return `${fieldPath(described.instancePath, root)}: ${(described.parentSchema as { description: string }).description}`;
  return describeSchemaError(deepest.find((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf") ?? deepest[0], root);
}

/**
 * Every field Ajv found wrong (validated with allErrors), one problem each, in the order Ajv met them, with the field's
 * path (to find its line). An `if`'s "must match then", an undescribed oneOf/anyOf and propertyNames' own "property
 * name must be valid" add nothing the errors beside or beneath them do not say. A described oneOf/anyOf speaks for its
 * branches, unless a branch complains deeper than it (the value has that branch's shape: `requirements[1]: must be
 * string` says more than `requirements: must be "all" or a list…`); the complaints at its own field then drop.
 */
export function schemaProblems(errs: readonly ErrorObject[], root?: unknown): { field: string[]; text: string }[] {
  const alternatives = (e: ErrorObject) => e.keyword === "oneOf" || e.keyword === "anyOf";
  const under = (e: ErrorObject, p: string) => e.instancePath.startsWith(`${p}/`);
  const described = errs.filter((e) => alternatives(e) && describedBy(e)).map((e) => e.instancePath);
  const shaped = described.filter((p) => errs.some((e) => under(e, p)));
  const keyNamed = errs.some((e) => e.propertyName !== undefined && e.keyword !== "propertyNames");
  const said = errs.filter(
    (e) =>
      e.keyword !== "if" &&
      !(alternatives(e) && !describedBy(e)) &&
      !(e.keyword === "propertyNames" && keyNamed) &&
      !shaped.includes(e.instancePath),
  );
  const groups = new Map<string, { field: string[]; errs: ErrorObject[] }>();
  for (const e of said.length > 0 ? said : errs) {
    const field = fieldOf(e);
    const key = JSON.stringify(field);
    const group = groups.get(key) ?? groups.set(key, { field, errs: [] }).get(key)!;
    group.errs.push(e);
  }
  return [...groups.values()].map((g) => ({ field: g.field, text: pickError(g.errs, root) }));
}
