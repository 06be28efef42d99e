// Cucumber profiles for a Signoff project, for Cucumber's own CLI and IDE plugins: `npx cucumber-js -p signoff` (docs/api.md).
// Nothing runs at import; the config is read when a profile is asked for.
import { join } from "node:path";
import { loadConfig, unknownTargets } from "./config/load";
import { defaultConfig } from "./config/defaults";
import { SNIPPET_SYNTAX } from "./runner/snippet-syntax";
import { supportCode } from "./runner/support-files";
import { targetTagExpression } from "./runner/targets";
import { PLUGIN_OPTIONS_KEY, type ProfilePluginOptions } from "./profile-plugin";

export interface ProfileOptions {
  /** A target name (default: the config's first default target). */
  target?: string;
  /** The signoff config file (default: signoff.config.yaml in the project, if present). */
  config?: string;
  /** The project directory (default: the current directory). */
  cwd?: string;
}

/** One Cucumber profile: Signoff's support and generic steps, the project's steps and loader, and the target as a world parameter. */
export function signoffProfile(options: ProfileOptions = {}): Record<string, unknown> {
  const config = loadConfig(options.config);
  const support = supportCode(config, options.cwd ?? process.cwd());
  // Cucumber's own default is features/**/*.{feature,feature.md}; naming paths here would add them to any path given on the command line.
  const target = config.targets[options.target ?? config.defaultTargets[0]];
  if (!target) throw new Error(`signoff profile: ${unknownTargets([String(options.target)], config.targets)}`);
  const customFeatures = JSON.stringify(config.features) !== JSON.stringify(defaultConfig().features);
  return {
    ...(customFeatures ? { paths: config.features } : {}),
    requireModule: support.requireModules,
    require: support.requirePaths,
    import: support.importPaths,
    format: ["progress"],
    // Undefined steps' snippets in TypeScript, importing from Signoff (snippet-syntax.ts), as `signoff run` prints them.
    ...(support.typescriptSnippets ? { formatOptions: { snippetSyntax: SNIPPET_SYNTAX } } : {}),
    // What `signoff run` refuses before a run, said here too: a @target: tag naming no target, a selection of nothing.
    plugin: [join(__dirname, "profile-plugin-entry.js")],
    pluginOptions: { [PLUGIN_OPTIONS_KEY]: { targets: Object.keys(config.targets) } satisfies ProfilePluginOptions },
    // The narrowing tags (@mobile-only, @selenium-only, @target:NAME ...) as `signoff run` applies them.
    tags: targetTagExpression(target, Object.keys(config.targets)),
    worldParameters: { target: target.name, ...(options.config ? { config: options.config } : {}) },
  };
}

/** `default` and `signoff` (the config's first default target), plus one profile per target name (`-p se-desktop`). */
export function signoffProfiles(options: Omit<ProfileOptions, "target"> = {}): Record<string, Record<string, unknown>> {
  const config = loadConfig(options.config);
  const profiles: Record<string, Record<string, unknown>> = {
    default: signoffProfile(options),
    signoff: signoffProfile(options),
  };
  for (const name of Object.keys(config.targets)) profiles[name] = signoffProfile({ ...options, target: name });
  return profiles;
}
