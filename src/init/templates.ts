// The files `signoff init` scaffolds in a project, by path: a working example for each part a QA team edits.
import { DEFAULT_CONFIG_FILE } from "../config/load";
import { defaultConfig } from "../config/defaults";

const DEFAULTS = defaultConfig();

const FEATURE = `# An example acceptance criterion. It passes against Signoff's bundled example app, which
# \`signoff run\` tests while no baseUrl is set; replace it with your own criteria, then set
# baseUrl in signoff.config.yaml (or pass --base-url). Step vocabulary: node_modules/signoff/docs/steps.md
Feature: Example — the About page

  @REQ-EXAMPLE-1
  Scenario: The About page says what the site is
    Given I open "/about"
    Then I should see "About"
    And the main heading should read "About"
`;

const STEP = `// The team's own steps, beside Signoff's generic ones. A step talks to this.session (the BrowserSession
// port), never to Playwright or Selenium, so it runs the same on every target. API: node_modules/signoff/docs/api.md
import { Then, eventually, type SignoffWorld } from "signoff";

Then("the main heading should read {string}", async function (this: SignoffWorld, expected: string) {
  await eventually(
    // shownText looks once and never waits (textOf would wait the whole action timeout for a missing h1): the
    // waiting is eventually's.
    async () => {
      const shown = await this.session.shownText({ by: "css", selector: "h1" });
      if ("absent" in shown) throw new Error(\`there is no h1: \${shown.absent}\`);
      return "shows" in shown ? shown.shows : "";
    },
    (text) => text.trim() === expected,
    // error: what the probe last threw, when it threw to the end (undefined when it read a text).
    (text, error) =>
      \`expected the main heading to read "\${expected}", \${error instanceof Error ? error.message : \`it reads "\${text}"\`}\`,
    this.parameters.timeouts.actionMs,
  );
});
`;

const CONFIG = `# Signoff configuration (every field is validated; reference: node_modules/signoff/README.md).
# The staging to test. While unset, \`signoff run\` starts Signoff's bundled example app instead.
# baseUrl: https://staging.example.com/
# Checked before any scenario (a 404 or 5xx stops the run); when the base URL itself serves nothing, a page that it does:
# stagingProbe: /login
# A staging behind basic auth or a bypass header: the NAMES of the environment variables holding the secrets (never
# the values: this file is committed). Sent to the base URL's origin only.
# stagingAccess:
#   headers: { x-vercel-protection-bypass: { env: VERCEL_AUTOMATION_BYPASS_SECRET } }
#   basicAuth: { username: { env: STAGING_USER }, password: { env: STAGING_PASSWORD } }

# Where staging answers its build identity {name, version, digest: "sha256:<hex>"} (the gate binds the verdict to it).
buildEndpoint: /__build

features: ${JSON.stringify(DEFAULTS.features)}
# The team's own step and support files (TypeScript through ts-node, or JavaScript).
steps: ${JSON.stringify(DEFAULTS.steps)}

# Built-in targets: pw-desktop, pw-pixel7, pw-iphone, se-desktop, se-pixel7, se-iphone (or define your own under targets:).
# Desktop only, for a quick first run: add pw-pixel7, se-pixel7 (here and in gate.policy.yaml) to test on phones.
defaultTargets: [pw-desktop, se-desktop]

timeouts: { stepMs: 30000, actionMs: 5000, navigationMs: 15000 }
requirementTagPrefix: REQ-

# Fail any step after which the page had a script error, or a request answered 5xx (a form whose POST
# answers 500 otherwise fails only the check after it, as a missing element). \`failedRequests: true\` counts 4xx too.
# pageHealth: { pageErrors: true, failedRequests: server-errors }
`;

const POLICY = `# Release policy: \`signoff gate\` decides against it and signs the verdict. Reference: node_modules/signoff/docs/gate.md
version: 1
# Every one of these targets must have run completely, every scenario passing (keep in step with defaultTargets).
requiredTargets: [pw-desktop, se-desktop]
# Every @REQ-… tag found in features/ needs passing scenarios.
requirements: all
requirementCoverage: every-target
requirementTagPrefix: REQ-
flaky: warn
allowWarned: true
maxAge: 24h
# Property scenarios (tagged @property) must each have run at least this many generated cases on every target: a
# scenario whose @runs:N is lower passes its run, then FAILs the gate.
properties:
  minRuns: 25
# Sign-offs \`signoff verify\` requires: role → distinct signers (e.g. add release-manager: 1).
signoffs:
  qa: 1
regressions:
  allowRemovals: false
# The run must record the build staging served (GET buildEndpoint), so the verdict binds to exactly that build.
requireObservedBuild: true
# Unsigned, reports/run.json is believed for what it alone records (the build staging served, the digests of the
# results files, among others): whoever can edit reports/ between the run and the gate can name another build, or
# rewrite a failed run's results and their digests into a PASS. Set true once the run job signs its manifest
# (SIGNOFF_RUN_KEY, and the runner's public key in trust.yaml: docs/gate.md, "Run attestation and the trust model");
# a gate given a trust file that pins a runner key requires it even while this says false.
requireRunAttestation: false
# Every scenario of the feature files must have run: no --tags or file:line selection, no feature file changed since
# the run or left out of it ("selected": a run may select, only the requirements' coverage counts).
scenarios: all
# The staging a run may have tested: any other base URL FAILs (a server can claim any build on its build endpoint).
# stagingOrigins: [https://staging.example.com]
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "node16",
    "moduleResolution": "node16",
    "rootDir": ".",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "ts-node": { "transpileOnly": true },
  "include": ["steps"]
}
`;

const CUCUMBER = `// Profiles for Cucumber's own CLI and IDE plugins: \`npx cucumber-js -p signoff\` (or -p se-desktop, ...)
// runs the features on one target. \`npx signoff run\` runs the whole matrix and writes the gate's inputs.
module.exports = require("signoff/cucumber").signoffProfiles();
`;

const WORKFLOW = `# Acceptance tests with Signoff on every push: the features against staging, the report as an artifact.
# A template: set the repository variable STAGING_URL (or baseUrl in signoff.config.yaml). Gate, sign-offs and
# verify as CI jobs: node_modules/signoff/docs/ci.md
name: acceptance
on: [push, workflow_dispatch]

jobs:
  acceptance:
    runs-on: ubuntu-latest
    env:
      STAGING_URL: \${{ vars.STAGING_URL }}
      # With stagingAccess in signoff.config.yaml: each variable it names, from the repository's secrets, e.g.
      # VERCEL_AUTOMATION_BYPASS_SECRET: \${{ secrets.VERCEL_AUTOMATION_BYPASS_SECRET }}
      # GitHub's Ubuntu runners come with Chrome and chromedriver; elsewhere: npx signoff doctor --install
      SIGNOFF_CHROMIUM: /usr/bin/google-chrome
    steps:
      # The runner image puts chromedriver's folder in the shell variable CHROMEWEBDRIVER (not in the env context)
      - run: echo "SIGNOFF_CHROMEDRIVER=$CHROMEWEBDRIVER/chromedriver" >> "$GITHUB_ENV"
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - run: npx signoff doctor
      # exit 1 = a scenario failed: the report is still made, the job still fails at the end
      - run: npx signoff run \${STAGING_URL:+--base-url "$STAGING_URL"}
      # report appends reports/summary.md to the job summary itself ($GITHUB_STEP_SUMMARY): no cat >> here
      - run: npx signoff report
        if: \${{ !cancelled() }}
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with: { name: signoff-reports, path: reports/ }
`;

/** Path (relative to the project) → content. */
export const TEMPLATES: Record<string, string> = {
  "features/example.feature": FEATURE,
  "steps/example.steps.ts": STEP,
  [DEFAULT_CONFIG_FILE]: CONFIG,
  "gate.policy.yaml": POLICY,
  "tsconfig.json": TSCONFIG,
  "cucumber.js": CUCUMBER,
  ".github/workflows/signoff.yml": WORKFLOW,
};

/** The examples: written only into a project not set up yet (a QA team that deleted them does not want them back). */
export const EXAMPLES: ReadonlySet<string> = new Set(["features/example.feature", "steps/example.steps.ts"]);

/** Lines `signoff init` makes sure .gitignore has. */
export const GITIGNORE_LINES = ["node_modules/", "reports/", "*.key"];
