// Which part of a `signoff run` process tree holds the memory: a process's role from its command line.
export type Role =
  | "runner"
  | "cucumber"
  | "node (other)"
  | "chromedriver"
  | "chromium browser"
  | "chromium renderer"
  | "chromium gpu"
  | "chromium network"
  | "chromium storage"
  | "chromium utility (other)"
  | "chromium zygote"
  | "chromium crashpad"
  | "other";

export const ROLES: readonly Role[] = [
  "runner",
  "cucumber",
  "node (other)",
  "chromedriver",
  "chromium browser",
  "chromium renderer",
  "chromium gpu",
  "chromium network",
  "chromium storage",
  "chromium utility (other)",
  "chromium zygote",
  "chromium crashpad",
  "other",
];

const CHROMIUM = /(^|\/)(chromium|chrome|headless_shell|chrome-headless-shell)(\.bin)?$/;

/**
 * The role of a process, from its argv (/proc/PID/cmdline split on NUL). Chromium rewrites its child processes'
 * command lines as one space-separated string (and the network service's executable reads /proc/self/exe).
 */
export function roleOf(cmdline: readonly string[]): Role {
  const argv = cmdline.length === 1 ? cmdline[0].split(" ") : cmdline;
  const exe = argv[0] ?? "";
  if (/(^|\/)chromedriver$/.test(exe)) return "chromedriver";
  if (/(^|\/)chrome_crashpad_handler$/.test(exe)) return "chromium crashpad";
  if (CHROMIUM.test(exe) || (exe === "/proc/self/exe" && argv.some((a) => a.startsWith("--type=")))) {
    return chromiumRole(argv);
  }
  if (/(^|\/)node$/.test(exe)) {
    if (argv.some((a) => /(^|\/)bin\/signoff\.js$/.test(a))) return "runner";
    if (argv.some((a) => /cucumber-main\.(js|ts)$/.test(a))) return "cucumber";
    return "node (other)";
  }
  return "other";
}

function chromiumRole(argv: readonly string[]): Role {
  const type = argv.find((a) => a.startsWith("--type="))?.slice("--type=".length);
  if (type === undefined) return "chromium browser";
  if (type === "renderer") return "chromium renderer";
  if (type === "gpu-process") return "chromium gpu";
  if (type === "zygote") return "chromium zygote";
  if (type === "utility") {
    const sub = argv.find((a) => a.startsWith("--utility-sub-type="))?.slice("--utility-sub-type=".length) ?? "";
    if (sub.startsWith("network.")) return "chromium network";
    if (sub.startsWith("storage.")) return "chromium storage";
    return "chromium utility (other)";
  }
  return "chromium utility (other)";
}

/** The Scaling table's per-role columns: Chromium's small helper processes are summed as "chromium other". */
export const ROLE_COLUMNS = [
  "runner",
  "cucumber",
  "chromedriver",
  "chromium browser",
  "chromium renderer",
  "chromium gpu",
  "chromium network",
  "chromium other",
] as const;
export type RoleColumn = (typeof ROLE_COLUMNS)[number];

function columnOf(role: Role): RoleColumn | undefined {
  if ((ROLE_COLUMNS as readonly string[]).includes(role)) return role as RoleColumn;
  if (role.startsWith("chromium ")) return "chromium other";
  return undefined; // node (other), other: nothing Signoff starts
}

/** Per-role peaks (bytes) → MB per table column; each column sums its roles' own peaks. */
export function roleColumnsMB(peaks: Partial<Record<Role, { pss: number }>>): Partial<Record<RoleColumn, number>> {
  const out: Partial<Record<RoleColumn, number>> = {};
  for (const [role, v] of Object.entries(peaks) as [Role, { pss: number }][]) {
    const c = columnOf(role);
    if (c) out[c] = (out[c] ?? 0) + v.pss;
  }
  for (const c of Object.keys(out) as RoleColumn[]) out[c] = Math.round(out[c]! / (1 << 20));
  return out;
}
