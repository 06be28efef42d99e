// A results dir made ready for new results (`signoff run`'s reports dir, `signoff merge --into`): an earlier run's results and what was made from them are gone.
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentError } from "../core/errors";
import { shownPath } from "../core/shown-path";
import { previousVerdictName, REPORT_OUTPUTS, VERDICT_FILE } from "../core/reports-dir";

/**
 * Reports dir ready and writable, old results gone (so they never show up as retries in Allure), and with them
 * what was made from them: `signoff report`'s outputs (a summary or JUnit file that says "all passed" must not
 * outlive the results it summed up) and the last verdict, moved aside so that `verify` of the default path
 * fails instead of promoting on results that are gone (see previousVerdictName). Only in a dir an earlier run
 * wrote (its run.json is there): `--reports .` must not delete a project's own summary.md.
 */
export function prepareReportsDir(dir: string, what = "reports directory"): { messagesDir: string; allureDir: string } {
  const messagesDir = join(dir, "messages");
  const allureDir = join(dir, "allure-results");
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    rmSync(messagesDir, { recursive: true, force: true });
    rmSync(allureDir, { recursive: true, force: true });
    if (existsSync(join(dir, "run.json"))) clearEarlierRun(dir);
    mkdirSync(messagesDir, { recursive: true });
    mkdirSync(allureDir, { recursive: true });
  } catch (err) {
    throw new EnvironmentError(`${what} ${dir} is not writable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { messagesDir, allureDir };
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
