/**
 * The panel's keyboard shortcuts: Alt plus one letter (no Ctrl or Meta, which belong to
 * VS Code and the OS). DOM-free so the map is tested in Node; main.ts binds the actions.
 */
export type ShortcutAction = 'connect' | 'disconnect' | 'toggleListening' | 'focusChat' | 'refresh';

const KEYS: Readonly<Record<string, ShortcutAction>> = { c: 'connect', d: 'disconnect', l: 'toggleListening', t: 'focusChat', r: 'refresh' };

/** The action a key press asks for, or undefined when it is not one of ours. */
export function shortcutFor(e: { readonly key: string; readonly altKey: boolean; readonly ctrlKey: boolean; readonly metaKey: boolean }): ShortcutAction | undefined {
  if (!e.altKey || e.ctrlKey || e.metaKey) return undefined;
  return Object.hasOwn(KEYS, e.key.toLowerCase()) ? KEYS[e.key.toLowerCase()] : undefined;
}
