// What a response or page must never show a visitor: stack traces and the server's file paths.

export interface Leak {
  kind: "stack trace" | "internal path";
  /** The offending line, trimmed to something readable. */
  excerpt: string;
}

const STACK_PATTERNS: RegExp[] = [
  // Node / V8: "    at fn (/srv/app/server.js:12:34)", "at node:internal/...", "at file:///..."
  /^\s*at\s+(?:[^\n(]*?\s+\()?(?:\/|[A-Za-z]:\\|node:|file:\/\/|internal\/|webpack:)[^\n)]*:\d+(?::\d+)?\)?\s*$/m,
  /^\s*at\s+[\w$.<>[\] ]+\s+\(&lt;anonymous&gt;\)\s*$/m,
  // Python, Java, .NET, Ruby, PHP, Go
  /Traceback \(most recent call last\)/,
  /^\s*at\s+[\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)/m,
  /^\s*at\s+[\w.`<>]+\(.*\)\s+in\s+.+:line\s+\d+/m,
  /\.rb:\d+:in\s+[`']/,
  /(?:Fatal error|Warning|Notice|Parse error):\s.+\sin\s\S+\.php\s+on line\s+\d+/,
  /^goroutine \d+ \[running\]:/m,
];

const PATH_PATTERNS: RegExp[] = [
  /(?:^|[\s"'(=:,[])(\/(?:home|root|usr|var|opt|srv|app|apps|work|workspace|tmp|etc|proc|Users|mnt|data|builds?|runner|github)\/[^\s"'<>)\]]+)/m,
  /(?:^|[\s"'(=:,[])([A-Za-z]:\\(?:Users|Windows|inetpub|Program Files|srv|app|work|build)[^\s"'<>)]*)/im,
  /(?:^|[\s"'(=:,[/])(node_modules\/[^\s"'<>)]+)/m,
];

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index) + 1;
  const endAt = text.indexOf("\n", index);
  const line = text.slice(start, endAt < 0 ? undefined : endAt).trim();
  return line.length > 160 ? line.slice(0, 157) + "..." : line;
}

/**
 * Finds stack traces and internal paths in a body. `echoed` are strings the client itself sent
 * (path, query, form values): a page may repeat them back, which is not a leak.
 */
export function findLeaks(body: string, echoed: readonly string[] = []): Leak[] {
  let text = body;
  for (const e of echoed) {
    if (e.length >= 3) text = text.split(e).join(" ");
  }
  const leaks: Leak[] = [];
  for (const re of STACK_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      leaks.push({ kind: "stack trace", excerpt: lineAround(text, m.index + (m[0].length - m[0].trimStart().length)) });
      break;
    }
  }
  for (const re of PATH_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      leaks.push({ kind: "internal path", excerpt: m[1] });
      break;
    }
  }
  return leaks;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.kind === "internal path" ? "an" : "a"} ${l.kind}: ${l.excerpt}`).join("; ");
}
