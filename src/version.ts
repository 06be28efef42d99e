// The running Signoff version, read once from package.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";

let cached: string | undefined;
export function toolVersion(): string {
  cached ??= JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version as string;
  return cached!;
}

/** Root of the Signoff installation (where package.json, cucumber.js and steps/ live). */
export const SIGNOFF_ROOT = join(__dirname, "..");
