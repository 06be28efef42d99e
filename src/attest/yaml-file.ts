// Shared loading of the gate's YAML files (policy, trust): parse + JSON-schema validate, a line per mistake.
import type { ValidateFunction } from "ajv";
import { yaml } from "../core/yaml";
import { UsageError } from "../core/errors";
import { schemaProblems } from "../core/schema-errors";
import { refuseLines } from "../core/refuse-lines";
import { fieldWhere, problemLines, repeatedKey } from "../core/yaml-position";

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

/** Aliases a policy or trust file may expand: far more than any real one uses. */
export const MAX_ALIAS_COUNT = 100;

/** Reads YAML text (no duplicate keys, no aliases surprises) and validates it against the named schema. */
export function parseYamlWithSchema<T>(text: string, file: string, schema: SchemaName): T {
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    throw new UsageError(`${file}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`);
  }
  const repeated = repeatedKey(doc, lineCounter);
  if (repeated) throw new UsageError(`${file}:${repeated.line}:${repeated.col}: Map keys must be unique`);
  let data: unknown;
  try {
    // An alias bomb ("billion laughs") stops here: yaml refuses documents that expand too many aliases.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new UsageError(`${file}: ${String((err as Error).message ?? err).split("\n")[0]}`);
  }
  const validate = validatorFor(schema);
  // Every mistake at once (the validators are compiled with allErrors), each at its line, as a config's.
  if (!validate(data))
    refuseLines(problemLines(schemaProblems(validate.errors ?? [], data), fieldWhere(file, doc, lineCounter)));
  return data as T;
}
