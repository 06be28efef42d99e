// Where this Signoff installation lives, its version, and the support files it loads into Cucumber.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { shownPath } from "./shown-path";

/** The package root: the nearest folder above this file with package.json (src/ in a checkout, dist/src/ installed). */
function findRoot(from: string): string {
  for (let dir = from, i = 0; i < 4; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new Error(`Signoff's package.json not found above ${from}`);
}

/** Root of the Signoff installation (package.json, examples/, and steps/ or dist/steps/). */
export const SIGNOFF_ROOT = findRoot(join(__dirname, ".."));

/**
 * True when this code runs compiled (dist/, as installed from npm); false when it runs from the
 * TypeScript sources through ts-node (this repository's checkout).
 */
export const COMPILED = extname(__filename) === ".js";

/** Where Signoff's own code lives: dist/ when compiled, the root when running the sources. */
export const CODE_ROOT = COMPILED ? join(__dirname, "..", "..") : SIGNOFF_ROOT;

/** One of Signoff's docs as a path from the working directory: docs/steps.md here, node_modules/signoff/docs/… installed. */
export function docPath(name: string): string {
  return shownPath(join(SIGNOFF_ROOT, "docs", name));
}

let cachedVersion: string | undefined;
/** The running Signoff version, read once from package.json. */
export function toolVersion(): string {
  cachedVersion ??= JSON.parse(readFileSync(join(SIGNOFF_ROOT, "package.json"), "utf8")).version as string;
  return cachedVersion!;
}

/** Every code file in one of Signoff's step folders (the folder is the unit: a new generic step file ships by being there). */
function codeFiles(folder: string): string[] {
  const dir = join(CODE_ROOT, "steps", folder);
  const ext = COMPILED ? ".js" : ".ts";
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => join(dir, f));
}

/** Signoff's own support code (World, hooks, parameter types) then its generic steps, by absolute path. */
export function frameworkSupportFiles(): string[] {
  return [...codeFiles("support"), ...codeFiles("generic")];
}
