// A key or chord to press ("A", "Control+A") as a user's keyboard sends it, the same on both drivers.
//
// Why hand-written: the drivers disagree on a capital letter. WebDriver types "A" as the character, holding Shift
// (the keydown says Shift+A), and a chord "Control+A" as Control+Shift+A; Playwright sends "A" without Shift and
// "Control+A" as Control+a. A user who presses A holds Shift; one who presses Control+A does not.

/** Modifiers whose chord with a letter sends the letter as typed without Shift (Control+A is Control+a). */
const MODIFIERS = new Set(["Control", "Alt", "Meta", "ControlOrMeta"]);

/**
 * `key` as a user presses it: a capital letter alone is Shift and that letter; in a chord of Control, Alt or Meta
 * without Shift, the letter is the small one. Anything else is left as it is.
 */
export function chordAsTyped(key: string): string {
  if (/^[A-Z]$/.test(key)) return `Shift+${key}`;
  const m = /^(.+)\+([A-Z])$/.exec(key);
  if (!m) return key;
  const mods = m[1].split("+");
  if (mods.includes("Shift") || !mods.every((k) => MODIFIERS.has(k))) return key;
  return `${m[1]}+${m[2].toLowerCase()}`;
}
