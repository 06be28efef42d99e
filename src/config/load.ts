// Loads signoff.config.yaml (optional), validates it, and merges it over the defaults.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import { yaml } from "../core/yaml";
import { didYouMean } from "../core/did-you-mean";
import { UsageError } from "../core/errors";
import { cannotRead } from "../core/input-file";
import { BUILTIN_TARGETS, defaultConfig } from "./defaults";
import { CONFIG_SCHEMA, isHttpUrl } from "./schema";
import type { SignoffConfig, TargetSpec } from "./types";

export const DEFAULT_CONFIG_FILE = "signoff.config.yaml";

/** Reads a YAML file into plain data; syntax errors name file:line:col. */
export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw cannotRead(file, "YAML file", err);
  }
  const doc = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new UsageError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ""}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
    );
  }
  return doc.toJS();
}

/** "unknown field", with the field of the same object it most likely meant ("baseURL" → "baseUrl"). */
function unknownField(name: string, parentSchema: unknown): string {
  const known = Object.keys((parentSchema as { properties?: object } | undefined)?.properties ?? {});
  return `unknown field "${name}"${didYouMean(name, known)}`;
}

/** A schema's own wording for a value that does not fit it (the config schema's `description`). */
function describedBy(schema: unknown): string | undefined {
  const d = (schema as { description?: unknown } | undefined)?.description;
  return typeof d === "string" ? d : undefined;
}

/** Ajv's first error as "field.path: message". */
export function validationMessage(file: string, errors: NonNullable<ReturnType<Ajv["compile"]>["errors"]>): string {
  const e = errors[0];
  const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  const detail =
    e.keyword === "additionalProperties"
      ? unknownField((e.params as { additionalProperty: string }).additionalProperty, e.parentSchema)
      : e.keyword === "enum"
        ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
        : e.keyword === "const"
          ? `must be ${String((e.params as { allowedValue: unknown }).allowedValue)}`
          : (e.keyword === "pattern" || e.keyword === "format" || e.keyword === "type") &&
              typeof describedBy(e.parentSchema) === "string"
            ? describedBy(e.parentSchema)
            : e.message;
  // A key refused by propertyNames (a header name): the error is about the key, so it names it.
  const key = (e as { propertyName?: string }).propertyName;
  return `${file}: ${field}: ${key === undefined ? "" : `"${key}" `}${detail}`;
}

let compiled: ValidateFunction | undefined;
/** Compiled when a config file is first validated: Ajv's loading and compiling (~0.3 s) is not paid by `verify` or a gate without a config. */
function configValidator(): ValidateFunction {
  if (compiled) return compiled;
  const { default: AjvClass } = require("ajv") as typeof import("ajv");
  // verbose: errors carry their parentSchema, whose properties are what an unknown field is matched against.
  const ajv = new AjvClass({ allErrors: false, strict: true, verbose: true });
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
  const data = readYamlFile(path) ?? {};
  const validateConfig = configValidator();
  if (!validateConfig(data)) throw new UsageError(validationMessage(path, validateConfig.errors!));
  const user = data as Partial<Omit<SignoffConfig, "targets">> & {
    targets?: Record<string, Omit<TargetSpec, "name" | "browser"> & { browser?: "chromium" }>;
  };
  const targets = { ...config.targets };
  for (const [name, t] of Object.entries(user.targets ?? {})) {
    targets[name] = { browser: "chromium", ...t, name };
    checkBuiltinKept(path, targets[name]);
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
  for (const name of merged.defaultTargets) {
    if (!targets[name]) throw new UsageError(`${path}: defaultTargets: ${unknownTargets([name], targets)}`);
  }
  return merged;
}

/**
 * A built-in target's name means its driver and device everywhere: a gate policy that requires `pw-pixel7` requires a
 * phone. A config may set its other fields (remote, isolation, …), not make the name mean another browser or device.
 */
function checkBuiltinKept(path: string, t: TargetSpec): void {
  const builtin = Object.hasOwn(BUILTIN_TARGETS, t.name) ? BUILTIN_TARGETS[t.name] : undefined;
  if (!builtin || (t.driver === builtin.driver && t.device === builtin.device)) return;
  throw new UsageError(
    `${path}: targets.${t.name}: ${t.name} is a built-in target (${builtin.driver} on ${builtin.device}); its driver and device cannot change — a gate policy that requires ${t.name} means that browser and device: give your target a name of its own`,
  );
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
