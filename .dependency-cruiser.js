// The layering rules of docs/architecture.md, checked by `npm test` (bin/test.js runs `depcruise` first).
/** Areas that must never import each other: what they share lives in src/core, src/results or src/attest. */
const AREAS = ["runner", "gate", "report"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes two modules one: split the shared part into a lower layer.",
      from: { path: "^(src|steps)/" },
      to: { circular: true },
    },
    ...AREAS.map((area) => ({
      name: `no-${area}-to-other-areas`,
      severity: "error",
      comment: `src/${area} may not import ${AREAS.filter((a) => a !== area).join(" or ")}: move what they share to src/core, src/results or src/attest.`,
      from: { path: `^src/${area}/` },
      to: { path: `^src/(${AREAS.filter((a) => a !== area).join("|")})/` },
    })),
    {
      name: "no-import-of-cli",
      severity: "error",
      comment: "Only bin/ starts the CLI; areas receive what they need (src/core/command-context.ts).",
      from: { path: "^(src|steps)/", pathNot: "^src/cli\\.ts$" },
      to: { path: "^src/cli\\.ts$" },
    },
    {
      name: "core-is-the-bottom",
      severity: "error",
      comment: "src/core imports only src/core (and node or npm packages).",
      from: { path: "^src/core/" },
      to: { path: "^(src|steps)/", pathNot: "^src/core/" },
    },
    {
      name: "results-imports-core-only",
      severity: "error",
      comment: "src/results (reading Cucumber messages and results dirs) stands on src/core only.",
      from: { path: "^src/results/" },
      to: { path: "^(src|steps)/", pathNot: "^src/(core|results)/" },
    },
    {
      name: "attest-imports-core-only",
      severity: "error",
      comment: "src/attest (DSSE, keys, trust, run attestation, verdict files) stands on src/core only.",
      from: { path: "^src/attest/" },
      to: { path: "^(src|steps)/", pathNot: "^src/(core|attest)/" },
    },
    {
      name: "gate-never-imports-browser",
      severity: "error",
      comment: "The gate judges results; it never drives a browser.",
      from: { path: "^src/gate/" },
      to: { path: "^src/browser/" },
    },
    {
      name: "src-never-imports-steps",
      severity: "error",
      comment:
        "The framework loads steps by path through Cucumber; only the public API (src/index.ts) re-exports step helpers.",
      from: { path: "^src/", pathNot: "^src/index\\.ts$" },
      to: { path: "^steps/" },
    },
    {
      name: "steps-import-world-port-core",
      severity: "error",
      comment:
        "Steps talk to the World and the BrowserSession port (so every step works on every driver), core facts, the property glue and steps/support.",
      from: { path: "^steps/" },
      to: {
        path: "^src/",
        pathNot: "^src/(world\\.ts|browser/session\\.ts|core/|properties/)",
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.generated\\.js$" },
  },
};
