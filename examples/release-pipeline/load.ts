// A bounded load loop: a few concurrent "visitors" requesting pages through the proxy until told
// to stop, or until a request or time cap is reached. Every answer that is not 2xx and every
// connection error or timeout is a failed request.
import { Agent, request } from "node:http";

export interface LoadOptions {
  /** Concurrent request loops. */
  concurrency?: number;
  /** Hard caps: the loop never sends more than this or runs longer than this. */
  maxRequests?: number;
  maxMs?: number;
  /** Pause between two requests of one loop (keeps 2 cores free for the apps). */
  pauseMs?: number;
  /** Per-request limit; slower counts as failed. */
  requestTimeoutMs?: number;
  paths?: string[];
}

export interface LoadReport {
  sent: number;
  ok: number;
  failed: number;
  /** Failure kind ("status 502", "ECONNRESET", "timeout") → count. */
  failures: Record<string, number>;
  /** A few failed requests, for the log. */
  samples: string[];
  /** Which build answered GET /__build ("1.0.0 sha256:…") → count: shows the switch inside the loop. */
  servedBy: Record<string, number>;
  /** Which colour the proxy said it used (x-served-by) → count. */
  colours: Record<string, number>;
  durationMs: number;
  /** "stopped" when the caller stopped it; "max-requests" / "max-time" when a cap ended it first. */
  endedBy: "stopped" | "max-requests" | "max-time";
}

export interface RunningLoad {
  /** Requests sent so far. */
  sent(): number;
  /** Stops sending, waits for the requests in flight, returns the report. */
  stop(): Promise<LoadReport>;
}

export function startLoad(baseUrl: string, opts: LoadOptions = {}): RunningLoad {
  const concurrency = opts.concurrency ?? 4;
  const maxRequests = opts.maxRequests ?? 20_000;
  const maxMs = opts.maxMs ?? 60_000;
  const pauseMs = opts.pauseMs ?? 5;
  const timeoutMs = opts.requestTimeoutMs ?? 5_000;
  const paths = opts.paths ?? ["/", "/__build", "/about", "/__build"];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(baseUrl);
  const t0 = Date.now();
  const report: LoadReport = {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: {},
    samples: [],
    servedBy: {},
    colours: {},
    durationMs: 0,
    endedBy: "stopped",
  };
  let stopping = false;

  const fail = (kind: string, what: string) => {
    report.failed++;
    report.failures[kind] = (report.failures[kind] ?? 0) + 1;
    if (report.samples.length < 10) report.samples.push(`${new Date().toISOString()} ${what}: ${kind}`);
  };

  const once = (path: string) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          agent,
          method: "GET",
          headers: { "user-agent": "release-pipeline-load" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const colour = String(res.headers["x-served-by"] ?? "?");
            report.colours[colour] = (report.colours[colour] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              report.ok++;
              if (path === "/__build") {
                try {
                  const b = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { version: string; digest: string };
                  const key = `${b.version} ${String(b.digest).slice(0, 19)}…`;
                  report.servedBy[key] = (report.servedBy[key] ?? 0) + 1;
                } catch {
                  fail("bad /__build body", `GET ${path}`);
                }
              }
            } else fail(`status ${status}`, `GET ${path}`);
            settle();
          });
          res.on("error", (err) => {
            fail((err as NodeJS.ErrnoException).code ?? err.message, `GET ${path}`);
            settle();
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
      req.on("error", (err) => {
        fail((err as NodeJS.ErrnoException).code ?? err.message, `GET ${path}`);
        settle();
      });
      req.end();
    });

  const loop = async (i: number) => {
    let k = i;
    for (;;) {
      if (stopping) return;
      if (report.sent >= maxRequests) {
        report.endedBy = "max-requests";
        return;
      }
      if (Date.now() - t0 >= maxMs) {
        report.endedBy = "max-time";
        return;
      }
      report.sent++;
      await once(paths[k++ % paths.length]);
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const loops = Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));

  return {
    sent: () => report.sent,
    stop: async () => {
      stopping = true;
      await loops;
      agent.destroy();
      report.durationMs = Date.now() - t0;
      return report;
    },
  };
}
