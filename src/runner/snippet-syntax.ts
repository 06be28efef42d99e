// Undefined steps' snippets in TypeScript, importing from Signoff as a project's step files do: Cucumber's `formatOptions.snippetSyntax`, for `signoff run` and the profiles.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SIGNOFF_ROOT } from "../core/package";

/** What Cucumber loads as `snippetSyntax`: the entry it can import in a checkout too (snippet-syntax-entry.js). */
export const SNIPPET_SYNTAX = join(__dirname, "snippet-syntax-entry.js");

/** What Cucumber's CucumberExpressionGenerator hands a snippet syntax (@cucumber/cucumber-expressions' GeneratedExpression). */
interface GeneratedExpression {
  readonly source: string;
  readonly parameterNames: readonly string[];
  /** The parameter type's JavaScript type by name ("Number", "String", …), or null when it names none. */
  readonly parameterInfos: ReadonlyArray<{ readonly type: string | null }>;
}

interface SnippetOptions {
  comment: string;
  functionName: string;
  generatedExpressions: readonly GeneratedExpression[];
  /** "dataTable" or "docString" when the step has that argument. */
  stepParameterNames: readonly string[];
}

/** The built-in parameter types' JavaScript types, in TypeScript; a project's own type names none and is `unknown`. */
const TS_TYPES: Readonly<Record<string, string>> = {
  Number: "number",
  String: "string",
  BigInt: "bigint",
  Boolean: "boolean",
};

/** A step's table or doc string, as the step receives it. */
const ARGUMENT_TYPES: Readonly<Record<string, string>> = { dataTable: "DataTable", docString: "string" };

let packageName: string | undefined;

/** The name steps import from: this package's own (init's scaffold and docs/api.md say `from "signoff"`). */
function importedFrom(): string {
  packageName ??= JSON.parse(readFileSync(join(SIGNOFF_ROOT, "package.json"), "utf8")).name as string;
  return packageName;
}

/** A generated parameter name as a TypeScript identifier (a project's parameter type may be named `my-type`). */
function identifier(name: string): string {
  const id = name.replace(/[^\w$]/g, "_");
  return /^\d/.test(id) ? `_${id}` : id;
}

/**
 * One snippet: the import line it needs, then the definition, `this` typed as the World, each parameter typed.
 * Every snippet carries its own import line, so any one of them pastes into a new step file as it is (several in
 * one file need only one). Cucumber's snippetInterface (synchronous unless set) is not followed: Signoff's steps
 * are async functions, as in docs/api.md and init's example.
 */
export default class TypeScriptSnippetSyntax {
  build({ comment, functionName, generatedExpressions, stepParameterNames }: SnippetOptions): string {
    const imports = [functionName, ...(stepParameterNames.includes("dataTable") ? ["type DataTable"] : [])];
    const header = `import { ${[...imports, "type SignoffWorld"].join(", ")} } from "${importedFrom()}";\n\n`;
    // Like Cucumber's own syntax: the first expression as code, any other one it could be as a comment below it.
    const definitions = generatedExpressions.map((expression, i) => {
      const parameters = [
        "this: SignoffWorld",
        ...expression.parameterNames.map(
          (name, j) => `${identifier(name)}: ${TS_TYPES[expression.parameterInfos[j]?.type ?? ""] ?? "unknown"}`,
        ),
        ...stepParameterNames.map((name) => `${name}: ${ARGUMENT_TYPES[name] ?? "unknown"}`),
      ];
      const line = `${functionName}(${JSON.stringify(expression.source)}, async function (${parameters.join(", ")}) {`;
      return `${i === 0 ? "" : "// "}${line}\n`;
    });
    return `${header}${definitions.join("")}  // ${comment}\n  return "pending";\n});`;
  }
}

/** A snippet's own import line, as build() writes it. */
const IMPORT_LINE = /^import \{ ([^}]*) \} from ("[^"]*");\n\n/;

/**
 * Several snippets as one step file: one import line with every name they use (each snippet carries its own,
 * so that a single one pastes as it is; pasted together, a name imported twice does not compile: TS2300).
 * `output` is the snippets as Cucumber's snippets formatter prints them: separated by a blank line (each has one of its own too,
 * after its import line, so they are told apart by where an import line starts).
 */
export function asOneStepFile(output: string): string {
  const snippets = output.split(/\n\n(?=import \{ )/);
  const names = new Set<string>();
  let from: string | undefined;
  const bodies = snippets.map((snippet) => {
    const m = IMPORT_LINE.exec(snippet);
    if (!m || (from !== undefined && m[2] !== from)) return snippet;
    from = m[2];
    for (const name of m[1].split(", ")) names.add(name);
    return snippet.slice(m[0].length);
  });
  if (from === undefined) return output;
  // The step functions first, then the types: the order build() writes them in.
  const ordered = [...names].sort((a, b) => Number(a.startsWith("type ")) - Number(b.startsWith("type ")));
  return `import { ${ordered.join(", ")} } from ${from};\n\n${bodies.join("\n\n")}`;
}
