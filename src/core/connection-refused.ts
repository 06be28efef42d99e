// Whether a server still takes connections: a TCP connect and nothing else, so asking has no effect on the server.
import { connect } from "node:net";

/**
 * Node's codes for a connection the server's host refused or could not be reached at: nobody listens there any more.
 * Not a reset or a timeout (a server that is there and busy), nor a temporary DNS failure.
 */
const REFUSED_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND"]);

/**
 * The code of the refusal when nothing takes a TCP connection at `url`'s host and port now; undefined when one is
 * taken (whatever the server then says), when it does not answer within `timeoutMs`, for any other error, or for no
 * URL at all. No
 * request is sent: a page counting visits, a session store or a rate limit sees nothing.
 */
export function connectionRefused(url: string, timeoutMs: number): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(undefined); // no staging named: nothing to ask
  }
  const { hostname, port, protocol } = target;
  return new Promise((resolve) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, ""),
      port: Number(port || (protocol === "https:" ? 443 : 80)),
    });
    const done = (code: string | undefined) => {
      socket.destroy();
      resolve(code);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("connect", () => done(undefined));
    socket.once("error", (err: NodeJS.ErrnoException) =>
      done(typeof err.code === "string" && REFUSED_CODES.has(err.code) ? err.code : undefined),
    );
  });
}
