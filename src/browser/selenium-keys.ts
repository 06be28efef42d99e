// Keys on Selenium as the steps write them (Playwright's names), sent as W3C key actions with each character as the text has it.
//
// Hand-written rather than selenium-webdriver's Actions: its keyDown/keyUp normalize every key to NFC, which turns a
// composition-excluded character (U+0958 "क़", U+0FA7) into two code points it then refuses ("key input is not a
// single code point"), and a compatibility ideograph (U+F900) into another character. chromedriver types the key
// it is given, so the text typed is the text the step wrote, as on Playwright.
import { Key, type WebDriver } from "selenium-webdriver";
import { Command, Name } from "selenium-webdriver/lib/command";

/** Playwright key names → WebDriver key codes. */
const KEYS: Record<string, string> = {
  Enter: Key.ENTER,
  Tab: Key.TAB,
  Escape: Key.ESCAPE,
  Backspace: Key.BACK_SPACE,
  Delete: Key.DELETE,
  Insert: Key.INSERT,
  ArrowUp: Key.ARROW_UP,
  ArrowDown: Key.ARROW_DOWN,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowRight: Key.ARROW_RIGHT,
  Home: Key.HOME,
  End: Key.END,
  PageUp: Key.PAGE_UP,
  PageDown: Key.PAGE_DOWN,
  Space: Key.SPACE,
  " ": Key.SPACE,
  Shift: Key.SHIFT,
  Control: Key.CONTROL,
  ControlOrMeta: process.platform === "darwin" ? Key.META : Key.CONTROL,
  Alt: Key.ALT,
  Meta: Key.META,
  F1: Key.F1,
  F2: Key.F2,
  F3: Key.F3,
  F4: Key.F4,
  F5: Key.F5,
  F6: Key.F6,
  F7: Key.F7,
  F8: Key.F8,
  F9: Key.F9,
  F10: Key.F10,
  F11: Key.F11,
  F12: Key.F12,
};

/** "Shift+Tab" → [SHIFT, TAB]; single characters pass through; unknown names are an error, as in Playwright. */
export function webdriverKeys(key: string): string[] {
  const parts = key === "+" ? ["+"] : key.endsWith("++") ? [...key.slice(0, -2).split("+"), "+"] : key.split("+");
  return parts.map((p) => {
    if (KEYS[p] !== undefined) return KEYS[p];
    if ([...p].length === 1) return p;
    if (/^Key[A-Z]$/.test(p)) return p.slice(3).toLowerCase();
    if (/^Digit[0-9]$/.test(p)) return p.slice(5);
    throw new Error(`Unknown key: "${p}"`);
  });
}

/** One W3C key action. */
interface KeyAction {
  type: "keyDown" | "keyUp";
  value: string;
}

/** Every character of `text` (by code point) pressed and released in turn. */
export function typingActions(text: string): KeyAction[] {
  const actions: KeyAction[] = [];
  for (const c of text) actions.push({ type: "keyDown", value: c }, { type: "keyUp", value: c });
  return actions;
}

/** A chord (webdriverKeys): every key pressed in order, then released in reverse. */
export function chordActions(keys: readonly string[]): KeyAction[] {
  return [
    ...keys.map((value): KeyAction => ({ type: "keyDown", value })),
    ...[...keys].reverse().map((value): KeyAction => ({ type: "keyUp", value })),
  ];
}

/** The id selenium-webdriver's Actions give the keyboard: one keyboard for the session either way. */
const KEYBOARD = "default keyboard";

/** Performs the key actions where the focus is. */
export async function performKeys(driver: WebDriver, actions: KeyAction[]): Promise<void> {
  if (actions.length === 0) return;
  await driver.execute(new Command(Name.ACTIONS).setParameter("actions", [{ type: "key", id: KEYBOARD, actions }]));
}
