// The release overview as a picture (SVG): Allure shows image attachments at their natural size,
// while HTML attachments get a fixed 150 px frame, so the at-a-glance view is an image.
// Monospace text keeps the layout computable without measuring fonts.
import { GAP_LEGEND, matrixCount, type Overview } from "./overview";
import { countsOf, gapOf, targetState } from "./results";
import { decisionOf, otherRunNote } from "./verdict";

const CH = 8.4; // width of one monospace character at 14px
const ROW = 26;
const PAD = 16;

const COLORS = {
  passed: "#1a7f37",
  flaky: "#9a6700",
  failed: "#cf222e",
  other: "#9a6700",
  na: "#8c959f",
  none: "#6e7781",
  gap: "#8250df",
};

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/** The longest of these lengths, at least `min`: a loop, since spreading 100k+ rows into Math.max overflows the stack. */
function longest(texts: readonly string[], min: number): number {
  let n = min;
  for (const t of texts) if (t.length > n) n = t.length;
  return n;
}

/** Matrix rows the picture draws; the HTML overview has them all (a picture of 100k rows is tens of MB). */
const MAX_SVG_ROWS = 300;

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

export function overviewSvg(o: Overview): string {
  const { data, matrix } = o;
  const verdict = decisionOf(o.verdict);
  const m = data.manifest;
  const els: string[] = [];
  let y = PAD;
  const text = (x: number, yy: number, s: string, attrs = "") =>
    els.push(`<text x="${x}" y="${yy}" ${attrs}>${esc(s)}</text>`);

  // Title and build.
  y += 18;
  text(PAD, y, `Release overview — ${o.title}`, 'font-size="18" font-weight="700"');
  y += 22;
  text(PAD, y, `digest ${m?.build?.digest ?? "(not observed)"}`, 'fill="#57606a"');
  y += 18;
  text(
    PAD,
    y,
    `staging ${m?.baseUrl ?? "?"} · suite ${m?.gitCommit?.slice(0, 12) ?? "?"} · Signoff ${m?.toolVersion ?? "?"}`,
    'fill="#57606a"',
  );

  // Decision and tests banners.
  y += 14;
  const note = otherRunNote(o.verdict);
  const decision = !verdict
    ? `No gate decision ${note ? "for this run" : "yet"}`
    : `Gate decision: ${verdict.result ?? "unreadable"}`;
  const dColor = !verdict ? COLORS.none : verdict.result === "PASSED" ? COLORS.passed : COLORS.failed;
  const all = countsOf(data.scenarios);
  const tests = `Tests: ${all.passed}/${all.total} passed on ${data.targets.length} target(s)${m && !m.complete ? " · INCOMPLETE" : ""}`;
  const w1 = Math.max(decision.length * 9 + 24, 220);
  const w2 = tests.length * 9 + 24;
  els.push(`<rect x="${PAD}" y="${y}" width="${w1}" height="32" rx="6" fill="${dColor}"/>`);
  text(PAD + 12, y + 21, decision, 'fill="#fff" font-weight="700"');
  els.push(
    `<rect x="${PAD + w1 + 10}" y="${y}" width="${w2}" height="32" rx="6" fill="${o.testsOk ? COLORS.passed : COLORS.failed}"/>`,
  );
  text(PAD + w1 + 22, y + 21, tests, 'fill="#fff" font-weight="700"');
  y += 32;
  if (note) {
    y += 20;
    text(PAD + 4, y, clip(note, 110));
  }
  const reasons = verdict?.reasons ?? [];
  for (const r of reasons.slice(0, 8)) {
    y += 20;
    text(PAD + 4, y, `• ${clip(r, 110)}`);
  }
  if (reasons.length > 8) {
    y += 20;
    text(PAD + 4, y, `… ${reasons.length - 8} more reasons in the HTML overview`, 'fill="#57606a"');
  }

  // Targets.
  y += 34;
  text(PAD, y, "Targets", 'font-size="15" font-weight="700"');
  const tName =
    longest(
      data.targets.map((t) => t.name),
      8,
    ) *
      CH +
    20;
  for (const t of data.targets) {
    y += ROW;
    const st = targetState(t);
    const c = countsOf(t.scenarios);
    const color = st === "PASS" ? COLORS.passed : COLORS.failed;
    text(PAD, y, t.name, 'font-weight="700"');
    text(PAD + tName, y, `${st === "PASS" ? "✔" : "✘"} ${st}`, `fill="${color}" font-weight="700"`);
    text(
      PAD + tName + 10 * CH,
      y,
      `${c.passed}/${c.total} passed${c.failed ? `, ${c.failed} failed` : ""}${c.flaky ? `, ${c.flaky} flaky` : ""}${c.other ? `, ${c.other} other` : ""}`,
      'fill="#57606a"',
    );
    text(PAD + tName + 42 * CH, y, [t.driver, t.device].filter(Boolean).join(" · "), 'fill="#57606a"');
  }

  // Matrix.
  y += 36;
  text(PAD, y, `Requirements × targets${matrixCount(matrix)}`, 'font-size="15" font-weight="700"');
  const rows = matrix.requirements.slice(0, MAX_SVG_ROWS);
  const reqW = longest(rows, 12) * CH + 20;
  // Wide enough for the longest word a cell shows, "∅ no scenario".
  const colW = longest(matrix.targets, 13) * CH + 16;
  if (matrix.requirements.length === 0) {
    y += ROW;
    text(PAD, y, "No scenario or feature file carries a requirement tag.", 'fill="#57606a"');
  } else {
    y += 12;
    const top = y;
    els.push(
      `<rect x="${PAD}" y="${y}" width="${reqW + colW * matrix.targets.length}" height="${ROW}" fill="#f6f8fa"/>`,
    );
    text(PAD + 8, y + 18, "Requirement", 'font-weight="700"');
    matrix.targets.forEach((t, i) => text(PAD + reqW + i * colW + 8, y + 18, t, 'font-weight="700"'));
    y += ROW;
    for (const r of rows) {
      text(PAD + 8, y + 18, r);
      matrix.targets.forEach((t, i) => {
        const c = matrix.cells[r]?.[t];
        const gap = c ? undefined : gapOf(matrix, r, t);
        const kind = !c
          ? gap === "n/a"
            ? "na"
            : gap === "no result"
              ? "failed"
              : "gap"
          : c.status === "passed"
            ? c.flaky
              ? "flaky"
              : "passed"
            : c.status === "failed"
              ? "failed"
              : "other";
        const word = !c
          ? gap === "n/a"
            ? "— n/a"
            : gap === "no result"
              ? "⊘ no result"
              : "∅ no scenario"
          : kind === "passed"
            ? "✔ passed"
            : kind === "flaky"
              ? "~ flaky"
              : kind === "failed"
                ? "✘ failed"
                : `! ${c.status}`;
        const fill =
          kind === "passed"
            ? "#dafbe1"
            : kind === "failed"
              ? "#ffebe9"
              : kind === "na"
                ? "#ffffff"
                : kind === "gap"
                  ? "#fbefff"
                  : "#fff8c5";
        els.push(`<rect x="${PAD + reqW + i * colW}" y="${y}" width="${colW}" height="${ROW}" fill="${fill}"/>`);
        text(PAD + reqW + i * colW + 8, y + 18, word, `fill="${COLORS[kind]}" font-weight="700"`);
      });
      y += ROW;
    }
    // Grid lines.
    const width = reqW + colW * matrix.targets.length;
    for (let yy = top; yy <= y; yy += ROW)
      els.push(`<line x1="${PAD}" y1="${yy}" x2="${PAD + width}" y2="${yy}" stroke="#d0d7de"/>`);
    for (let i = 0; i <= matrix.targets.length; i++) {
      const x = PAD + reqW + i * colW;
      els.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#d0d7de"/>`);
    }
    els.push(`<line x1="${PAD}" y1="${top}" x2="${PAD}" y2="${y}" stroke="#d0d7de"/>`);
    if (matrix.requirements.length > rows.length) {
      y += 22;
      text(
        PAD,
        y,
        `… ${matrix.requirements.length - rows.length} more requirements in the HTML overview`,
        'fill="#57606a"',
      );
    }
    y += 6; // the legend apart from the grid
    for (const line of [`${GAP_LEGEND.noResult}.`, `${GAP_LEGEND.none}.`, `${GAP_LEGEND.na}.`, GAP_LEGEND.policy]) {
      y += 20;
      text(PAD, y, clip(line, 120), 'fill="#57606a"');
    }
  }
  for (const n of matrix.notes) {
    y += 22;
    text(PAD, y, clip(`⚠ ${n}`, 120), `fill="${COLORS.other}"`);
  }
  if (matrix.untraced.length) {
    y += 22;
    text(PAD, y, clip(`Not traced to a requirement: ${matrix.untraced.join("; ")}`, 120), 'fill="#57606a"');
  }
  y += PAD + 6;
  const width = Math.max(760, PAD * 2 + reqW + colW * matrix.targets.length, PAD * 2 + 120 * CH);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(y)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(y)}" ` +
    `font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace" font-size="14" fill="#1f2328">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    els.join("") +
    `</svg>\n`
  );
}
