// Access to a staging behind basic auth or a bypass header: the config's env-var references → the origin and the headers sent there only.
import { UsageError } from "./errors";

/** A secret in signoff.config.yaml: the name of the environment variable holding it, never the value (the file is committed). */
export interface SecretRef {
  env: string;
}

/** `stagingAccess` in signoff.config.yaml (validated by src/config/schema.ts). */
export interface StagingAccessConfig {
  /** Request headers sent to staging's origin, e.g. x-vercel-protection-bypass, CF-Access-Client-Id. */
  headers?: Record<string, SecretRef>;
  /** Sent preemptively as `Authorization: Basic …` to staging's origin. */
  basicAuth?: { username: SecretRef; password: SecretRef };
}

/** The headers read from the environment, before the base URL (and so the origin) is known. Never written anywhere. */
export interface StagingCredentials {
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
}

/** What every caller that talks to staging uses: the headers, and the one origin they may go to. */
export interface StagingAccess extends StagingCredentials {
  /** e.g. "https://staging.example.com": scheme, host and port of the run's base URL. */
  origin: string;
}

/** Header names as RFC 9110 defines a token. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers that frame or route the request itself: set from the config they would break every request (or send it
 * elsewhere). `cookie` too: the browser owns the cookie header, and a fixed one would hide the app's own cookies.
 */
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
  "cookie",
]);

/** A header value as HTTP allows it: visible ASCII, spaces and tabs, obs-text; never CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Reads every variable `config` names from `env`. A variable that is unset or empty, a value HTTP cannot carry, a
 * header name that is forbidden or given twice: UsageError naming `source`, the field and the variable (exit 2),
 * never the value. Undefined when there is no `stagingAccess`.
 */
export function readStagingCredentials(
  config: StagingAccessConfig | undefined,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): StagingCredentials | undefined {
  if (!config) return undefined;
  /** A header's value must fit a header; basic auth's parts go base64-encoded (any text), but a line break is a slip. */
  const read = (field: string, ref: SecretRef, encoded = false): string => {
    const value = env[ref.env];
    if (value === undefined || value === "")
      throw new UsageError(
        `${source}: ${field}: environment variable ${ref.env} is ${value === undefined ? "not set" : "empty"}`,
      );
    if (encoded ? /[\r\n]/.test(value) : !HEADER_VALUE.test(value))
      throw new UsageError(
        encoded
          ? `${source}: ${field}: environment variable ${ref.env} holds a line break (a secret copied with its newline?)`
          : `${source}: ${field}: environment variable ${ref.env} holds a character an HTTP header cannot carry (CR, LF or another control character)`,
      );
    return value;
  };
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, ref] of Object.entries(config.headers ?? {})) {
    const field = `stagingAccess.headers.${name}`;
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) throw new UsageError(`${source}: ${field}: not an HTTP header name`);
    if (FORBIDDEN_HEADERS.has(lower))
      throw new UsageError(`${source}: ${field}: ${name} frames or routes the request itself; it cannot be set here`);
    if (seen.has(lower)) throw new UsageError(`${source}: ${field}: header given twice (names ignore case)`);
    seen.add(lower);
    const value = read(field, ref);
    headers[lower] = value;
  }
  if (config.basicAuth) {
    if (seen.has("authorization"))
      throw new UsageError(
        `${source}: stagingAccess.basicAuth: headers.authorization is given too; use one or the other`,
      );
    const username = read("stagingAccess.basicAuth.username", config.basicAuth.username, true);
    const password = read("stagingAccess.basicAuth.password", config.basicAuth.password, true);
    // RFC 7617: the user-id ends at the first colon.
    if (username.includes(":"))
      throw new UsageError(
        `${source}: stagingAccess.basicAuth.username: environment variable ${config.basicAuth.username.env} contains ":", which basic auth cannot carry in a user name`,
      );
    const token = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
    headers.authorization = `Basic ${token}`;
  }
  return { headers };
}

/** The credentials bound to the run's base URL: they go to its origin and nowhere else. */
export function stagingAccessAt(
  credentials: StagingCredentials | undefined,
  baseUrl: string,
): StagingAccess | undefined {
  if (!credentials) return undefined;
  return { ...credentials, origin: new URL(baseUrl).origin };
}

/** The `stagingAccess` of a config, read and bound to `baseUrl`, in one step (the World, the runner). */
export function stagingAccessFor(
  config: StagingAccessConfig | undefined,
  source: string,
  baseUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): StagingAccess | undefined {
  return stagingAccessAt(readStagingCredentials(config, source, env), baseUrl);
}

/** True when a request to `url` may carry staging's headers: same scheme, host and port as the base URL. */
export function isStagingOrigin(access: Pick<StagingAccess, "origin">, url: string | URL): boolean {
  try {
    return new URL(url).origin === access.origin;
  } catch {
    return false;
  }
}

/** The headers a request to `url` gets: staging's, or none at all for any other origin (a redirect elsewhere included). */
export function stagingHeadersFor(access: StagingAccess | undefined, url: string | URL): Record<string, string> {
  return access && isStagingOrigin(access, url) ? { ...access.headers } : {};
}
