/**
 * The panel's keyboard shortcuts: Alt (Option on macOS) plus one letter; no Ctrl or
 * Meta, which belong to VS Code and the OS. DOM-free so the map is tested in Node;
 * main.ts binds the actions.
 *
 * @remarks
 * Matched by `event.code` (the physical key), not `event.key`: on macOS Option turns
 * the letter into another character (Option+S is 'ß', Option+C 'ç'), so a match on
 * `key` never fires there. `code` names the key of a US layout, which is also what
 * the labels show.
 */
export type ShortcutAction = 'connect' | 'disconnect' | 'toggleListening' | 'focusChat' | 'refresh';

const CODES: Readonly<Record<string, ShortcutAction>> = { KeyC: 'connect', KeyD: 'disconnect', KeyL: 'toggleListening', KeyT: 'focusChat', KeyR: 'refresh' };
const LETTERS: Readonly<Record<ShortcutAction, string>> = { connect: 'C', disconnect: 'D', toggleListening: 'L', focusChat: 'T', refresh: 'R' };

export interface ShortcutKeyEvent {
  readonly code: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey?: boolean;
}

/** The action a key press asks for, or undefined when it is not one of ours. */
export function shortcutFor(e: ShortcutKeyEvent): ShortcutAction | undefined {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return undefined;
  return Object.hasOwn(CODES, e.code) ? CODES[e.code] : undefined;
}

/** True on macOS, from `navigator.platform` or the user agent (the keys are pressed where the browser runs: in code-server, the client). */
export function isMacPlatform(platform: string): boolean {
  return /Mac|iPhone|iPad/i.test(platform);
}

/** The shortcut as the OS writes it: "⌥C" on macOS, "Alt+C" elsewhere. */
export function shortcutLabel(action: ShortcutAction, mac: boolean): string {
  return mac ? `⌥${LETTERS[action]}` : `Alt+${LETTERS[action]}`;
}

/** The label for this browser's OS (read once per call; cheap). */
export function shortcutHint(action: ShortcutAction): string {
  const nav = (globalThis as { navigator?: { platform?: string; userAgent?: string } }).navigator;
  return shortcutLabel(action, isMacPlatform(`${nav?.platform ?? ''} ${nav?.userAgent ?? ''}`));
}
