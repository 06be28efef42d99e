// `signoff init`: scaffolds a Signoff project in a directory; never overwrites a file, lists what it skipped.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { EXIT, EnvironmentError } from "../core/errors";
import { DEFAULT_CONFIG_FILE as CONFIG_FILE } from "../config/load";
import { EXAMPLES, GITIGNORE_LINES, TEMPLATES } from "./templates";

export interface InitResult {
  created: string[];
  skipped: string[];
  /** Examples not written because the project is set up already (it has its config file). */
  omitted: string[];
  /** Files that existed and gained lines (.gitignore). */
  updated: string[];
}

/** Writes a file only if nothing is there ("wx": even a file appearing meanwhile is not overwritten). */
function createOnce(file: string, content: string): boolean {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, content, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

export function scaffold(dir: string): InitResult {
  const result: InitResult = { created: [], skipped: [], omitted: [], updated: [] };
  const setUp = existsSync(join(dir, CONFIG_FILE));
  try {
    for (const [path, content] of Object.entries(TEMPLATES)) {
      if (setUp && EXAMPLES.has(path)) {
        if (!existsSync(join(dir, path))) result.omitted.push(path);
        else result.skipped.push(path);
        continue;
      }
      (createOnce(join(dir, path), content) ? result.created : result.skipped).push(path);
    }
    const gitignore = join(dir, ".gitignore");
    const had = existsSync(gitignore) ? readFileSync(gitignore, "utf8") : undefined;
    const present = new Set((had ?? "").split(/\r?\n/).map((l) => l.trim()));
    const missing = GITIGNORE_LINES.filter((l) => !present.has(l));
    if (had === undefined) {
      writeFileSync(gitignore, missing.join("\n") + "\n", { flag: "wx" });
      result.created.push(".gitignore");
    } else if (missing.length > 0) {
      appendFileSync(gitignore, (had.endsWith("\n") || had === "" ? "" : "\n") + missing.join("\n") + "\n");
      result.updated.push(".gitignore");
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new EnvironmentError(`cannot write in ${dir}: ${e.code ?? e.message}${e.path ? ` (${e.path})` : ""}`);
  }
  return result;
}

/**
 * A Signoff installed from a tarball outside the project (`file:../signoff-0.1.0.tgz`): the CI workflow init writes
 * runs `npm ci`, which cannot reach it. The line that says so, or undefined.
 */
export function installOutsideProject(dir: string): string | undefined {
  let manifest: { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  } catch {
    return undefined; // no package.json, or not JSON: npm says so itself
  }
  const spec = manifest.devDependencies?.signoff ?? manifest.dependencies?.signoff;
  const local = typeof spec === "string" ? /^(file|link):(.*)$/.exec(spec) : null;
  if (!local) return undefined;
  const where = relative(dir, resolve(dir, local[2]));
  if (where !== ".." && !where.startsWith(`..${sep}`) && !isAbsolute(where)) return undefined;
  return (
    `Note: package.json installs signoff from ${spec}, outside this project, where the CI workflow's "npm ci" cannot ` +
    `reach it: copy it into the project (e.g. vendor/signoff-<version>.tgz) and install it from there, or from a registry.`
  );
}

export function initCommand(dir: string): number {
  const r = scaffold(dir);
  const where = relative(process.cwd(), dir) || ".";
  console.log(
    `signoff init: ${r.created.length} file(s) created in ${where}${r.skipped.length ? `, ${r.skipped.length} skipped (they exist; not changed)` : ""}`,
  );
  for (const f of r.created) console.log(`  created  ${f}`);
  for (const f of r.updated) console.log(`  updated  ${f} (added ${GITIGNORE_LINES.join(", ")} where missing)`);
  for (const f of r.skipped) console.log(`  skipped  ${f} (exists)`);
  for (const f of r.omitted) console.log(`  omitted  ${f} (an example; this project has ${CONFIG_FILE} already)`);
  const cd = where === "." ? "" : `cd ${where} && `;
  console.log(
    [
      "",
      "Next:",
      r.created.includes(CONFIG_FILE)
        ? `  ${cd}npx signoff run                 # the example feature on pw-desktop and se-desktop, against the bundled example app`
        : `  ${cd}npx signoff run                 # your features on the config's default targets`,
      "  npx signoff run --base-url https://staging.example.com/   # your staging (or set baseUrl in signoff.config.yaml)",
      "  npx signoff report              # reports/allure-report/index.html, reports/summary.md",
      "  npx cucumber-js -p signoff      # the same features with Cucumber's own CLI, on one target",
      "Then write your acceptance criteria in features/ (steps: node_modules/signoff/docs/steps.md) and your own steps in steps/",
      "(node_modules/signoff/docs/api.md). The gate and sign-offs: node_modules/signoff/docs/gate.md; CI: .github/workflows/signoff.yml.",
    ].join("\n"),
  );
  const note = installOutsideProject(dir);
  if (note) console.log(note);
  return EXIT.ok;
}
