// "Build" and "deploy" for the release-pipeline demo.
//
// A build packs an app directory into a deterministic tarball (sorted entries, fixed mtime,
// uid/gid 0, normalised modes, no owner names), so the same sources always give the same bytes and
// the artifact's identity is the sha256 of those bytes: NAME@sha256:HEX, like an image digest.
// A deploy checks that digest, unpacks the tarball into a fresh directory and starts the app from
// there with --build-digest, so GET /__build reports exactly the artifact that was deployed.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";

export interface Artifact {
  /** Artifact name (the subject name in the verdict), e.g. "visitor-counter". */
  name: string;
  version: string;
  /** Lowercase hex sha256 of the tarball's bytes. */
  sha256: string;
  /** The tarball. */
  file: string;
  /** What it was built from (for the narrative). */
  source: string;
  entries: number;
  bytes: number;
}

/** NAME@sha256:HEX, the form `signoff gate|verify --artifact` takes. */
export function artifactRef(a: Artifact): string {
  return `${a.name}@sha256:${a.sha256}`;
}

export function shortDigest(hex: string): string {
  return `sha256:${hex.slice(0, 12)}…`;
}

// ---------------------------------------------------------------- deterministic tar (POSIX ustar)

const BLOCK = 512;
/** Everything in the tarball gets this mtime: the Unix epoch. Nothing about the build machine leaks in. */
const FIXED_MTIME = 0;
/** Never packed: runtime state and installed dependencies. */
const EXCLUDE = new Set(["data", "node_modules", ".git", ".DS_Store"]);

interface Entry {
  path: string; // posix, relative, dirs end with "/"
  type: "file" | "dir";
  mode: number;
  body?: Buffer;
}

function octal(value: number, width: number): string {
  // width includes the terminating NUL
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(e: Entry): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let name = e.path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    // ustar: split at a "/" so that prefix ≤ 155 and name ≤ 100 bytes
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`path too long for ustar: ${e.path}`);
  }
  h.write(name, 0, 100, "utf8");
  h.write(octal(e.mode, 8), 100, 8, "ascii");
  h.write(octal(0, 8), 108, 8, "ascii"); // uid
  h.write(octal(0, 8), 116, 8, "ascii"); // gid
  h.write(octal(e.body?.length ?? 0, 12), 124, 12, "ascii");
  h.write(octal(FIXED_MTIME, 12), 136, 12, "ascii");
  h.write("        ", 148, 8, "ascii"); // checksum placeholder: spaces
  h.write(e.type === "dir" ? "5" : "0", 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  // uname/gname left empty, devmajor/devminor zero
  h.write(octal(0, 8), 329, 8, "ascii");
  h.write(octal(0, 8), 337, 8, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, 8, "ascii");
  return h;
}

function collect(root: string): Entry[] {
  const out: Entry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (EXCLUDE.has(name)) continue;
      const full = join(dir, name);
      const st = statSync(full);
      const rel = relative(root, full).split(sep).join("/");
      if (st.isDirectory()) {
        out.push({ path: `package/${rel}/`, type: "dir", mode: 0o755 });
        walk(full);
      } else if (st.isFile()) {
        // Only "executable or not" survives, as git does: 0755 or 0644.
        out.push({
          path: `package/${rel}`,
          type: "file",
          mode: st.mode & 0o111 ? 0o755 : 0o644,
          body: readFileSync(full),
        });
      }
      // sockets, symlinks and the like are not part of an artifact
    }
  };
  walk(root);
  out.push({ path: "package/", type: "dir", mode: 0o755 });
  // Byte order of the path, not the file system's order.
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

/** The tarball's bytes for a directory: identical for identical contents, wherever and whenever it runs. */
export function packDirectory(root: string): { bytes: Buffer; entries: number } {
  const entries = collect(root);
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    if (e.body) {
      parts.push(e.body);
      const pad = (BLOCK - (e.body.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // end of archive
  return { bytes: Buffer.concat(parts), entries: entries.length };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Builds the app in `sourceDir` into `outDir/<name>-<version>.tar` and names it by its digest. */
export function buildArtifact(sourceDir: string, outDir: string, opts: { name?: string } = {}): Artifact {
  const pkg = JSON.parse(readFileSync(join(sourceDir, "package.json"), "utf8")) as { name: string; version: string };
  const name = opts.name ?? pkg.name;
  const { bytes, entries } = packDirectory(sourceDir);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}-${pkg.version}.tar`);
  writeFileSync(file, bytes);
  return {
    name,
    version: pkg.version,
    sha256: sha256Hex(bytes),
    file,
    source: sourceDir,
    entries,
    bytes: bytes.length,
  };
}

function readOctal(buf: Buffer, off: number, len: number): number {
  const s = buf
    .toString("ascii", off, off + len)
    .replace(/\0.*$/s, "")
    .trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/**
 * Unpacks a tarball made by packDirectory into `dest` after checking its digest: what runs is
 * byte for byte the artifact that was tested. Only plain files and directories, only paths
 * inside `dest`.
 */
export function unpackArtifact(a: Artifact, dest: string): string {
  const bytes = readFileSync(a.file);
  const actual = sha256Hex(bytes);
  if (actual !== a.sha256)
    throw new Error(
      `${a.file}: digest is sha256:${actual}, expected sha256:${a.sha256} — refusing to deploy a different artifact`,
    );
  const root = resolve(dest);
  mkdirSync(root, { recursive: true });
  let off = 0;
  while (off + BLOCK <= bytes.length) {
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const name = h.toString("utf8", 0, 100).replace(/\0.*$/s, "");
    const prefix = h.toString("utf8", 345, 500).replace(/\0.*$/s, "");
    const path = prefix ? `${prefix}/${name}` : name;
    const size = readOctal(h, 124, 12);
    const mode = readOctal(h, 100, 8);
    const type = String.fromCharCode(h[156]);
    const target = resolve(root, posix.normalize(path));
    if (!target.startsWith(root + sep) && target !== root)
      throw new Error(`${a.file}: entry ${JSON.stringify(path)} escapes the deploy directory`);
    off += BLOCK;
    if (type === "5") mkdirSync(target, { recursive: true });
    else if (type === "0" || type === "\0") {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes.subarray(off, off + size), { mode });
    } else throw new Error(`${a.file}: entry ${JSON.stringify(path)} has unsupported type ${JSON.stringify(type)}`);
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return join(root, "package");
}

// ---------------------------------------------------------------- running an instance

export interface Instance {
  label: string;
  artifact: Artifact;
  url: string; // http://127.0.0.1:PORT (no trailing slash)
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** All processes this module started and has not stopped yet (so the demo can clean up on any exit path). */
export const running = new Set<Instance>();

/**
 * Deploys an artifact: unpack into `deployDir`, start its server.js on 127.0.0.1 with a free port,
 * the given data directory, and the artifact's name, version and digest as its build identity.
 */
export async function startInstance(
  a: Artifact,
  opts: { label: string; deployDir: string; dataDir: string; logFile: string; env?: NodeJS.ProcessEnv },
): Promise<Instance> {
  const appDir = unpackArtifact(a, opts.deployDir);
  mkdirSync(opts.dataDir, { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: "a" });
  const child = spawn(
    process.execPath,
    [
      join(appDir, "server.js"),
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--data-dir",
      opts.dataDir,
      "--build-name",
      a.name,
      "--build-version",
      a.version,
      "--build-digest",
      `sha256:${a.sha256}`,
    ],
    { cwd: appDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...opts.env } },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(inst);
    log.end();
  };
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${opts.label}: ${a.name} ${a.version} did not start within 15 s (log: ${opts.logFile})`));
    }, 15_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${opts.label}: ${a.name} ${a.version} exited (${code ?? signal}) before listening (log: ${opts.logFile})`,
        ),
      );
    });
  });
  const inst: Instance = { label: opts.label, artifact: a, url, process: child, logFile: opts.logFile, stop };
  running.add(inst);
  return inst;
}

/** GET url/healthz until it answers 200 `times` times in a row (bounded by timeoutMs). */
export async function healthCheck(
  url: string,
  opts: { times?: number; timeoutMs?: number } = {},
): Promise<{ ok: boolean; checks: number; detail: string }> {
  const times = opts.times ?? 3;
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let streak = 0;
  let checks = 0;
  let detail = "";
  while (Date.now() < deadline) {
    checks++;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) streak++;
      else {
        streak = 0;
        detail = `answered ${res.status}`;
      }
    } catch (err) {
      streak = 0;
      detail = (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    }
    if (streak >= times) return { ok: true, checks, detail: `${times}× 200` };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, checks, detail: detail || "timed out" };
}

export interface BuildIdentity {
  name: string;
  version: string;
  digest: string;
}

export async function fetchBuild(url: string): Promise<BuildIdentity> {
  const res = await fetch(`${url}/__build`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url}/__build answered ${res.status}`);
  return (await res.json()) as BuildIdentity;
}
