// Which modules a target's Cucumber process (and its --parallel workers) loaded: what judged the build is every
// module of the project's own code that ran, not only the files that defined steps (src/core/judged-by.ts). Loaded
// by cucumber-main before Cucumber, by the workers with Signoff's support code (steps/support/parallel.ts).
import Module, { register } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";

/** The file (a path the runner chose) where a target's Cucumber process lists the modules it loaded. */
export const LOADED_MODULES_ENV = "SIGNOFF_LOADED_MODULES";

/** Every file loaded since watchModuleLoads: kept here, so a module that deletes itself from require.cache counts. */
const loads = new Set<string>();

interface LoadableModule {
  load(filename: string): void;
}

/**
 * Records each file node's CommonJS loader loads from now on (JavaScript, TypeScript through ts-node or swc, JSON):
 * `Module.prototype.load` is where every one of them goes, whatever extension handler then compiles it. With `esm`
 * (the run imports ES module step files: `--import`), ES modules too, which never enter require.cache: a module
 * loader hook, on node's hooks thread, posts each URL it loads here. Only then: the hooks thread costs start-up time.
 */
export function watchModuleLoads(esm = false): void {
  const proto = (Module as unknown as { prototype: LoadableModule }).prototype;
  const load = proto.load;
  proto.load = function (this: LoadableModule, filename: string) {
    loads.add(filename);
    return load.call(this, filename);
  };
  if (esm) watchEsModuleLoads();
}

/**
 * Whether ES modules of the project may load, so the hook must watch them too: the run imports ES module step files
 * (`--import`), or the project is an ES module package (`"type": "module"` in the package.json nearest the working
 * directory: its `.js` helpers are ES modules whoever imports them). Not covered without either: a CommonJS step's
 * `import()` of an `.mjs` helper (the hook costs start-up time, so it is not always there).
 */
export function mayLoadEsModules(argv: readonly string[] = process.argv, cwd: string = process.cwd()): boolean {
  if (argv.includes("--import")) return true;
  for (let dir = cwd; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: unknown }).type === "module";
    } catch {
      // no package.json here (or not JSON): the one above decides
    }
    if (dirname(dir) === dir) return false;
  }
}

/** The loader hook: every URL it loads goes to the port the process gave it. */
const ESM_HOOK = `let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`;

function watchEsModuleLoads(): void {
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (url: unknown) => {
    if (typeof url === "string" && url.startsWith("file:")) loads.add(fileURLToPath(url));
  });
  port1.unref(); // it must not keep the process alive
  // A data: URL, not a file beside this one: the build compiles src/ and copies nothing else.
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOK)}`, {
    data: { port: port2 },
    transferList: [port2],
  });
}

/** The files loaded so far: those recorded as they loaded, and those in the module cache (loaded before the watch). */
export function loadedFiles(): string[] {
  return [...new Set([...loads, ...Object.keys(require.cache)])].sort();
}

/**
 * Writes the list where the runner asked (LOADED_MODULES_ENV); called once the support code loaded and again when
 * the run ended (a scenario may require a module lazily). One line on stderr when it cannot: the runner, finding
 * no list, records no judgedBy rather than one that leaves the project's modules out.
 */
export function recordLoadedModules(file: string | undefined = process.env[LOADED_MODULES_ENV]): void {
  if (!file) return;
  try {
    writeFileSync(file, JSON.stringify(loadedFiles()));
  } catch (err) {
    console.error(
      `signoff: cannot list the modules this target loaded: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/**
 * In a --parallel worker (Cucumber sets CUCUMBER_WORKER_ID): records the modules it loads from now on, and lists them
 * beside the target process's list when it exits (Cucumber's workers end with process.exit). Its scenarios run here,
 * not in the target's process: a module a step requires lazily is loaded only here.
 */
export function listWorkerModulesOnExit(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[LOADED_MODULES_ENV];
  if (!file || env.CUCUMBER_WORKER_ID === undefined) return;
  watchModuleLoads(mayLoadEsModules());
  process.once("exit", () => recordLoadedModules(`${file}${WORKER_SUFFIX}${process.pid}`));
}

const WORKER_SUFFIX = ".worker-";

/** One list, as a process wrote it; undefined when it is not a list of paths. */
function readList(file: string): string[] | undefined {
  try {
    const list = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return Array.isArray(list) && list.every((f) => typeof f === "string") ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files a target's process listed, with those its --parallel workers listed; undefined when the process wrote no
 * list (it never loaded its support code) or not a list of paths.
 */
export function readLoadedModules(file: string): string[] | undefined {
  const own = readList(file);
  if (!own) return undefined;
  const all = new Set(own);
  let names: string[] = [];
  try {
    names = readdirSync(dirname(file));
  } catch {
    // the folder went with the list: no worker lists either
  }
  for (const name of names)
    if (name.startsWith(basename(file) + WORKER_SUFFIX))
      for (const f of readList(join(dirname(file), name)) ?? []) all.add(f);
  return [...all].sort();
}
