/**
 * The translations the panel needs, for its HTML: the webview cannot call
 * `vscode.l10n.t`, so the host looks up each of the panel's strings (their English
 * keys are generated into webviewStringKeys.ts by scripts/l10nBundle.mjs) in the
 * loaded l10n bundle and passes the ones that differ; webview/l10n.ts looks them up.
 * No vscode import: the caller passes `vscode.l10n.bundle`.
 */
import { WEBVIEW_STRING_KEYS } from './webviewStringKeys';

/** `vscode.l10n.bundle`: undefined for English (no bundle loaded); a value may be a string or `{ message }`. */
export type L10nBundle = Readonly<Record<string, string | { readonly message: string }>> | undefined;

/** English → translation for each panel string the bundle translates (English ones are left out: the key is the text). */
export function webviewStrings(bundle: L10nBundle, keys: readonly string[] = WEBVIEW_STRING_KEYS): Record<string, string> {
  const out: Record<string, string> = {};
  if (!bundle) return out;
  for (const key of keys) {
    const entry = Object.hasOwn(bundle, key) ? bundle[key] : undefined;
    const message = typeof entry === 'string' ? entry : entry?.message;
    if (typeof message === 'string' && message !== '' && message !== key) out[key] = message;
  }
  return out;
}
