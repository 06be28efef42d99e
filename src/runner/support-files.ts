// What a target's Cucumber process loads: Signoff's support and generic steps from the installed package
// (absolute paths), then the project's own step files from the config, with the loader they need.
import { existsSync, statSync } from "node:fs";
import { dirname, extname, join, resolve, sep } from "node:path";
import { escape, globSync, hasMagic } from "glob";
import type { SignoffConfig } from "../config/types";
import { COMPILED, SIGNOFF_ROOT, frameworkSupportFiles } from "../core/package";
import { UsageError } from "../core/errors";

export interface SupportCode {
  /** Loaded first, with require (e.g. a TypeScript loader). Absolute paths. */
  requireModules: string[];
  /** Support and step files loaded with require, Signoff's first. Absolute paths. */
  requirePaths: string[];
  /** ES module step files (.mjs), loaded with import. Absolute paths. */
  importPaths: string[];
  /**
   * Whether undefined steps' snippets are TypeScript (snippet-syntax.ts): the project has a TypeScript step file,
   * or none yet (`signoff init` scaffolds TypeScript). A project whose step files are all JavaScript gets
   * Cucumber's own JavaScript snippets: a TypeScript one pasted into a .js file does not parse.
   */
  typescriptSnippets: boolean;
  /** The config's `steps` patterns that match no step file: named when a step is undefined (a step file elsewhere). */
  unmatchedSteps: string[];
}

const STEP_EXTENSIONS = new Set([".ts", ".cts", ".mts", ".js", ".cjs", ".mjs"]);
const TYPESCRIPT = new Set([".ts", ".cts", ".mts"]);
/**
 * What loads TypeScript step files when the config names no loader: ts-node (a dependency of Signoff, so always there),
 * transpile-only, through ts-loader.ts (with or without the project's tsconfig.json).
 */
export const DEFAULT_TS_LOADER = join(__dirname, "ts-loader");

/** Signoff's own step folders in its checkout (sources beside dist/): loaded once, as the framework's files. */
function isSignoffOwn(file: string): boolean {
  return ["generic", "support"].some((d) => file.startsWith(join(SIGNOFF_ROOT, "steps", d) + sep));
}

/** The project's step files matched by the config's globs, minus Signoff's own (this checkout lists them too). */
export function projectStepFiles(patterns: string[], cwd: string, exclude: Set<string>, source = "config"): string[] {
  return ownOf(
    patterns.flatMap((p) => stepFilesOf(p, cwd, source)),
    exclude,
  );
}

/** The files, once each and sorted, minus the excluded and Signoff's own. */
function ownOf(files: string[], exclude: Set<string>): string[] {
  return [...new Set(files)].filter((f) => !exclude.has(f) && !isSignoffOwn(f)).sort();
}

/** The step files one `steps` pattern matches (a folder: every step file below it). */
function stepFilesOf(pattern: string, cwd: string, source: string): string[] {
  const literal = !hasMagic(pattern);
  if (literal && !existsSync(resolve(cwd, pattern)))
    throw new UsageError(`${source}: steps: ${pattern}: no such file or directory`);
  const glob =
    literal && statSync(resolve(cwd, pattern)).isDirectory()
      ? `${escape(pattern.replace(/\/$/, ""), { windowsPathsNoEscape: true })}/**/*`
      : pattern;
  const matches = globSync(glob, {
    cwd,
    absolute: true,
    nodir: true,
    ignore: ["**/node_modules/**", "**/*.d.ts"],
  });
  return matches.filter((f) => STEP_EXTENSIONS.has(extname(f)));
}

/** A module name or path resolved from the project first, then from Signoff's own installation. */
function resolveModule(name: string, cwd: string, source: string): string {
  try {
    return require.resolve(name, { paths: [cwd, __dirname] });
  } catch {
    throw new UsageError(
      `${source}: requireModule: cannot find "${name}" from ${cwd} (install it: npm i -D ${name.split("/")[0].startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]})`,
    );
  }
}

export function supportCode(
  config: Pick<SignoffConfig, "steps" | "requireModule" | "source">,
  cwd = process.cwd(),
): SupportCode {
  const framework = frameworkSupportFiles();
  const byPattern = config.steps.map((p) => stepFilesOf(p, cwd, config.source));
  const own = ownOf(byPattern.flat(), new Set(framework));
  const wanted = config.requireModule ?? (own.some((f) => TYPESCRIPT.has(extname(f))) ? [DEFAULT_TS_LOADER] : []);
  // Running from the sources, Signoff's own TypeScript loads through src/register.js (ts-node with
  // swc; also in Cucumber's parallel workers, which load requireModules themselves); a second
  // ts-node would transpile every file twice.
  const tsNodeDir = COMPILED ? undefined : dirname(require.resolve("ts-node/package.json")) + sep;
  const ownLoader = COMPILED ? undefined : require.resolve(DEFAULT_TS_LOADER);
  const requireModules = wanted
    .map((m) => resolveModule(m, cwd, config.source))
    .filter((m) => !tsNodeDir || (!m.startsWith(tsNodeDir) && m !== ownLoader));
  return {
    requireModules: COMPILED ? requireModules : [join(SIGNOFF_ROOT, "src", "register.js"), ...requireModules],
    requirePaths: [...framework, ...own.filter((f) => extname(f) !== ".mjs")],
    importPaths: own.filter((f) => extname(f) === ".mjs"),
    typescriptSnippets: own.length === 0 || own.some((f) => TYPESCRIPT.has(extname(f))),
    unmatchedSteps: config.steps.filter((_, i) => byPattern[i].length === 0),
  };
}
