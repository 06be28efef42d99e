// Process groups a target's workers start (chromedriver's, Playwright's Chromium), recorded so the runner can end them.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A directory the runner gives each Cucumber process: a worker records there each process group it starts, so
 * the runner can end them if it has to kill the worker (which then cannot). chromedriver and Playwright's
 * Chromium both lead a group of their own (spawned detached), so the target's group does not reach them.
 */
export const PROCESS_GROUPS_ENV = "SIGNOFF_PROCESS_GROUPS";

/** Records the group `pid` leads; the returned function removes the record (call it once the group ended). */
export function recordGroup(pid: number | undefined): () => void {
  const dir = process.env[PROCESS_GROUPS_ENV];
  if (!dir || pid === undefined || process.platform === "win32") return () => undefined;
  const file = join(dir, String(pid));
  try {
    writeFileSync(file, "");
  } catch {
    return () => undefined; // the runner is gone; nothing will read it
  }
  return () => rmSync(file, { force: true });
}

/** SIGKILL to every process group recorded in `dir` (see PROCESS_GROUPS_ENV). */
export function killRecordedGroups(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
