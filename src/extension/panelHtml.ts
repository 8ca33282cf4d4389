/**
 * The panel's HTML: a strict CSP (scripts by nonce and from the extension's own
 * webview origin, which is also what `audioWorklet.addModule` needs), the bootstrap
 * state in the markup so the first paint is already right, the worklet URLs, and the
 * panel's strings in the user's language (webviewStrings.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FullState } from '../protocol/messages';
import { webviewStrings } from './webviewStrings';

/** Only the newest entries go into the HTML; `init` brings the rest right after `ready`. */
const BOOTSTRAP_TRANSCRIPT_ENTRIES = 50;

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Escapes text for a double- or single-quoted HTML attribute value. */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The folders the webview may load from: the bundles and the static media. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * `surface` decides the layout (webview/main.ts): the side bar view puts the conversation
 * first and folds the details; the editor panel keeps its grid of cards.
 */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, state: FullState, nonce: string = makeNonce(), surface: 'view' | 'panel' = 'panel'): string {
  const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    // The nonce admits only nonce-carrying <style> elements (never style="" attributes):
    // the toolkit's focus-visible probe reads it from the csp-nonce meta (webview/ui/components.ts).
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}' ${webview.cspSource}`,
    `media-src ${webview.cspSource} blob:`,
  ].join('; ');
  const bootstrap: FullState = { ...state, transcript: state.transcript.slice(-BOOTSTRAP_TRANSCRIPT_ENTRIES) };
  const worklets = { capture: uri('dist', 'worklets', 'captureProcessor.js'), playback: uri('dist', 'worklets', 'playbackProcessor.js') };
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(uri('media', 'panel.css'))}">
<title>${escapeAttribute(vscode.l10n.t('MoonTalk Voice Chat'))}</title>
</head>
<body class="mt-surface-${surface}">
<div id="app" data-surface="${surface}" data-bootstrap="${escapeAttribute(JSON.stringify(bootstrap))}" data-worklets="${escapeAttribute(JSON.stringify(worklets))}" data-l10n="${escapeAttribute(JSON.stringify(webviewStrings(vscode.l10n.bundle)))}"></div>
<script nonce="${nonce}" src="${escapeAttribute(uri('dist', 'webview.js'))}"></script>
</body>
</html>`;
}
