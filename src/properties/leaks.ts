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

/**
 * A Unix path under a directory servers keep their files in. Many are also routes of web apps (`/app/inbox`,
 * `/home/feed`, `/srv/status`): what is a URL is told apart by where it stands (`isUrl` below).
 */
const UNIX_PATH =
  /(?:^|[\s"'(=:,[>]|file:\/\/)(\/(?:home|root|usr|var|opt|srv|app|apps|work|workspace|tmp|etc|proc|Users|mnt|data|builds?|runner|github)\/[^\s"'<>)\]]+)/gm;
/** A Windows path, or a path into node_modules: never a URL of the app (a URL in an attribute is masked first). */
const OTHER_PATHS: RegExp[] = [
  /(?:^|[\s"'(=:,[])([A-Za-z]:\\(?:Users|Windows|inetpub|Program Files|srv|app|work|build)[^\s"'<>)]*)/im,
  /(?:^|[\s"'(=:,[/])(node_modules\/[^\s"'<>)]+)/m,
];

/**
 * A path as only a file's path is shown, never a URL: with the line in it, as a stack trace or an error page shows
 * it (`/srv/app/server.js:42`, `/srv/app/index.js:10:5`, `… in /var/www/html/index.php on line 3`,
 * `File "/srv/app/views.py", line 3`), markup between them left out.
 */
const WITH_LINE = /:\d+(?::\d+)?$/;
const LINE_AFTER = /^(?:["']?,?\s*line\s+\d+|\s+on\s+line\s+\d+|\s*\(line\s+\d+\))/i;

/**
 * A server's source, config or secret file by its extension: quoted alone outside a `<script>` (a JSON value), such
 * a path is the file's, not a URL of the app (an API answers with `/app/avatars/1.png`, not `…/server.js`).
 */
const SERVER_FILE =
  /\.(?:js|cjs|mjs|ts|py|rb|php|java|go|rs|cs|pl|sh|yml|yaml|env|ini|conf|cfg|toml|properties|sql|sqlite|db|log|pem|key|crt)$/i;

/** Attributes whose value is a URL (`<a href>`, `<img src>`, `<form action>`…). */
const URL_ATTRIBUTE =
  /(\s(?:href|src|srcset|action|formaction|poster|cite|data|ping|background|manifest|codebase|longdesc|usemap|xlink:href|data-(?:href|src|url))\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)/gi;
/** `<meta http-equiv="refresh" content="0; url=/app/inbox">` */
const REFRESH_URL = /(\scontent\s*=\s*["']\s*\d+\s*;\s*url\s*=\s*)([^"'>]*)/gi;
/** CSS `url(/app/bg.png)` */
const CSS_URL = /(url\(\s*)("[^"]*"|'[^']*'|[^"')\s]*)/gi;

/** A URL of a web page: relative (`/app/inbox`, `inbox`, `//cdn…`) or http(s); not `file:`, an editor's link, `C:\`. */
function isWebUrl(value: string): boolean {
  const v = value.replace(/^["']|["']$/g, "").trim();
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(v);
  return scheme === null || /^https?$/i.test(scheme[1]);
}

/** `text` with the URLs of markup and CSS (the app's own links, images, forms) blanked out, each character a space. */
function withoutMarkupUrls(text: string): string {
  const blank = (whole: string, before: string, value: string) =>
    isWebUrl(value) ? before + " ".repeat(value.length) : whole;
  return text.replace(URL_ATTRIBUTE, blank).replace(REFRESH_URL, blank).replace(CSS_URL, blank);
}

/** Where `<script>` elements are: a quoted path in one is a string of the page's code. */
function scriptRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)(?:<\/script\s*>|$)/gi)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/**
 * Whether the path at `start` in `text` is a URL, not a file's path: one in quotes on its own, as code and JSON
 * hold URLs (`fetch("/app/inbox")`, `{"href": "/app/inbox"}`, `path: '/app/inbox'`, any quoted string in a
 * `<script>`) — while a file's path quoted in a sentence (`open '/home/deploy/data.json'`) is a leak; or one
 * that starts a text (`<td>/app/inbox</td>`). A path with its line in it is never a URL.
 */
function isUrl(text: string, start: number, path: string, scripts: ReadonlyArray<[number, number]>): boolean {
  const after = text.slice(start + path.length, start + path.length + 80);
  // PHP's HTML errors: "in <b>/var/www/html/index.php</b> on line <b>3</b>".
  if (WITH_LINE.test(path) || LINE_AFTER.test(after.replace(/<\/?[a-z][^>]*>/gi, ""))) return false;
  const before = text[start - 1];
  if (before === ">") return true;
  if ((before === '"' || before === "'") && after[0] === before) {
    if (scripts.some(([from, to]) => start >= from && start < to)) return true;
    // A value naming a server's source or config file (`{"file": "/home/deploy/app/server.js"}`) is that file's path.
    if (SERVER_FILE.test(path)) return false;
    const lead = text.slice(Math.max(0, start - 41), start - 1);
    return /(?:[:([,={?]|=>|\b(?:return|case|from|import|of))\s*$/.test(lead);
  }
  return false;
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index) + 1;
  const endAt = text.indexOf("\n", index);
  const line = text.slice(start, endAt < 0 ? undefined : endAt).trim();
  return line.length > 160 ? line.slice(0, 157) + "..." : line;
}

/**
 * Finds stack traces and internal paths in a body. `echoed` are strings the client itself sent
 * (path, query, form values): a page may repeat them back, which is not a leak. Nor are the app's own URLs: a path
 * in a link, image, form or CSS `url()`, or quoted alone in code or JSON, is a URL (`<a href="/app/inbox">`), not
 * a file of the server (a path quoted in code with a line number in it is a file's, as in a stack trace).
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
  const path = internalPath(withoutMarkupUrls(text));
  if (path !== undefined) leaks.push({ kind: "internal path", excerpt: path });
  return leaks;
}

/** The first file path of the server in `text` (its markup's URLs blanked out), if any. */
function internalPath(text: string): string | undefined {
  const scripts = scriptRanges(text);
  for (const m of text.matchAll(UNIX_PATH)) {
    const start = m.index + m[0].length - m[1].length;
    if (!isUrl(text, start, m[1], scripts)) return m[1];
  }
  for (const re of OTHER_PATHS) {
    const m = re.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.kind === "internal path" ? "an" : "a"} ${l.kind}: ${l.excerpt}`).join("; ");
}
