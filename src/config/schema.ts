// JSON schema of signoff.config.yaml, validated with ajv so every error names its field.

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
    baseUrl: { type: "string", format: "uri", pattern: "^https?://" },
    buildEndpoint: STAGING_PATH,
    stagingProbe: STAGING_PATH,
    buildHeader: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
    stagingAccess: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        headers: {
          type: "object",
          minProperties: 1,
          propertyNames: {
            type: "string",
            pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            description: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)",
          },
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
          remote: { type: "string", pattern: "^(https?|wss?)://" },
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
        then: { properties: { isolation: { const: "reset" } } },
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
    requirementTagPrefix: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]*$" },
    links: {
      type: "object",
      additionalProperties: false,
      properties: {
        requirement: { type: "string", pattern: "\\{id\\}" },
        issue: { type: "string", pattern: "\\{id\\}" },
      },
    },
    pageHealth: {
      type: "object",
      additionalProperties: false,
      properties: {
        pageErrors: { type: "boolean" },
        consoleErrors: { type: "boolean" },
        failedRequests: { type: "boolean" },
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
