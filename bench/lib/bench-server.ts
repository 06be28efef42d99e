// Starts bench/lib/server.js (the benchmarks' local staging) as a child process and waits for its port.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface BenchServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  child: ChildProcess;
  stop(): void;
}

export async function startBenchServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, [join(__dirname, "server.js")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((ok, fail) => {
    let buf = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      const m = /"port":(\d+)/.exec(buf);
      if (m) ok(Number(m[1]));
    });
    child.once("exit", (c) => fail(new Error(`bench server exited ${c}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, child, stop: () => child.kill("SIGTERM") };
}
