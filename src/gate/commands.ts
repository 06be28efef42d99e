// `signoff keygen | gate | approve | trust add | verify`: command-line wiring for the release gate.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext, ParsedOptions } from "../core/command-context";
import { EXIT, UsageError } from "../core/errors";
import { escapeControl } from "../core/safe-text";
import { shownPath } from "../core/shown-path";
import { VERDICT_FILE } from "../core/reports-dir";
import { parseArtifactRef, type ArtifactRef } from "../attest/artifact";
import {
  KEY_ENV,
  KEY_PASSWORD_ENV,
  KEY_TYPES,
  loadPublicKeyFile,
  loadSigningKey,
  writeKeyPair,
  type KeyType,
} from "../attest/keys";
import { DEFAULT_POLICY_FILE, loadPolicy, policyFileDigest, type GatePolicy } from "./policy";
import { DEFAULT_TRUST_FILE, GATE_ROLE, RUNNER_ROLE, type Trust } from "../attest/trust";

// The heavy parts load when their command runs: each command pays only for itself.
const approveModule = () => require("./approve") as typeof import("./approve");
const configModule = () => require("../config/load") as typeof import("../config/load");
const baselineModule = () => require("./baseline") as typeof import("./baseline");
const gateModule = () => require("./gate") as typeof import("./gate");
const requirementsModule = () => require("./requirements") as typeof import("./requirements");
const summaryModule = () => require("./summary") as typeof import("./summary");
const trustModule = () => require("../attest/trust") as typeof import("../attest/trust");
const verifyModule = () => require("./verify") as typeof import("./verify");

const DEFAULT_VERDICT = VERDICT_FILE;

function artifactArg(v: string): ArtifactRef {
  const a = parseArtifactRef(v);
  if (typeof a === "string") throw new InvalidArgumentError(a);
  return a;
}

function thresholdArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidArgumentError("must be a whole number from 0 to 100");
  return n;
}

/** The trust file the gate checks run attestations with; the gate's own key must not be pinned for another role. */
function loadGateTrust(file: string, gateKeyid: string): Trust {
  const trust = trustModule().loadTrust(file);
  const pinned = trust.keysById.get(gateKeyid);
  if (pinned && pinned.role !== GATE_ROLE)
    throw new UsageError(
      `${file}: the gate's key (keyid ${gateKeyid}) is pinned for role ${pinned.role}; the gate key must be a key of its own`,
    );
  return trust;
}

/**
 * verify's trust file. The default one (./trust.yaml, no --trust given) not being there most often means the command
 * runs elsewhere than the trust file: the line says how to name it, and how one is made.
 */
function loadVerifyTrust(file: string, defaulted: boolean): Trust {
  try {
    return trustModule().loadTrust(file, { requireGate: true });
  } catch (err) {
    if (defaulted && err instanceof UsageError && (err.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT")
      throw new UsageError(
        `${err.message} — name the trust file with --trust FILE (one is made with signoff trust add --role gate --key gate.pub; see docs/gate.md)`,
        { cause: err.cause },
      );
    throw err;
  }
}

/**
 * What verify will refuse about this verdict, known from the trust file before the gate runs: said as warnings (the
 * gate's job is the decision; the trust file may be updated before verify), so nobody learns it only at promotion.
 */
function verifyWillRefuse(trust: Trust, policy: GatePolicy, gateKeyid: string): string[] {
  const out: string[] = [];
  if (!trust.allowedPolicies.has(policy.digest))
    out.push(
      `${policy.source} (sha256:${policy.digest}) is not on ${trust.source}'s allowedPolicies: verify --trust ${trust.source} will refuse this verdict until it is (signoff trust add --allow-policy ${policy.source})`,
    );
  if (trust.keysById.get(gateKeyid)?.role !== GATE_ROLE)
    out.push(
      `the gate's key (keyid ${gateKeyid}) is not pinned in ${trust.source} for role gate: verify --trust ${trust.source} will refuse this verdict until it is (signoff trust add --role gate --key <the gate's .pub>)`,
    );
  return out;
}

/**
 * What a release gate (one given --trust) lets through under this policy that its author likely meant to stop, said
 * as warnings: with no stagingOrigins, a run against any server counts, and any server can answer any build's digest.
 */
function policyGaps(policy: GatePolicy): string[] {
  return policy.stagingOrigins
    ? []
    : [
        `${policy.source} lists no stagingOrigins: a run against any server counts, and any server can answer with any build's digest (a copy of a good build claiming a defective one's passes); list your staging's origin (docs/gate.md)`,
      ];
}

/** The options with the named path options (a path or a list of them) spelled as src/core/shown-path.ts spells paths. */
function withShownPaths<T extends object>(o: T, names: ReadonlyArray<keyof T & string>): T {
  const out = { ...o } as Record<string, unknown>;
  for (const name of names) {
    const v = out[name];
    if (typeof v === "string") out[name] = shownPath(v);
    else if (Array.isArray(v)) out[name] = v.map((p) => (typeof p === "string" ? shownPath(p) : p));
  }
  return out as T;
}

/**
 * A results dir that is not there is a mistyped path or a download that never happened, and one the gate cannot
 * reach is a setup error: one line and exit 2 before anything is read or written (the default verdict would
 * otherwise create the directory). An empty directory, or files in it the gate cannot read, are judged: a FAIL with
 * its reason, in a signed verdict.
 */
function refuseAbsentResultsDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let st;
    try {
      st = statSync(dir, { throwIfNoEntry: false });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A path through a file (reports.txt/x) is not there either.
      if (code !== "ENOTDIR") throw new UsageError(`${dir}: cannot reach the results directory (${code})`);
    }
    if (!st)
      throw new UsageError(`${dir}: results directory not found (the directory signoff run wrote; pass --results DIR)`);
    if (!st.isDirectory())
      throw new UsageError(`${dir}: not a directory (--results takes the directory signoff run wrote)`);
  }
}

export function registerGateCommands(program: Command, ctx: CommandContext): void {
  program
    .command("keygen")
    .description(
      `create a signing key pair: PREFIX.key (private, mode 0600) and PREFIX.pub (encrypted when $${KEY_PASSWORD_ENV} is set)`,
    )
    .requiredOption("--out <prefix>", "path prefix for the key files, e.g. keys/gate")
    .addOption(new Option("--type <type>", "key type").choices(KEY_TYPES).default("ecdsa-p256"))
    .action(
      ctx.action(async (o: { out: string; type: KeyType }) => {
        const { keyFile, pubFile, keyid } = writeKeyPair(
          shownPath(o.out),
          o.type,
          process.env[KEY_PASSWORD_ENV] || undefined,
        );
        console.log(`signoff keygen: wrote ${keyFile} (private, 0600) and ${pubFile} (${o.type}, keyid ${keyid})`);
        return EXIT.ok;
      }),
    );

  program
    .command("gate")
    .description("decide on the results against the release policy and write a signed verdict bound to the artifact")
    .requiredOption("--artifact <name@sha256:hex>", "the build to promote (the statements' subject)", artifactArg)
    .option("--key <file>", `private key of the gate (or set $${KEY_ENV})`)
    .option("--policy <file>", "release policy", DEFAULT_POLICY_FILE)
    .option(
      "--results <dir...>",
      "results directories (several = shards from several machines; default: the config's reportsDir, else reports)",
    )
    .option(
      "--features <dir>",
      "feature files declaring the requirements (default: the config's features, with any other the run used as run.json lists them)",
    )
    .option("--baseline <file>", "last passing verdict (.jsonl) or results directory, for regressions")
    .option(
      "--config <file>",
      "signoff config: its reportsDir and features apply when not given here; recorded in the evidence",
      "signoff.config.yaml",
    )
    .option("--out <file>", `verdict file (default: <first results dir>/${DEFAULT_VERDICT})`)
    .option(
      "--trust <file>",
      "trust file pinning the runner key: checks each results dir's run attestation (required when the policy sets requireRunAttestation)",
    )
    .action(
      ctx.action(async (given: ParsedOptions) => {
        // Every path as the lines print it (src/core/shown-path.ts): each reason derived from one spells it alike.
        const o = withShownPaths(given, ["config", "policy", "key", "results", "features", "baseline", "out", "trust"]);
        const artifact = o.artifact as ArtifactRef;
        // The config is read only when present: a gate job without one keeps the built-in defaults (unless run
        // from a subfolder of a project whose root holds one: loadConfig refuses that, see configAbove).
        const config = configModule().loadConfig(existsSync(o.config) ? o.config : undefined);
        const policy = loadPolicy(o.policy);
        if (config.requirementTagPrefix !== policy.requirementTagPrefix)
          console.error(
            escapeControl(
              `signoff gate: warning: the config's requirementTagPrefix "${config.requirementTagPrefix}" is not the policy's "${policy.requirementTagPrefix}"; the gate counts the policy's (set it in ${policy.source})`,
            ),
          );
        // Load the key before any work: a missing or unsafe key is a setup error, not a verdict.
        const key = loadSigningKey(o.key);
        const trust = o.trust ? loadGateTrust(o.trust, key.keyid) : undefined;
        if (policy.requireRunAttestation && !trust?.roles[RUNNER_ROLE])
          throw new UsageError(
            trust
              ? `${o.trust}: roles.runner: the policy requires a run attestation but no runner key is pinned (signoff trust add --role runner --key runner.pub)`
              : `${policy.source}: requireRunAttestation: pass --trust FILE pinning the runner's key (signoff trust add --role runner --key runner.pub)`,
          );
        const dirs = (o.results as string[] | undefined) ?? [shownPath(config.reportsDir)];
        refuseAbsentResultsDirs(dirs);
        // Which feature files, before any result is read (loading 100k results takes seconds); they are read and
        // parsed by runGate while it hashes the messages.
        const featureFiles = requirementsModule().gateFeatureFiles(o.features, dirs, config.features);
        if (!featureFiles && (policy.requirements === "all" || policy.scenarios === "all"))
          throw new UsageError(
            `${o.features ?? config.features.join(", ")}: feature directory not found (the policy ${policy.requirements === "all" ? "requires all requirements found there" : "judges every scenario of them (scenarios: all)"}; pass --features DIR)`,
          );
        const features =
          featureFiles &&
          ((recorded: ReadonlyMap<string, readonly string[]>) =>
            requirementsModule().readFeatureFiles(featureFiles, policy.requirementTagPrefix, recorded));
        const baseline = o.baseline
          ? await baselineModule().loadBaseline(o.baseline, policy.requirementTagPrefix, trust, artifact.name)
          : undefined;
        // Said once every input was taken (a refused one stays one line), before the results are read.
        for (const warning of trust ? [...verifyWillRefuse(trust, policy, key.keyid), ...policyGaps(policy)] : [])
          console.error(`signoff gate: warning: ${escapeControl(warning)}`);
        const out = (o.out as string | undefined) ?? join(dirs[0], DEFAULT_VERDICT);
        const res = await gateModule().runGate({
          artifact,
          policy,
          key,
          resultsDirs: dirs,
          features,
          baseline,
          configFile: o.config,
          configTargets: configModule().usesNoConfigFile(config) ? undefined : Object.keys(config.targets),
          out,
          trust,
        });
        // What verify will ask for: the policy's sign-offs, and with --trust the trust file's thresholds too.
        const signoffs = Object.fromEntries(verifyModule().neededSignoffs(trust, policy.signoffs));
        console.log(summaryModule().gateSummary(res.decision, artifact, out, policy.source, signoffs));
        return res.decision.verificationResult === "PASSED" ? EXIT.ok : EXIT.no;
      }),
    );

  program
    .command("approve")
    .description("append your signed sign-off (role, time, comment) naming the verdict's decision and artifact")
    .requiredOption("--verdict <file>", "verdict file to sign off")
    .option("--key <file>", `your private key (or set $${KEY_ENV})`)
    .requiredOption("--role <role>", "your role, e.g. qa or release-manager")
    .option("--comment <text>", "why you approve")
    .option("--trust <file>", "trust file: check the decision's gate signature before signing it (recommended)")
    .action(
      ctx.action(async (given: { verdict: string; key?: string; role: string; comment?: string; trust?: string }) => {
        const o = withShownPaths(given, ["verdict", "key", "trust"]);
        const key = loadSigningKey(o.key);
        const trust = o.trust ? trustModule().loadTrust(o.trust, { requireGate: true }) : undefined;
        const res = approveModule().approve({ verdictFile: o.verdict, key, role: o.role, comment: o.comment, trust });
        // Said once the sign-off is made, so a refused input stays one line.
        if (!trust)
          console.error(
            "signoff approve: no --trust FILE given, so the decision's gate signature was not checked before you signed it",
          );
        console.log(
          escapeControl(
            `signoff approve: ${o.role} sign-off by key ${key.keyid.slice(0, 12)}… for ${res.subject.name}@sha256:${res.subject.digest.sha256} (decision sha256:${res.decisionDigest}) appended to ${o.verdict}`,
          ),
        );
        return EXIT.ok;
      }),
    );

  const trust = program
    .command("trust")
    .description("manage the trust file verify uses (pinned keys per role, allowed policies, max age)");
  trust
    .command("add")
    .description(
      "pin a public key for a role, allow a policy digest, or set the max verdict age (creates the file if missing)",
    )
    .option("--trust <file>", "trust file", DEFAULT_TRUST_FILE)
    .option("--role <role>", "gate, runner (the run jobs' key), or a sign-off role such as qa or release-manager")
    .option("--key <pub>", "public key file (PEM) to pin for --role")
    .option("--name <text>", "who or what the key belongs to (a label)")
    .addOption(new Option("--threshold <n>", "distinct keys required for --role").argParser(thresholdArg))
    .option(
      "--allow-policy <file>",
      "allow verdicts made under this policy file (its sha256), instead of those under its earlier versions",
    )
    .option("--max-age <duration>", "maximum verdict age at promotion, e.g. 24h")
    .action(
      ctx.action(async (given: ParsedOptions) => {
        const o = withShownPaths(given, ["trust", "key"]);
        if (o.key && !o.role) throw new UsageError("--key needs --role (which role the key signs for)");
        if (!o.role && !o.allowPolicy && !o.maxAge)
          throw new UsageError("nothing to add: pass --role and --key, --allow-policy FILE or --max-age DURATION");
        const pub = o.key ? loadPublicKeyFile(o.key) : undefined;
        const { created, replaced } = trustModule().addToTrust(o.trust, {
          role: o.role,
          publicKeyPem: pub?.pem,
          keyName: o.name,
          threshold: o.threshold,
          allowPolicy: o.allowPolicy ? { digest: policyFileDigest(o.allowPolicy), name: o.allowPolicy } : undefined,
          maxAge: o.maxAge,
        });
        const did = [
          pub ? `pinned ${pub.type} key ${pub.keyid} for role ${o.role}` : "",
          o.threshold !== undefined ? `threshold ${o.threshold} for role ${o.role}` : "",
          o.allowPolicy ? `allowed policy ${o.allowPolicy} (sha256:${policyFileDigest(o.allowPolicy)})` : "",
          replaced.length > 0
            ? `no longer its earlier version${replaced.length > 1 ? "s" : ""} ${replaced.join(", ")}`
            : "",
          o.maxAge ? `max age ${o.maxAge}` : "",
        ].filter(Boolean);
        console.log(escapeControl(`signoff trust: ${created ? "created" : "updated"} ${o.trust}: ${did.join("; ")}`));
        return EXIT.ok;
      }),
    );

  program
    .command("verify")
    .description("exit 0 only if the verdict lets this artifact be promoted; otherwise list every failed check")
    .requiredOption("--verdict <file>", "verdict file (JSONL of DSSE envelopes)")
    .requiredOption("--artifact <name@sha256:hex>", "the build being promoted", artifactArg)
    .option("--trust <file>", "trust file", DEFAULT_TRUST_FILE)
    .action(
      ctx.action(async (given: { verdict: string; artifact: ArtifactRef; trust: string }, cmd: Command) => {
        const o = withShownPaths(given, ["verdict", "trust"]);
        const defaulted = cmd.getOptionValueSource("trust") === "default";
        const report = await verifyModule().verifyVerdictFile(o.verdict, () => ({
          artifact: o.artifact,
          trust: loadVerifyTrust(o.trust, defaulted),
        }));
        const text = summaryModule().verifySummary(report, o.artifact, { file: o.trust, defaulted });
        if (report.ok) console.log(text);
        else console.error(text);
        return report.ok ? EXIT.ok : EXIT.no;
      }),
    );
}
