/**
 * An answer's code blocks on the host side: Insert at Cursor writes into the editor the
 * user was in (the panel has focus then, so there is no active text editor), or says
 * there is none and changes nothing; Copy writes the clipboard. The messages enter where
 * the webview's do (PanelHost's onDidReceiveMessage listener, `onMessage`).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelHost } from '../../src/extension/panelHost';
import type { ToWebview } from '../../src/protocol/messages';
import { activateExtension, openReadyPanel, waitFor } from './support';

function deliver(host: PanelHost, raw: unknown): Promise<void> {
  return (host as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage(raw);
}

/** Records what the host posts to the panel from now on. */
function recordPosts(host: PanelHost): ToWebview[] {
  const posted: ToWebview[] = [];
  const webview = host.panel.webview;
  const original = webview.postMessage.bind(webview);
  (webview as { postMessage: (m: unknown) => Thenable<boolean> }).postMessage = (m: unknown) => {
    posted.push(m as ToWebview);
    return original(m);
  };
  return posted;
}

describe('Copy and Insert at Cursor from an answer (host side)', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('inserts the code at the cursor of the editor beside the panel, replacing its selection', async () => {
    const api = await activateExtension();
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const before = 0;\nREPLACE ME\nconst after = 2;\n' });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(1, 0, 1, 'REPLACE ME'.length);
    api.panels.current?.panel.dispose();
    const host = await openReadyPanel(api);
    await waitFor('the panel to take focus', () => vscode.window.activeTextEditor === undefined || host.panel.active, 5_000);
    await deliver(host, { type: 'code/insert', code: 'const inserted = 1;', language: 'ts' });
    assert.equal(doc.getText(), 'const before = 0;\nconst inserted = 1;\nconst after = 2;\n');
  });

  it('says there is no editor when none is open, and changes nothing', async () => {
    const api = await activateExtension();
    api.panels.current?.panel.dispose();
    const host = await openReadyPanel(api);
    const posted = recordPosts(host);
    const before = vscode.workspace.textDocuments.map((d) => `${d.uri.toString()}:${d.version}`);
    await deliver(host, { type: 'code/insert', code: 'const lost = 1;', language: 'ts' });
    await waitFor('the panel to be told', () => posted.some((m) => m.type === 'error'), 5_000);
    const error = posted.find((m) => m.type === 'error') as Extract<ToWebview, { type: 'error' }>;
    assert.match(error.message, /no text editor to insert/);
    assert.deepEqual(vscode.workspace.textDocuments.map((d) => `${d.uri.toString()}:${d.version}`), before);
  });

  it('refuses a link that is not http or https before it reaches the host', async () => {
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    const posted = recordPosts(host);
    await deliver(host, { type: 'link/open', url: 'command:workbench.action.closeWindow' });
    await waitFor('the refusal', () => posted.some((m) => m.type === 'error'), 5_000);
    assert.ok(host.isReady, 'the panel keeps working');
  });

  it('copies the code to the clipboard', async () => {
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    const code = `copied at ${Date.now()}`;
    await deliver(host, { type: 'code/copy', text: code });
    assert.equal(await vscode.env.clipboard.readText(), code);
  });
});
