// Allure labels and links for one scenario, derived from its Gherkin structure and tags (pure).
//
//   epic      @epic:<name> ("_" reads as a space; scenario wins over feature), else the feature file's folder under features/
//   feature   the Feature name (allure-cucumberjs adds it itself; not repeated here)
//   story     each requirement tag (@REQ-42 → "REQ-42"); without one, the enclosing Rule's name
//   severity  @severity:<blocker|critical|normal|minor|trivial> (the most specific tag wins)
//   owner     @owner:<name> (the most specific tag wins)
//   links     @REQ-42 → links.requirement with {id}=REQ-42; @issue:123 → links.issue with {id}=123
//
// Examples columns are already Allure parameters (allure-cucumberjs adds them): not repeated.
import { ruleNameOf, type GherkinDocument } from "../core/gherkin";
import { requirementIds } from "../core/tags";

/** Cucumber's testCaseStartedId of the attempt an Allure result is of (set by the World; hidden in the report). */
export const ATTEMPT_LABEL = "signoff.attempt";
/** The failure's category, from its error type (written by `signoff report`; Allure's categories match it). */
export const CATEGORY_LABEL = "signoff.category";

export interface AllureLabel {
  name: string;
  value: string;
}

export interface AllureLink {
  url: string;
  name?: string;
  type?: string;
}

export const SEVERITIES = ["blocker", "critical", "normal", "minor", "trivial"] as const;

/** The parts of a Cucumber pickle this needs. */
export interface PickleLike {
  uri: string;
  tags: readonly { name: string }[];
  astNodeIds: readonly string[];
}

export interface LabelOptions {
  /** Requirement tag prefix without "@", e.g. "REQ-". */
  requirementTagPrefix: string;
  links: { requirement?: string; issue?: string };
}

/**
 * "https://tracker.example/{id}" + "REQ-42"; the id is URL-encoded, with the characters encodeURIComponent leaves
 * (`!'()*`) too: a ")" from an id would end a Markdown link early.
 */
export function applyUrlPattern(pattern: string, id: string): string {
  const encoded = encodeURIComponent(id).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pattern.split("{id}").join(encoded);
}

function lastTagValue(tags: string[], key: string): string | undefined {
  const prefix = `@${key}:`;
  const found = tags.filter((t) => t.toLowerCase().startsWith(prefix)).map((t) => t.slice(prefix.length));
  return found.length ? found[found.length - 1] : undefined;
}

/** features/checkout/pay.feature → "checkout"; features/x.feature → undefined. */
function folderEpic(uri: string): string | undefined {
  const parts = uri.replace(/\\/g, "/").split("/").filter(Boolean);
  if (parts.length < 2) return undefined;
  const dirs = parts.slice(0, -1);
  const i = dirs.lastIndexOf("features");
  const rest = i >= 0 ? dirs.slice(i + 1) : dirs.slice(1);
  return rest.length ? rest.join("/") : undefined;
}

export function scenarioMetadata(
  pickle: PickleLike,
  doc: GherkinDocument | undefined,
  opts: LabelOptions,
): { labels: AllureLabel[]; links: AllureLink[] } {
  const tags = pickle.tags.map((t) => t.name);
  const labels: AllureLabel[] = [];
  const links: AllureLink[] = [];

  const epic = lastTagValue(tags, "epic")?.replace(/_/g, " ") ?? folderEpic(pickle.uri);
  if (epic) labels.push({ name: "epic", value: epic });

  const requirements = requirementIds(tags, opts.requirementTagPrefix);
  if (requirements.length) for (const r of requirements) labels.push({ name: "story", value: r });
  else {
    const rule = ruleNameOf(doc, pickle.astNodeIds[0]);
    if (rule) labels.push({ name: "story", value: rule });
  }

  const severity = lastTagValue(tags, "severity")?.toLowerCase();
  if (severity && (SEVERITIES as readonly string[]).includes(severity))
    labels.push({ name: "severity", value: severity });

  const owner = lastTagValue(tags, "owner");
  if (owner) labels.push({ name: "owner", value: owner });

  if (opts.links.requirement) {
    for (const r of requirements)
      links.push({ type: "requirement", name: r, url: applyUrlPattern(opts.links.requirement, r) });
  }
  const issues = [
    ...new Set(tags.filter((t) => t.toLowerCase().startsWith("@issue:")).map((t) => t.slice("@issue:".length))),
  ];
  if (opts.links.issue) {
    for (const id of issues) links.push({ type: "issue", name: id, url: applyUrlPattern(opts.links.issue, id) });
  }
  return { labels, links };
}
