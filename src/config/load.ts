// Loads signoff.config.yaml (optional), validates it, and merges it over the defaults.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ValidateFunction } from "ajv";
import { yaml } from "../core/yaml";
import { didYouMean } from "../core/did-you-mean";
import { UsageError } from "../core/errors";
import { cannotRead } from "../core/input-file";
import { refuseLines } from "../core/refuse-lines";
import { schemaProblems } from "../core/schema-errors";
import { fieldWhere, problemLines, repeatedKey, type FieldWhere } from "../core/yaml-position";
import { BUILTIN_TARGETS, defaultConfig } from "./defaults";
import { CONFIG_SCHEMA, isHttpUrl } from "./schema";
import type { SignoffConfig, TargetSpec } from "./types";

export const DEFAULT_CONFIG_FILE = "signoff.config.yaml";

/** A YAML file read: its data, and where each of its fields is written. */
interface YamlFile {
  data: unknown;
  where: FieldWhere;
}

/** Reads a YAML file; a syntax error names file:line:col. */
function readYamlFile(file: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw cannotRead(file, "YAML file", err);
  }
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new UsageError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ""}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
    );
  }
  const repeated = repeatedKey(doc, lineCounter);
  if (repeated) throw new UsageError(`${file}:${repeated.line}:${repeated.col}: Map keys must be unique`);
  return { data: doc.toJS(), where: fieldWhere(file, doc, lineCounter) };
}

let compiled: ValidateFunction | undefined;
/** Compiled when a config file is first validated: Ajv's loading and compiling (~0.3 s) is not paid by `verify` or a gate without a config. */
function configValidator(): ValidateFunction {
  if (compiled) return compiled;
  const { default: AjvClass } = require("ajv") as typeof import("ajv");
  // verbose: errors carry their parentSchema, whose properties are what an unknown field is matched against.
  // allErrors: every mistake in the file is named in one run, not one per run.
  const ajv = new AjvClass({ allErrors: true, strict: true, verbose: true });
  ajv.addFormat("http-url", isHttpUrl);
  return (compiled = ajv.compile(CONFIG_SCHEMA));
}

/** Files or folders that mark a project's root: the search for a config upwards stops at the first one. */
const PROJECT_ROOT_MARKERS = ["package.json", ".git"];

/**
 * The signoff.config.yaml of the project `cwd` lies in, when `cwd` has none: the nearest one in a parent
 * folder up to the project's root, the nearest folder holding a package.json or .git (that folder included).
 * Outside any project (no such folder above) nothing is searched: a config in a home, /tmp or CI workspace
 * folder belongs to no project here, and a project root without a config means the defaults.
 */
export function configAbove(cwd = process.cwd()): string | undefined {
  const start = resolve(cwd);
  const isRoot = (dir: string) => PROJECT_ROOT_MARKERS.some((m) => existsSync(join(dir, m)));
  if (isRoot(start)) return undefined;
  const parents: string[] = [];
  for (let dir = start, parent = dirname(dir); parent !== dir; dir = parent, parent = dirname(dir)) {
    parents.push(parent);
    if (isRoot(parent)) break;
  }
  if (parents.length === 0 || !isRoot(parents[parents.length - 1])) return undefined;
  return parents.map((dir) => join(dir, DEFAULT_CONFIG_FILE)).find((candidate) => existsSync(candidate));
}

/** True when `config` is the built-in defaults: no config file was found or given. */
export function usesNoConfigFile(config: Pick<SignoffConfig, "source">): boolean {
  return config.source === defaultConfig().source;
}

/**
 * Loads `file`, else ./signoff.config.yaml, else the defaults. A config in a parent folder (run from
 * features/) is refused rather than ignored: the defaults would test the bundled app and write reports here.
 */
export function loadConfig(file?: string): SignoffConfig {
  const config = defaultConfig();
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) {
    const above = configAbove();
    if (above)
      throw new UsageError(
        `no ${DEFAULT_CONFIG_FILE} here, but ${relative(process.cwd(), above)} exists: run signoff from ${dirname(above)} (or pass --config)`,
      );
    return config;
  }
  if (file && !existsSync(file)) throw new UsageError(`${file}: config file not found`);
  const { data: read, where } = readYamlFile(path);
  const data = read ?? {};
  const validateConfig = configValidator();
  const problems = validateConfig(data) ? [] : schemaProblems(validateConfig.errors!, data);
  problems.push(...targetProblems(data));
  refuseLines(problemLines(problems, where));
  const user = data as Partial<Omit<SignoffConfig, "targets">> & {
    targets?: Record<string, Omit<TargetSpec, "name" | "browser"> & { browser?: "chromium" }>;
  };
  const targets = { ...config.targets };
  for (const [name, t] of Object.entries(user.targets ?? {})) {
    targets[name] = { browser: "chromium", ...t, name };
  }
  const merged: SignoffConfig = {
    ...config,
    ...user,
    source: path,
    targets,
    timeouts: { ...config.timeouts, ...user.timeouts },
    links: { ...config.links, ...user.links },
    properties: { ...config.properties, ...user.properties },
    pageHealth: { ...config.pageHealth, ...user.pageHealth },
  };
  return merged;
}

/**
 * What the schema cannot say about the targets, checked wherever the config's shape allows it (beside the schema's
 * own problems, so one run names them all):
 * - a built-in target's name means its driver and device everywhere: a gate policy that requires `pw-pixel7` requires a
 *   phone. A config may set its other fields (remote, isolation, …), not make the name mean another browser or device;
 * - every default target is one the config knows.
 */
function targetProblems(data: unknown): { field: string[]; text: string }[] {
  const config = (isObject(data) ? data : {}) as { targets?: unknown; defaultTargets?: unknown };
  const mine = isObject(config.targets) ? config.targets : {};
  const problems: { field: string[]; text: string }[] = [];
  for (const [name, t] of Object.entries(mine)) {
    const builtin = Object.hasOwn(BUILTIN_TARGETS, name) ? BUILTIN_TARGETS[name] : undefined;
    // A driver or device left out is the schema's to name (required), not a change of the built-in's.
    const kept = (given: unknown, its: string) => given === undefined || given === its;
    if (!builtin || !isObject(t) || (kept(t.driver, builtin.driver) && kept(t.device, builtin.device))) continue;
    problems.push({
      field: ["targets", name],
      text: `targets.${name}: ${name} is a built-in target (${builtin.driver} on ${builtin.device}); its driver and device cannot change — a gate policy that requires ${name} means that browser and device: give your target a name of its own`,
    });
  }
  const known = { ...BUILTIN_TARGETS, ...mine } as Record<string, TargetSpec>;
  const defaults = Array.isArray(config.defaultTargets) ? config.defaultTargets : [];
  defaults.forEach((name, i) => {
    if (typeof name === "string" && name !== "" && !Object.hasOwn(known, name))
      problems.push({ field: ["defaultTargets", String(i)], text: `defaultTargets: ${unknownTargets([name], known)}` });
  });
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A wait longer than the step it is in never ends as itself: the step's timeout cuts it short with Cucumber's
 * bare "function timed out" instead of the wait's own message (what it looked for, what the page has). Checked by
 * `signoff run` only: the gate and the report never wait, and an upgrade must not stop them.
 */
export function checkTimeouts({ source, timeouts }: Pick<SignoffConfig, "source" | "timeouts">): void {
  const { stepMs, actionMs, navigationMs } = timeouts;
  for (const [field, ms] of [
    ["actionMs", actionMs],
    ["navigationMs", navigationMs],
  ] as const)
    if (ms >= stepMs)
      throw new UsageError(
        `${source}: timeouts.${field} (${ms}) must be less than timeouts.stepMs (${stepMs}): the step's own timeout would cut the wait short`,
      );
}

/** `unknown target "pw-destkop" (did you mean "pw-desktop"?); known targets: …`: one wording wherever a name is looked up. */
export function unknownTargets(names: readonly string[], targets: Record<string, TargetSpec>): string {
  const known = Object.keys(targets);
  return `unknown target ${names.map((n) => `"${n}"${didYouMean(n, known)}`).join(", ")}; known targets: ${known.join(", ")}`;
}
