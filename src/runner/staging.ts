// Staging: probe a given base URL, or start the bundled example app; read the build it serves.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildIdentity } from "../config/types";
import { EnvironmentError } from "../errors";
import { SIGNOFF_ROOT } from "../version";

export const BUNDLED_APP = join(SIGNOFF_ROOT, "examples", "visitor-counter", "server.js");

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "no answer (timed out)";
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** One GET that must answer below 500 within the timeout, or staging is unreachable (exit 3). */
export async function probeStaging(baseUrl: string, timeoutMs = 10_000): Promise<void> {
  let res: Response;
  try {
    res = await fetch(baseUrl, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
  } catch (err) {
    throw new EnvironmentError(`staging unreachable: GET ${baseUrl} failed: ${causeOf(err)}`);
  }
  if (res.status >= 500) throw new EnvironmentError(`staging unhealthy: GET ${baseUrl} answered ${res.status}`);
}

/** The build identity staging serves; an error string when it serves none (the gate decides what that means). */
export async function observeBuild(baseUrl: string, endpoint: string, timeoutMs = 10_000): Promise<{ build: BuildIdentity | null; error?: string }> {
  const url = new URL(endpoint, baseUrl).toString();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { build: null, error: `GET ${url} answered ${res.status}` };
    const body = (await res.json()) as Partial<BuildIdentity>;
    if (typeof body.name !== "string" || typeof body.version !== "string" || !/^sha256:[0-9a-f]{64}$/.test(String(body.digest))) {
      return { build: null, error: `GET ${url}: not a build identity {name, version, digest: "sha256:<64 hex>"}` };
    }
    return { build: { name: body.name, version: body.version, digest: body.digest! } };
  } catch (err) {
    return { build: null, error: `GET ${url} failed: ${causeOf(err)}` };
  }
}

export interface RunningApp {
  baseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts an app script with `--port 0` and waits for its "listening on http://..." line.
 * `onSpawn` hands the process out at once, so a caller interrupted mid-start can still stop it.
 */
export async function startApp(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  onSpawn?: (child: ChildProcess) => void,
): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "signoff-app-"));
  const child = spawn(process.execPath, [script, "--port", "0", "--data-dir", dataDir, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  onSpawn?.(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // never leave a half-started app behind
      reject(new EnvironmentError(`${script} did not start within 15 s: ${stderr.trim()}`));
    }, 15_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] + "/");
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new EnvironmentError(`${script} exited with ${code} before listening: ${stderr.trim()}`));
    });
  });
  return {
    baseUrl,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
