/**
 * The panel's text in the user's language, like the host's `vscode.l10n.t`: the English
 * text is the key, `{0}`, `{1}`… are placeholders. The host puts the translations of
 * the webview's strings into the HTML (src/extension/webviewStrings.ts reads them from
 * the extension's l10n bundle); scripts/l10nBundle.mjs collects the literal of every `t` call in
 * webview/ into that bundle, so one bundle serves both sides.
 *
 * @remarks
 * `t` is module state, set once by main.ts from the HTML before any view is built
 * (views call `t` while constructing; threading a localizer through every view would
 * not change what they show). Until then, and for strings without a translation, it
 * is English.
 */

export type Localize = (message: string, ...args: Array<string | number | boolean>) => string;

/** English text → translated text, as the host sends it. */
export type WebviewStrings = Readonly<Record<string, string>>;

function format(template: string, args: ReadonlyArray<string | number | boolean>): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

/** A `t` over `strings`; a missing or empty translation falls back to the English key. */
export function createLocalize(strings: WebviewStrings): Localize {
  return (message, ...args) => {
    const translated = Object.hasOwn(strings, message) ? strings[message] : undefined;
    return format(typeof translated === 'string' && translated !== '' ? translated : message, args);
  };
}

/** The strings from the HTML's data attribute; {} when missing or unreadable (the panel then speaks English). */
export function parseWebviewStrings(raw: string | undefined): WebviewStrings {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

let current: Localize = createLocalize({});

/** Called once by main.ts with the strings from the HTML, before the views are built. */
export function useWebviewStrings(strings: WebviewStrings): void {
  current = createLocalize(strings);
}

/** The panel's text for `message` (English) in the user's language, placeholders filled. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return current(message, ...args);
}
