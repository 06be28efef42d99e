// What judged the build: the project's own modules Cucumber loaded (the step definition files its messages name, and
// every file of the project its processes loaded with them), the lock file, Signoff's version.
import { createReadStream, existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { createHash } from "node:crypto";
import { SIGNOFF_ROOT, toolVersion } from "./package";
import { readInputFile } from "./input-file";
import { shownPath } from "./shown-path";
import { escapeControl } from "./safe-text";

export interface FileDigest {
  path: string;
  sha256: string;
}

export interface JudgedBy {
  /**
   * Every file of the project's own code that the target's Cucumber processes loaded to run the steps (outside the
   * install folders: see judgedBy): the files that defined a step, hook or parameter type, and every module they
   * required, TypeScript and JSON included (the generic steps and Signoff's sources too when Signoff runs from its
   * own checkout inside the project), and one digest over them. None is a valid set only with a lock file: a
   * project using only an installed Signoff's steps is bound by it and Signoff's version.
   */
  stepDefinitions: { digest: string; files: FileDigest[] };
  /**
   * The project's lock file (found from the working directory upward), when there is one; its path relative to the
   * run's working directory, so shards run in checkouts at other paths record the same thing (merge compares them).
   */
  lockFile?: FileDigest;
  /** The Signoff that ran, and the sha256 of its package.json. */
  signoff: { version: string; packageJsonSha256: string };
}

const isHex = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

/** A path and its SHA-256, as hostile input gives it (null and other shapes are not). */
function isFileDigest(x: unknown): x is FileDigest {
  const f = x as Partial<FileDigest> | null | undefined;
  return typeof f === "object" && f !== null && typeof f.path === "string" && isHex(f.sha256);
}

/** Does a manifest's judgedBy (hostile input at the gate) have the shape and digests the evidence needs? */
export function isJudgedBy(x: unknown): x is JudgedBy {
  const j = x as Partial<JudgedBy> | undefined;
  return (
    typeof j === "object" &&
    j !== null &&
    isHex(j.stepDefinitions?.digest) &&
    Array.isArray(j.stepDefinitions?.files) &&
    j.stepDefinitions.files.every(isFileDigest) &&
    j.stepDefinitions.digest === combinedDigest(j.stepDefinitions.files) &&
    typeof j.signoff?.version === "string" &&
    isHex(j.signoff.packageJsonSha256) &&
    (j.lockFile === undefined || isFileDigest(j.lockFile)) &&
    // No step file of the project's own: only the lock file binds the installed ones that judged the build.
    (j.stepDefinitions.files.length > 0 || j.lockFile !== undefined)
  );
}

/** Lock files in the order npm, yarn and pnpm would honour them. */
export const LOCK_FILES = ["npm-shrinkwrap.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml"];

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Envelopes whose source decides how a step behaves: its definition, the hooks around it, the parameter types that read its arguments. */
const SUPPORT_CODE_KINDS = ["stepDefinition", "hook", "parameterType"] as const;

/**
 * The source uris of the support code a Cucumber messages file names (step definitions, hooks, parameter
 * types): whatever loaded them (a profile, --require, --import, an installed package), Cucumber names each
 * one's source here.
 */
export async function stepDefinitionUris(messagesFile: string): Promise<string[]> {
  const uris = new Set<string>();
  const lines = createInterface({ input: createReadStream(messagesFile), crlfDelay: Infinity });
  for await (const line of lines) {
    const kind = SUPPORT_CODE_KINDS.find((k) => line.startsWith(`{"${k}"`));
    if (!kind) continue;
    const uri = (JSON.parse(line) as Record<string, { sourceReference?: { uri?: unknown } } | undefined>)[kind]
      ?.sourceReference?.uri;
    if (typeof uri === "string") uris.add(uri);
  }
  return [...uris];
}

/** sha256 over "<sha256>  <path>\n" lines sorted by path (sha256sum's format): one digest for the set. */
export function combinedDigest(files: FileDigest[]): string {
  return sha256(
    [...files]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .join(""),
  );
}

export function findLockFile(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const found = LOCK_FILES.map((f) => join(dir, f)).find(existsSync);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * `<dir>/node_modules/` for the project's folder and each folder above it, up to the lock file's (or the root), and
 * where each one is on disk when it is a link to a folder outside the project (a CI cache or a build tool's sandbox
 * links it in): Node names a module by its real path, so an installed package's files are named there. A link into
 * the project (or to a folder holding it) is not followed: the project's own files there would go unhashed.
 */
function installFolders(cwd: string, lock: string | undefined, project: string): string[] {
  const out: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const folder = join(dir, "node_modules");
    out.push(folder + sep);
    const real = realFolder(folder);
    if (real && real !== folder && !overlaps(real, project)) out.push(real + sep);
    if ((lock && dir === dirname(lock)) || dirname(dir) === dir) return out;
  }
}

/** Is either folder the other or inside it? */
function overlaps(a: string, b: string): boolean {
  const within = (x: string, y: string) => x === y || x.startsWith(y.endsWith(sep) ? y : y + sep);
  return within(a, b) || within(b, a);
}

function realFolder(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined; // none there
  }
}

/** No lock file is this large (a big monorepo's is tens of MB): a file that is, is not one, and is not read. */
export const MAX_LOCK_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The project's lock file (found from `cwd` upward) and its digest; undefined when there is none. Read as a regular
 * file within MAX_LOCK_FILE_BYTES (src/core/input-file.ts): a FIFO or a link to /dev/zero there would block the
 * read forever, and with it the signal handlers of the run it is for. Anything but such a file is a UsageError
 * naming it. Called before a run starts, so that such a lock file stops it there.
 */
export function lockFileDigest(cwd: string = process.cwd()): FileDigest | undefined {
  const lock = findLockFile(cwd);
  if (!lock) return undefined;
  return {
    path: relative(resolve(cwd), lock).split(sep).join("/"),
    sha256: sha256(readInputFile(shownPath(lock), { what: "lock file", maxBytes: MAX_LOCK_FILE_BYTES })),
  };
}

/** A file that judged the build, read to be hashed: an error names it (a run's message quotes the error). */
function readStepFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new StepFileUnreadableError(path, err as NodeJS.ErrnoException);
  }
}

/** A step definition file or a module it loaded could not be read to be hashed (the run cannot name what judged). */
export class StepFileUnreadableError extends Error {
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`cannot read ${escapeControl(shownPath(path))} (${cause.code ?? cause.message})`, { cause });
    this.name = "StepFileUnreadableError";
  }
}

/** A path as run.json records it: relative to the run's folder, with forward slashes. */
function runPath(cwd: string, path: string): string {
  return relative(resolve(cwd), resolve(cwd, path)).split(sep).join("/");
}

/**
 * The project's own modules among the files a Cucumber process loaded (absolute paths, as its module cache names
 * them), relative to `cwd`: those inside the project — the lock file's folder when there is one (a monorepo's
 * root: a workspace package the steps import is the project's code too), else `cwd` — and outside `installed`
 * (the node_modules folders that the lock file and Signoff's version bind). Signoff's own files in an installed
 * package are under one of those; a Signoff checkout elsewhere is bound by its version, one inside the project is
 * the project's code (its sources judged the build as much as the project's steps did).
 */
export function projectModules(
  loaded: Iterable<string>,
  cwd: string,
  root: string,
  installed: readonly string[],
): string[] {
  const top = resolve(root);
  const inside = top.endsWith(sep) ? top : top + sep;
  const own = new Set<string>();
  for (const file of loaded) {
    // Not a file's path (a virtual module's id): nothing on disk to hash.
    if (!isAbsolute(file)) continue;
    const abs = resolve(file);
    if (abs.startsWith(inside) && !installed.some((m) => abs.startsWith(m))) own.add(runPath(cwd, abs));
  }
  return [...own].sort();
}

/**
 * Step definition uris are relative to `cwd` (Cucumber's convention) unless absolute; `loaded` lists the files the
 * target processes loaded (src/core/loaded-modules.ts), absolute. `lockFile` is the lock file as lockFileDigest
 * read it when the run started (null: there was none); when not given, it is read now.
 */
export function judgedBy(
  stepUris: Iterable<string>,
  cwd: string = process.cwd(),
  lockFile: FileDigest | null = lockFileDigest(cwd) ?? null,
  loaded: Iterable<string> = [],
): JudgedBy {
  const lock = lockFile ? resolve(cwd, lockFile.path) : undefined;
  // Installed packages (an installed Signoff's steps, allure's hooks, whose uris may even name source-mapped
  // files that are not there) are bound by the lock file and Signoff's version instead: those in the node_modules
  // folder of the project or of a folder above it, where npm installs and Node resolves them, and those Node
  // resolves for Signoff itself (its own folder and those above it: a checkout, or an install outside the project).
  // A node_modules folder anywhere else (support/node_modules/…) is the project's own code, and hashed.
  const project = realFolder(lock ? dirname(lock) : cwd) ?? resolve(lock ? dirname(lock) : cwd);
  const modules = [...installFolders(cwd, lock, project), ...installFolders(SIGNOFF_ROOT, undefined, project)];
  const steps = [...new Set(stepUris)].filter((path) => !modules.some((m) => resolve(cwd, path).startsWith(m)));
  // A step file Cucumber names is hashed wherever it is; the modules loaded with it, when inside the project.
  const own = new Set([
    ...steps.map((path) => runPath(cwd, path)),
    ...projectModules(loaded, cwd, lock ? dirname(lock) : cwd, modules),
  ]);
  const files = [...own].sort().map((path) => ({ path, sha256: sha256(readStepFile(resolve(cwd, path))) }));
  return {
    stepDefinitions: { digest: combinedDigest(files), files },
    ...(lockFile ? { lockFile } : {}),
    signoff: { version: toolVersion(), packageJsonSha256: sha256(readFileSync(join(SIGNOFF_ROOT, "package.json"))) },
  };
}
