/**
 * The localize function the host's view models take instead of importing vscode, so
 * they run (and are tested) in plain Node. The extension passes `vscode.l10n.t`.
 *
 * @remarks
 * scripts/l10nBundle.mjs collects the bundle from calls whose first argument is a
 * string literal (`vscode.l10n.t`, or `t` / `this.t` where `t` is a Localize). So the
 * parameter or field is always named `t`, and messages stay literals at the call.
 */
export type Localize = (message: string, ...args: Array<string | number | boolean>) => string;

/**
 * English, untranslated: substitutes `{0}`, `{1}`… like `vscode.l10n.t` does with no
 * bundle loaded. For unit tests (and any caller outside VS Code).
 *
 * @example
 * english('Connected (connection {0})', 2) // 'Connected (connection 2)'
 */
export const english: Localize = (message, ...args) => message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
