// Production for the demo: two colours (blue, green) behind one reverse proxy built on http-proxy.
//
// Exactly one variable says which colour is live (`this.live`). Every request reads it once, when
// it arrives, and is proxied to that colour to the end. A promotion starts the artifact on the idle
// colour, health-checks it on /healthz, then switches with one assignment; requests already on the
// old colour finish there (the proxy counts them), and only when none is left is the old colour
// stopped. Connections to the colours are not kept alive, so after the drain nothing still points
// at the old process.
import { createServer, Agent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import httpProxy from "http-proxy";
import { healthCheck, startInstance, type Artifact, type Instance } from "./build";

export type Colour = "blue" | "green";

export interface Live {
  colour: Colour;
  instance: Instance;
}

export interface SwitchReport {
  from?: { colour: Colour; version: string; sha256: string };
  to: { colour: Colour; version: string; sha256: string; url: string };
  health: { ok: boolean; checks: number; detail: string };
  /** Requests on the old colour when the switch happened; all of them finished there. */
  inFlightAtSwitch: number;
  drainMs: number;
  drained: boolean;
  switchedAt: string;
}

const other = (c: Colour): Colour => (c === "blue" ? "green" : "blue");

export interface BlueGreenOptions {
  /** Where the colours are unpacked and keep their logs: <workDir>/<colour>-<n>/. */
  workDir: string;
  /** Production data shared by both colours (the counter survives a switch). */
  dataDir: string;
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export class BlueGreen {
  /** THE switch: which colour gets new requests. Replaced in one assignment, never mutated. */
  private live: Live | undefined;
  private readonly slots: Partial<Record<Colour, Instance>> = {};
  private readonly inFlight: Record<Colour, number> = { blue: 0, green: 0 };
  private readonly drainWaiters: Array<() => void> = [];
  private readonly proxy: httpProxy;
  private readonly agent = new Agent({ keepAlive: false, maxSockets: 256 });
  private server: Server | undefined;
  private deploys = 0;
  /** Upstream errors the proxy answered with 502 (should stay 0). */
  proxyErrors = 0;
  url = "";

  constructor(private readonly opts: BlueGreenOptions) {
    this.proxy = httpProxy.createProxyServer({ agent: this.agent, xfwd: true, proxyTimeout: 15_000 });
    // Without a listener http-proxy throws on upstream errors; answer 502 and count it instead.
    this.proxy.on("error", (err, _req, res) => this.upstreamError(err, res as ServerResponse));
  }

  private upstreamError(err: Error, res: ServerResponse | undefined): void {
    this.proxyErrors++;
    this.opts.log?.(`proxy: upstream error: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
    if (!res || typeof res.writeHead !== "function") return;
    if (!res.headersSent) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("bad gateway\n");
    } else res.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === "/__proxy") {
      // The proxy's own status: which colour is live and what each colour runs.
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(this.status()));
      return;
    }
    const live = this.live; // read once: this request belongs to this colour from now on
    if (!live) {
      res.writeHead(503, { "content-type": "text/plain", "retry-after": "1" });
      res.end("no release is live yet\n");
      return;
    }
    const colour = live.colour;
    this.inFlight[colour]++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      this.inFlight[colour]--;
      if (this.inFlight[colour] === 0) this.drainWaiters.splice(0).forEach((w) => w());
    };
    res.once("finish", finished);
    res.once("close", finished);
    res.setHeader("x-served-by", colour);
    this.proxy.web(req, res, { target: live.instance.url }, (err) => this.upstreamError(err, res));
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** The colour a promotion goes to. */
  idleColour(): Colour {
    return this.live ? other(this.live.colour) : "blue";
  }

  liveRelease(): { colour: Colour; artifact: Artifact } | undefined {
    return this.live && { colour: this.live.colour, artifact: this.live.instance.artifact };
  }

  status() {
    const slot = (c: Colour) => {
      const i = this.slots[c];
      return i
        ? { version: i.artifact.version, digest: `sha256:${i.artifact.sha256}`, url: i.url, inFlight: this.inFlight[c] }
        : null;
    };
    return { live: this.live?.colour ?? null, blue: slot("blue"), green: slot("green"), proxyErrors: this.proxyErrors };
  }

  private waitDrained(colour: Colour, timeoutMs: number): Promise<boolean> {
    if (this.inFlight[colour] === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.inFlight[colour] === 0), timeoutMs);
      const check = () => {
        if (this.inFlight[colour] === 0) {
          clearTimeout(timer);
          resolve(true);
        } else this.drainWaiters.push(check);
      };
      this.drainWaiters.push(check);
    });
  }

  /**
   * Promotes an artifact: start it on the idle colour, health-check it, switch, drain the old
   * colour, stop it. If the new colour is unhealthy it is stopped and production is untouched.
   */
  async promote(a: Artifact): Promise<SwitchReport> {
    const log = this.opts.log ?? (() => {});
    const colour = this.idleColour();
    const stale = this.slots[colour];
    if (stale) {
      // Left over from an earlier promotion that did not finish its stop; it gets no traffic.
      await stale.stop();
      this.slots[colour] = undefined;
    }
    const n = ++this.deploys;
    const dir = `${this.opts.workDir}/${colour}-${n}`;
    const instance = await startInstance(a, {
      label: colour,
      deployDir: `${dir}/app`,
      dataDir: this.opts.dataDir,
      logFile: `${dir}/app.log`,
    });
    this.slots[colour] = instance;
    log(`${colour}: started ${a.name} ${a.version} from ${a.file.replace(/^.*\//, "")} at ${instance.url}`);
    const health = await healthCheck(instance.url, { times: 3, timeoutMs: 10_000 });
    if (!health.ok) {
      await instance.stop();
      this.slots[colour] = undefined;
      throw new Error(
        `${colour} failed its health check (${health.detail}); production still on ${this.live?.colour ?? "nothing"}`,
      );
    }
    log(`${colour}: GET /healthz → ${health.detail} (after ${health.checks} check(s))`);

    const previous = this.live;
    this.live = { colour, instance }; // ← the switch
    const switchedAt = new Date().toISOString();
    const inFlightAtSwitch = previous ? this.inFlight[previous.colour] : 0;
    log(`switch: ${previous ? previous.colour : "(nothing)"} → ${colour}; new requests now go to ${colour}`);

    let drainMs = 0;
    let drained = true;
    if (previous) {
      const t0 = Date.now();
      drained = await this.waitDrained(previous.colour, this.opts.drainTimeoutMs ?? 10_000);
      drainMs = Date.now() - t0;
      log(
        drained
          ? `${previous.colour}: drained — ${inFlightAtSwitch} request(s) in flight at the switch finished there (${drainMs} ms)`
          : `${previous.colour}: NOT drained after ${drainMs} ms (${this.inFlight[previous.colour]} request(s) still in flight); stopping it anyway`,
      );
      await previous.instance.stop();
      this.slots[previous.colour] = undefined;
      log(`${previous.colour}: stopped (${previous.instance.artifact.version})`);
    }
    return {
      from: previous && {
        colour: previous.colour,
        version: previous.instance.artifact.version,
        sha256: previous.instance.artifact.sha256,
      },
      to: { colour, version: a.version, sha256: a.sha256, url: instance.url },
      health,
      inFlightAtSwitch,
      drainMs,
      drained,
      switchedAt,
    };
  }

  /** Stops the proxy and every colour. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.proxy.close();
    this.agent.destroy();
    for (const c of ["blue", "green"] as Colour[]) {
      await this.slots[c]?.stop();
      this.slots[c] = undefined;
    }
    this.live = undefined;
  }
}
