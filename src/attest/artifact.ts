// The artifact being gated/promoted: `NAME@sha256:HEX`, the subject of every statement.

export interface ArtifactRef {
  name: string;
  /** lowercase hex sha256, no prefix */
  sha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses NAME@sha256:HEX; returns an error string instead of throwing so callers pick the exit code. */
export function parseArtifactRef(text: string): ArtifactRef | string {
  const at = text.lastIndexOf("@");
  if (at <= 0) return `"${text}": expected NAME@sha256:HEX (e.g. registry.example/app@sha256:…)`;
  const name = text.slice(0, at);
  const digest = text.slice(at + 1);
  if (!digest.startsWith("sha256:")) return `"${text}": the digest must be sha256:<64 hex digits>`;
  const hex = digest.slice("sha256:".length).toLowerCase();
  if (!HEX64.test(hex)) return `"${text}": sha256 digest must be 64 hex digits`;
  if (/\s/.test(name)) return `"${text}": the name must not contain whitespace`;
  return { name, sha256: hex };
}

export function formatArtifactRef(a: ArtifactRef): string {
  return `${a.name}@sha256:${a.sha256}`;
}

/** "sha256:HEX" (as the run manifest records it) → lowercase hex, or undefined if it is not one. */
export function sha256FromDigest(digest: string | undefined | null): string | undefined {
  if (typeof digest !== "string") return undefined;
  const m = /^sha256:([0-9a-fA-F]{64})$/.exec(digest.trim());
  return m ? m[1].toLowerCase() : undefined;
}

export function isSha256Hex(x: unknown): x is string {
  return typeof x === "string" && HEX64.test(x);
}
