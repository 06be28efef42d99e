// A local chromedriver in its own process group, so stopping it stops every Chrome it started (POSIX).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { browserEnv } from "./browser-temp";
import { recordGroup } from "./process-groups";
import type { Socket } from "node:net";
import { Agent, type ClientRequest } from "node:http";

/** How long chromedriver may take to say which port it listens on. */
const START_TIMEOUT_MS = 30_000;
/**
 * How many times a chromedriver that exits before it is ready is started. With port 0 it takes a free IPv4
 * port, then binds the same port on IPv6, and exits ("IPv6 port not available") when another process holds
 * that: the next try takes another port. An executable that is not chromedriver fails every time, and says so.
 */
const START_ATTEMPTS = 3;

/** Chromedriver exited before it said it was ready: what is worth one more start. */
class ExitedEarlyError extends Error {}

export interface LocalChromedriver {
  /** http://127.0.0.1:PORT, for selenium-webdriver's HTTP executor. */
  url: string;
  /** Kills chromedriver and every process it started (Chrome and its helpers); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts chromedriver on a free loopback port. It leads a new process group (detached), and Chrome
 * and its helpers inherit that group, so one signal to the group reaches them all on Linux and macOS
 * without scanning /proc; Windows, which has no process groups, uses `taskkill /T` on the tree.
 */
export async function startChromedriver(executable: string): Promise<LocalChromedriver> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(executable);
    } catch (err) {
      if (!(err instanceof ExitedEarlyError) || attempt === START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(executable: string): Promise<LocalChromedriver> {
  const child = spawn(executable, ["--port=0"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: browserEnv(),
  });
  const unrecord = recordGroup(child.pid);
  const killOnExit = () => killTree(child);
  process.once("exit", killOnExit);
  try {
    const port = await announcedPort(child);
    child.unref();
    (child.stdout as Socket).unref();
    (child.stderr as Socket).unref();
    return {
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        process.off("exit", killOnExit);
        await stopTree(child);
        unrecord();
      },
    };
  } catch (err) {
    process.off("exit", killOnExit);
    await stopTree(child);
    unrecord();
    throw err;
  }
}

/**
 * The port from chromedriver's "started successfully on port N." line; it keeps draining its output after.
 * Before that, what it wrote to either stream is kept: a chromedriver that exits says why on its last line.
 */
function announcedPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => done(new Error(`chromedriver did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    let said = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const m = /started successfully on port (\d+)/.exec(seen);
      if (m) done(undefined, Number(m[1]));
    };
    const onErrData = (chunk: Buffer) => void (said += chunk.toString("utf8"));
    // "close", not "exit": its output is read to the end by then.
    const onExit = (code: number | null, signal: string | null) => {
      // Its last line on each stream: which of the two came last cannot be told.
      const why = [lastLine(seen), lastLine(said)].filter(Boolean).join(" / ");
      const how = signal ?? `exit code ${code}`;
      done(new ExitedEarlyError(`chromedriver exited before it was ready (${how})${why ? `: ${why}` : ""}`));
    };
    const onError = (err: Error) => done(new Error(`chromedriver could not be started: ${err.message}`));
    function done(err?: Error, port?: number) {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onErrData);
      child.off("close", onExit);
      child.off("error", onError);
      child.stdout!.resume();
      child.stderr!.resume();
      if (err) reject(err);
      else resolve(port!);
    }
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onErrData);
    child.once("close", onExit);
    child.once("error", onError);
  });
}

/** The last non-empty line chromedriver wrote, short: why it stopped, when it says. */
function lastLine(output: string): string {
  const line = output.trim().split("\n").pop()?.trim() ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32")
      spawnSync("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore" });
    else process.kill(-child.pid, "SIGKILL");
  } catch {
    // the group is gone already
  }
}

/** Kills the group and waits (briefly) until chromedriver itself is reaped. */
async function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Referenced again while waiting: an unreferenced child's exit would not keep this process alive to see it.
  child.ref();
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  killTree(child);
  await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
  clearTimeout(timer);
}

/**
 * The HTTP agent for a local chromedriver: node's global agent's settings, and `onSent` called once the
 * first request (the new session) is written to the socket. A request is written only when this thread
 * gets back to the event loop, which loading modules holds up (launch.ts, prelaunchUnderway).
 */
export function firstRequestSentAgent(onSent: () => void = () => undefined): Agent {
  let first = true;
  return new (class extends Agent {
    addRequest(req: ClientRequest, options: object): void {
      if (first) {
        first = false;
        let told = false;
        const tell = () => (told ? undefined : ((told = true), onSent()));
        req.once("finish", tell).once("close", tell); // sent, or it never will be
      }
      // @ts-expect-error addRequest is node's own (not in the typings), what http.request calls
      super.addRequest(req, options);
    }
  })({ keepAlive: true, scheduling: "lifo", timeout: 5_000 }); // node's global agent's, which selenium-webdriver uses otherwise
}
