// JSON schema of signoff.config.yaml, validated with ajv so every error names its field.

/**
 * A staging address the browsers can open: an absolute http(s) URL ("127.0.0.1:8080" has no scheme). The one rule and
 * wording for the config's `baseUrl` (the `http-url` format, src/config/load.ts) and `--base-url`.
 */
export const HTTP_URL_WANTED = "must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/";
export function isHttpUrl(value: string): boolean {
  // As written, not only as the URL parser mends it ("http:example.com", " http://x", a trailing newline): the run
  // records the string itself (run.json, the verdict's subject).
  if (!/^https?:\/\/[^\s/?#]+\S*$/i.test(value)) return false;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url?.protocol === "http:" || url?.protocol === "https:";
}

/** An HTTP header's name (RFC 9110 token): anything else no server reads as that header. */
const HEADER_NAME = {
  type: "string",
  pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
  description: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)",
};
/** A link made from a requirement or issue tag: `{id}` is where the tag's id goes. */
const LINK_TEMPLATE = {
  type: "string",
  pattern: "\\{id\\}",
  description: "must be a URL with {id} where the tag's id goes, e.g. https://tracker.example/browse/{id}",
};

/** A path on staging: "//host/x" or "/\\host/x" would resolve to another host. `description` is what a mismatch says. */
const STAGING_PATH = {
  type: "string",
  pattern: "^/(?![/\\\\])",
  description: 'must be a path on staging starting with one "/", e.g. /login',
};
/**
 * A secret: the name of the environment variable that holds it. A literal value is refused by type: the config is
 * committed, a secret in it would be too. `description` is what a string in its place says.
 */
const SECRET_REF = {
  type: "object",
  additionalProperties: false,
  required: ["env"],
  properties: {
    env: {
      type: "string",
      pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      description: "must be the name of an environment variable (letters, digits, _), e.g. STAGING_PASSWORD",
    },
  },
  description: "must be { env: VARIABLE }: a secret is read from an environment variable, never written in the config",
};
export const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    baseUrl: { type: "string", format: "http-url", description: HTTP_URL_WANTED },
    buildEndpoint: STAGING_PATH,
    stagingProbe: STAGING_PATH,
    buildHeader: HEADER_NAME,
    stagingAccess: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        headers: {
          type: "object",
          minProperties: 1,
          propertyNames: HEADER_NAME,
          additionalProperties: SECRET_REF,
        },
        basicAuth: {
          type: "object",
          additionalProperties: false,
          required: ["username", "password"],
          properties: { username: SECRET_REF, password: SECRET_REF },
        },
      },
    },
    features: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
    steps: { type: "array", items: { type: "string", minLength: 1 } },
    requireModule: { type: "array", items: { type: "string", minLength: 1 } },
    reportsDir: { type: "string", minLength: 1 },
    defaultTargets: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
    targets: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["driver", "device"],
        properties: {
          driver: { enum: ["playwright", "selenium"] },
          browser: { enum: ["chromium"] },
          device: { type: "string", minLength: 1 },
          remote: {
            type: "string",
            pattern: "^(https?|wss?)://",
            description:
              "must be a Selenium Grid URL (http:// or https://) or a Playwright browser server's (ws:// or wss://), e.g. http://grid.internal:4444",
          },
          isolation: { enum: ["reset", "context"] },
          viewport: {
            type: "object",
            additionalProperties: false,
            required: ["width", "height"],
            properties: { width: { type: "integer", minimum: 100 }, height: { type: "integer", minimum: 100 } },
          },
        },
        // A Selenium session is one browser profile: a new context per scenario would mean a new browser.
        if: { properties: { driver: { const: "selenium" } } },
        then: {
          properties: {
            isolation: {
              const: "reset",
              description: 'must be "reset" on a Selenium target (its session is one browser profile)',
            },
          },
        },
      },
    },
    timeouts: {
      type: "object",
      additionalProperties: false,
      properties: {
        stepMs: { type: "integer", minimum: 100 },
        actionMs: { type: "integer", minimum: 50 },
        navigationMs: { type: "integer", minimum: 100 },
      },
    },
    browserPath: { type: "string" },
    chromedriverPath: { type: "string" },
    requirementTagPrefix: {
      type: "string",
      pattern: "^[A-Za-z][A-Za-z0-9_-]*$",
      description: "must be a tag prefix without @ (a letter, then letters, digits, _ or -), e.g. REQ-",
    },
    links: {
      type: "object",
      additionalProperties: false,
      properties: {
        requirement: LINK_TEMPLATE,
        issue: LINK_TEMPLATE,
      },
    },
    pageHealth: {
      type: "object",
      additionalProperties: false,
      properties: {
        pageErrors: { type: "boolean" },
        consoleErrors: { type: "boolean" },
        failedRequests: { enum: [true, false, "server-errors"] },
      },
    },
    properties: {
      type: "object",
      additionalProperties: false,
      properties: {
        runs: { type: "integer", minimum: 1 },
        timeBudgetMs: { type: "integer", minimum: 100 },
        seed: { type: "integer" },
      },
    },
  },
} as const;
