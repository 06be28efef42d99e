// Staging: probe a given base URL, or start the bundled example app; read the build it serves.
import { spawn, type ChildProcess } from "node:child_process";
import { STATUS_CODES } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildIdentity } from "../config/types";
import { EnvironmentError } from "../core/errors";
import { httpGet, HttpTimeoutError } from "../core/http-get";
import { isStagingOrigin, type StagingAccess } from "../core/staging-access";
import { SIGNOFF_ROOT } from "../core/package";
import { escapeControl } from "../core/safe-text";
import { withoutSigningKeys } from "../attest/keys";

export const BUNDLED_APP = join(SIGNOFF_ROOT, "examples", "visitor-counter", "server.js");

/** What a failed GET of `url` says: node's error code, with what it means when it is a TLS one. */
function causeOf(err: unknown, url: string): string {
  if (err instanceof HttpTimeoutError) return "no answer (timed out)";
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code !== "string") return e.message;
  return tlsFailure(err, url) ?? e.code;
}

/** `CODE — what it means` when the connection was made but its TLS failed; undefined for any other failure. */
function tlsFailure(err: unknown, url: string): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof HttpTimeoutError || typeof code !== "string") return undefined;
  const tls = tlsProblem(code, url);
  return tls && `${code} — ${tls}`;
}

/** The handshake itself failed: most often a server that speaks plain HTTP on the port an https:// URL names. */
function handshakeFailed(url: string): string {
  const plain = new URL(url);
  plain.protocol = "http:";
  return `the TLS handshake failed: if staging serves plain HTTP there, use ${plain.href}; otherwise its TLS setup is wrong`;
}

/** For a CA that is the organisation's own: Node (which makes this request) does not read the system's store. */
const OWN_CA = "if it is your organisation's own CA, name its certificate in NODE_EXTRA_CA_CERTS";

/**
 * Node's codes for an https:// connection that was made but whose TLS failed, in plain words: the handshake, or the
 * certificate staging showed. Chosen by the error's code (OpenSSL's certificate codes, node's ERR_TLS_… and ERR_SSL_…).
 */
const TLS_PROBLEMS: Readonly<Record<string, (url: string) => string>> = {
  EPROTO: handshakeFailed,
  ERR_SSL_WRONG_VERSION_NUMBER: handshakeFailed,
  ERR_SSL_PACKET_LENGTH_TOO_LONG: handshakeFailed,
  DEPTH_ZERO_SELF_SIGNED_CERT: () => "staging's TLS certificate is self-signed (no trusted CA issued it)",
  SELF_SIGNED_CERT_IN_CHAIN: () =>
    `staging's TLS certificate is issued by a self-signed CA that is not trusted here (${OWN_CA})`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () =>
    `staging's TLS certificate cannot be checked: its issuer is not trusted here, or staging does not send the intermediate certificates (${OWN_CA})`,
  UNABLE_TO_GET_ISSUER_CERT: () =>
    `staging's TLS certificate cannot be checked: its issuer is not trusted here, or staging does not send the intermediate certificates (${OWN_CA})`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () =>
    `staging's TLS certificate is issued by a CA that is not trusted here (${OWN_CA})`,
  CERT_HAS_EXPIRED: () => "staging's TLS certificate has expired",
  CERT_NOT_YET_VALID: () => "staging's TLS certificate is not valid yet (or this machine's clock is wrong)",
  CERT_REVOKED: () => "staging's TLS certificate has been revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: (url) =>
    `staging's TLS certificate is not for ${new URL(url).hostname} (its names do not include the URL's host)`,
};

/** What a TLS error code means for staging, or undefined when the code is not a TLS one. */
function tlsProblem(code: string, url: string): string | undefined {
  const known = TLS_PROBLEMS[code];
  if (known) return known(url);
  // OpenSSL's other handshake refusals (no protocol version or cipher both sides accept, an alert from staging).
  if (code.startsWith("ERR_SSL_")) return handshakeFailed(url);
  return undefined;
}

/**
 * The base URL's own answers that mean "nothing is served here": a missing page (most often a wrong --base-url) and a
 * failing server. Every other answer is a staging that is there: a page, a redirect (to a login page, or to https
 * with a certificate Node does not know but the browser's system store does), a login wall (401, 403), a method or
 * rate limit (405, 429) of a gateway in front of it. The probe does not follow redirects, so what lies behind them is
 * the scenarios' to judge: refusing a legitimate staging would leave its project no way to run.
 */
const NOT_SERVED = (status: number) => status === 404 || status === 410 || status >= 500;

/** For an app that serves nothing at its base URL (only under it, or only once signed in). */
const PROBE_HINT = "or set stagingProbe in the config to a page the app serves";

/**
 * One GET of the base URL (or of config `stagingProbe`, a path on it) before any scenario (exit 3 when it fails): no
 * connection is "unreachable"; a 404, 410 or 5xx is a staging that is there but not serving the app at that URL,
 * which would otherwise fail scenario after scenario with nothing saying why.
 */
export async function probeStaging(
  baseUrl: string,
  { path, timeoutMs = 10_000, access }: { path?: string; timeoutMs?: number; access?: StagingAccess } = {},
): Promise<void> {
  const url = path ? new URL(path, baseUrl).toString() : baseUrl;
  let res: { status: number; headers: { location?: string } };
  try {
    res = await httpGet(url, { timeoutMs, access });
  } catch (err) {
    // Staging answered but its TLS failed: it is there, and "unreachable" would send the user looking for a network
    // problem rather than at the certificate.
    const tls = tlsFailure(err, url);
    throw new EnvironmentError(
      tls ? `staging's TLS failed: GET ${url}: ${tls}` : `staging unreachable: GET ${url} failed: ${causeOf(err, url)}`,
    );
  }
  const status = `${res.status}${STATUS_CODES[res.status] ? ` ${STATUS_CODES[res.status]}` : ""}`;
  // With stagingAccess, an access wall refusing what the environment holds answers 401 or 403 (basic auth, a bypass
  // header), or sends the visitor to a login elsewhere (Cloudflare Access): every scenario would fail on it.
  const refusal = access && accessRefused(access, url, res, status);
  if (refusal)
    throw new EnvironmentError(
      `staging ${url} answers ${refusal} to the stagingAccess headers — do the environment variables the config names hold the right values? (${PROBE_HINT} if the app itself answers so there)`,
    );
  if (!NOT_SERVED(res.status)) return;
  const hint =
    res.status >= 500
      ? "staging is up but failing; fix it first"
      : path
        ? "is stagingProbe in the config a page the app serves?"
        : `is --base-url (or baseUrl in the config) right? (${PROBE_HINT})`;
  throw new EnvironmentError(`staging ${url} answers ${status} — ${hint}`);
}

/** How the access wall in front of staging refused the probe (401, 403, a redirect to another origin), or undefined. */
function accessRefused(
  access: StagingAccess,
  url: string,
  res: { status: number; headers: { location?: string } },
  status: string,
): string | undefined {
  if (res.status === 401 || res.status === 403) return status;
  if (res.status < 300 || res.status >= 400 || !res.headers.location) return undefined;
  let to: URL;
  try {
    to = new URL(res.headers.location, url);
  } catch {
    return undefined; // a Location no browser could follow is the scenarios' to judge
  }
  return isStagingOrigin(access, to) ? undefined : `${status}, a redirect to ${to.origin}`;
}

/**
 * Node's codes for a connection that could not be made or was cut: staging is not there, as opposed to a
 * staging that answers badly (5xx) or slowly.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * Asked after a run whose failures were all the environment's: the code of the connection error when staging can
 * no longer be reached at `baseUrl` (with what it means when its TLS now fails: a certificate that expired or was
 * replaced mid-run; the probe at the start passed with the same trust), undefined when it answers (whatever the
 * status) or only hangs.
 */
export async function stagingGone(baseUrl: string, timeoutMs = 10_000): Promise<string | undefined> {
  try {
    await httpGet(baseUrl, { timeoutMs });
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== "string") return undefined;
    return UNREACHABLE_CODES.has(code) ? code : tlsFailure(err, baseUrl);
  }
}

const BUILD_REF = /^(\S+?)@sha256:([0-9a-fA-F]{64})$/;

/**
 * `NAME[:VERSION]@sha256:HEX` (an image reference as registries print it, e.g.
 * `registry.example:5000/shop:1.4.2@sha256:…`) → a build identity; an error string when it is not one.
 * The version is the tag after the last ":" that follows the last "/" (a registry port is not a version).
 */
export function parseBuildRef(text: string): BuildIdentity | string {
  const m = BUILD_REF.exec(text.trim());
  if (!m) return `"${escapeControl(text.trim().slice(0, 120))}" is not NAME[:VERSION]@sha256:<64 hex digits>`;
  if (hasControl(m[1])) return `"${escapeControl(m[1].slice(0, 120))}" holds control characters: no build's name does`;
  const colon = m[1].lastIndexOf(":");
  const hasTag = colon > m[1].lastIndexOf("/") && colon < m[1].length - 1;
  return {
    name: hasTag ? m[1].slice(0, colon) : m[1],
    version: hasTag ? m[1].slice(colon + 1) : "",
    digest: `sha256:${m[2].toLowerCase()}`,
  };
}

/**
 * A control or bidirectional character in a build's name or version: no build has one, and printed in a log or a
 * verdict it would rewrite what a reader sees (a fake line, text reordered).
 */
function hasControl(text: string): boolean {
  return escapeControl(text) !== text;
}

/** The two answers a build endpoint may give (README, "Testing your own staging"), for a message when it gave neither. */
const BUILD_FORMS =
  "not the JSON build identity {name, version, digest} nor a line NAME[:VERSION]@sha256:<64 hex digits>";

/**
 * A build endpoint's body: the JSON identity {name, version, digest}, or one line NAME[:VERSION]@sha256:HEX (a static
 * file). Anything else is one line saying what came back: a mistyped endpoint on a single-page app answers its HTML
 * page for every path, and the server's text must not reach the terminal as lines (or escapes) of its own.
 */
function buildFromBody(body: string, url: string, contentType: string | undefined): BuildIdentity | string {
  if (!body.trimStart().startsWith("{")) {
    const ref = parseBuildRef(body);
    if (typeof ref !== "string") return ref;
    return `GET ${url} answered ${whatCameBack(body, contentType)}, ${BUILD_FORMS} — is buildEndpoint right (the config's; /__build when not set)?`;
  }
  let json: Partial<BuildIdentity>;
  try {
    json = JSON.parse(body) as Partial<BuildIdentity>;
  } catch {
    return `GET ${url}: not JSON`;
  }
  if (
    typeof json.name !== "string" ||
    typeof json.version !== "string" ||
    !/^sha256:[0-9a-f]{64}$/.test(String(json.digest))
  )
    return `GET ${url}: not a build identity {name, version, digest: "sha256:<64 hex>"}`;
  if (hasControl(json.name) || hasControl(json.version))
    return `GET ${url}: the build identity's name or version holds control characters: no build's does`;
  return { name: json.name, version: json.version, digest: json.digest! };
}

/** A body that is neither build form, in a few words: its kind ("an HTML page (text/html)") or its start, quoted safely. */
function whatCameBack(body: string, contentType: string | undefined): string {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  const shown = type ? ` (${escapeControl(type.slice(0, 60))})` : "";
  const text = body.trim();
  if (type === "text/html" || type === "application/xhtml+xml" || /^<(!doctype html|html)[\s>]/i.test(text))
    return `an HTML page${shown}`;
  if (text === "") return `an empty body${shown}`;
  return `"${escapeControl(text.slice(0, 60))}${text.length > 60 ? "…" : ""}"${shown}`;
}

/** Where the run learns which build staging serves (config buildEndpoint / buildHeader, `run --build`). */
export interface BuildSource {
  /** Path of a JSON identity or a one-line reference file on staging. */
  endpoint: string;
  /** A response header of the base URL that carries NAME[:VERSION]@sha256:HEX; replaces the endpoint. */
  header?: string;
  /** What the deploy job says it deployed (`--build`): used when staging names no build itself. */
  given?: BuildIdentity;
  /** Staging's access headers (config stagingAccess), sent to its origin only. */
  access?: StagingAccess;
}

export interface ObservedBuild {
  build: BuildIdentity | null;
  /** How the identity was learned: staging said so, or only the deploy job did. */
  source?: "endpoint" | "header" | "given";
  error?: string;
}

/** What staging says it serves, by header or endpoint. */
async function askStaging(baseUrl: string, from: BuildSource, timeoutMs: number): Promise<BuildIdentity | string> {
  const url = from.header ? baseUrl : new URL(from.endpoint, baseUrl).toString();
  try {
    const res = await httpGet(url, { timeoutMs, maxRedirects: 5, access: from.access });
    const body = res.body;
    if (from.header) {
      const header = res.headers[from.header.toLowerCase()];
      const value = Array.isArray(header) ? header.join(", ") : header;
      if (value === undefined) return `GET ${url}: no ${from.header} header`;
      const ref = parseBuildRef(value);
      return typeof ref === "string" ? `GET ${url}: ${from.header}: ${ref}` : ref;
    }
    if (res.status < 200 || res.status > 299) return `GET ${url} answered ${res.status}`;
    return buildFromBody(body, url, res.headers["content-type"]);
  } catch (err) {
    return `GET ${url} failed: ${causeOf(err, url)}`;
  }
}

/**
 * The build identity staging serves; an error string when it names none (the gate decides what that means).
 * A build the deploy job names (`--build`) is used when staging names none, and must agree when it does:
 * a disagreement records no build at all, so the results cannot be bound to either.
 */
export async function observeBuild(baseUrl: string, from: BuildSource, timeoutMs = 10_000): Promise<ObservedBuild> {
  const said = await askStaging(baseUrl, from, timeoutMs);
  const source = from.header ? "header" : "endpoint";
  if (typeof said !== "string") {
    if (from.given && from.given.digest !== said.digest)
      return {
        build: null,
        error: `--build names ${from.given.name}@${from.given.digest} but staging serves ${said.name}@${said.digest}`,
      };
    return { build: said, source };
  }
  if (from.given) return { build: from.given, source: "given", error: said };
  return { build: null, error: said };
}

export interface RunningApp {
  baseUrl: string;
  process: ChildProcess;
  /** The app's own data directory, removed once the app has exited. */
  dataDir: string;
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
    env: { ...withoutSigningKeys(process.env), ...env },
  });
  // However the app ends (stopped, crashed, killed mid-start), its data goes with it: nothing left in the user's tmp.
  child.once("exit", () => rmSync(dataDir, { recursive: true, force: true }));
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
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
