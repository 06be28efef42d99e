// A staging server for fault tests: healthy pages, plus paths that fail the ways real staging fails.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FaultyStaging {
  baseUrl: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /**
   * Resolves at the next request for `path` (one made after this call); rejects with the run's output if `during`
   * (the run that should make it) ends first, so a run that never gets there fails the test instead of hanging it.
   */
  requested(path: string, during: Promise<RunOutput>): Promise<void>;
  close(): Promise<void>;
}

/** What a finished CLI run printed (test/helpers/cli.ts's result). */
interface RunOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>${title}</title></head><body>${body}</body></html>`;

/**
 * /            healthy page ("hello")
 * /500         answers 500
 * /reset       drops the connection without an answer
 * /hang        accepts and never answers
 * /flaky       503 on the first request, healthy afterwards
 * /slow-link   a link and a form to /slow, which answers after 12 s, a link and a form to /hang, and a field whose
 *              Enter key moves the page to /hang by script
 * /guarded     a form to /slow on a page that asks before it is left (beforeunload)
 * /freeze-on-key, /freeze-on-click
 *              a page whose script never returns once a key is typed into its "Name" field / its "Freeze" button is
 *              clicked (the main thread busy for good)
 * /hold-on-click
 *              a page whose "Hold" button sends a synchronous request to /hang: the main thread held outside any script
 * /__build     a build identity
 */
export async function startFaultyStaging(): Promise<FaultyStaging> {
  const requests: string[] = [];
  const waiters = new Map<string, Array<() => void>>();
  const sockets = new Set<Socket>();
  let flakyHits = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    for (const w of waiters.get(path) ?? []) w();
    waiters.delete(path);
    const html = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/html" });
      res.end(body);
    };
    switch (path) {
      case "/__build":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ name: "faulty", version: "0.0.1", digest: "sha256:" + "f".repeat(64) }));
      case "/500":
        return html(500, page("Error", "<h1>Internal Server Error</h1>"));
      case "/reset":
        return req.socket.destroy();
      case "/hang":
        return; // never answers
      case "/flaky":
        return flakyHits++ === 0 ? html(503, page("Busy", "busy")) : html(200, page("Flaky", "<p>hello after all</p>"));
      case "/slow-link":
        return html(
          200,
          page(
            "Slow",
            '<a href="/slow">Slow page</a> <a href="/hang">Hanging page</a>' +
              '<form action="/slow"><label>Search <input name="q"></label></form>' +
              '<form action="/hang"><label>Wait <input name="w"></label></form>' +
              `<label>Go <input name="go" onkeydown="if (event.key === 'Enter') location.href = '/hang?by=key'"></label>`,
          ),
        );
      case "/guarded":
        return html(
          200,
          page(
            "Guarded",
            '<p>guarded page</p><form action="/slow"><label>Search <input name="q"></label></form>' +
              '<script>addEventListener("beforeunload", (e) => { e.preventDefault(); e.returnValue = ""; });</script>',
          ),
        );
      case "/slow":
        return void setTimeout(() => html(200, page("Slow", "<p>slow page loaded</p>")), 12_000).unref();
      case "/freeze-on-key":
        return html(200, page("Freeze", '<label>Name <input id="name" onkeydown="for (;;) {}"></label>'));
      case "/hold-on-click":
        return html(
          200,
          page(
            "Hold",
            `<button onclick="const x = new XMLHttpRequest(); x.open('GET', '/hang', false); x.send();">Hold</button>`,
          ),
        );
      case "/freeze-on-click":
        return html(200, page("Freeze", '<button onclick="for (;;) {}">Freeze</button>'));
      default:
        return html(200, page("Healthy", "<p>hello</p>"));
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    requested: (path, during) =>
      Promise.race([
        new Promise<void>((resolve) => {
          waiters.set(path, [...(waiters.get(path) ?? []), resolve]);
        }),
        during.then((r) => {
          throw new Error(`the run ended (exit ${r.code}) before requesting ${path}\n${r.stdout}\n${r.stderr}`);
        }),
      ]),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
