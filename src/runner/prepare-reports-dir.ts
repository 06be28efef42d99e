// A results dir made ready for new results (`signoff run`'s reports dir, `signoff merge --into`): an earlier run's results and what was made from them are gone.
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  type Stats,
} from "node:fs";
import { basename, join } from "node:path";
import { EnvironmentError, UsageError } from "../core/errors";
import { shownPath } from "../core/shown-path";
import { previousVerdictName, REPORT_OUTPUTS, VERDICT_FILE } from "../core/reports-dir";

/**
 * Reports dir ready and writable, old results gone (so they never show up as retries in Allure), and with them
 * what was made from them: `signoff report`'s outputs (a summary or JUnit file that says "all passed" must not
 * outlive the results it summed up) and the last verdict, moved aside so that `verify` of the default path
 * fails instead of promoting on results that are gone (see previousVerdictName). Only in a dir an earlier run
 * wrote (its run.json is there): `--reports .` must not delete a project's own summary.md, nor its messages/.
 */
export function prepareReportsDir(dir: string, what = "reports directory"): { messagesDir: string; allureDir: string } {
  const messagesDir = join(dir, "messages");
  const allureDir = join(dir, "allure-results");
  const earlier = existsSync(join(dir, "run.json"));
  if (!earlier) for (const sub of [messagesDir, allureDir]) refuseForeign(dir, sub, what);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    rmSync(messagesDir, { recursive: true, force: true });
    rmSync(allureDir, { recursive: true, force: true });
    if (earlier) clearEarlierRun(dir);
    mkdirSync(messagesDir, { recursive: true });
    mkdirSync(allureDir, { recursive: true });
  } catch (err) {
    throw new EnvironmentError(`${what} ${dir} is not writable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { messagesDir, allureDir };
}

/**
 * A messages/ or allure-results/ with something in it, in a dir no run of Signoff wrote (no run.json): someone else's
 * (`--reports .` in a project with its own messages/ of translations), never deleted.
 */
function refuseForeign(dir: string, sub: string, what: string): void {
  // None (or a path that cannot hold one, which the write then reports), or an empty directory: nothing to lose.
  let st: Stats;
  try {
    st = lstatSync(sub);
  } catch {
    return;
  }
  if (st.isDirectory() && isEmptyDir(sub)) return;
  throw new UsageError(
    `${what} ${dir}: ${basename(sub)} is not from a run of Signoff (there is no run.json beside it), so it is not deleted: give a new or empty directory, or remove ${sub}`,
  );
}

function isEmptyDir(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return true; // unreadable: the write reports it
  }
}

/** What prepareReportsDir removes and moves aside of an earlier run; one line says where its verdict went. */
function clearEarlierRun(dir: string): void {
  for (const output of Object.values(REPORT_OUTPUTS)) rmSync(join(dir, output), { recursive: true, force: true });
  const verdict = join(dir, VERDICT_FILE);
  if (!existsSync(verdict)) return;
  const name = previousVerdictName(statSync(verdict).mtime, (n) => existsSync(join(dir, n)));
  renameSync(verdict, join(dir, name));
  console.log(`The earlier run's verdict is now ${shownPath(join(dir, name))} (its results are replaced)`);
}
