/**
 * Messages from the panel, on the host side: out-of-bounds settings are refused with
 * nothing written, and a flood is cut to the per-type rate. The messages enter where
 * the webview's do (PanelHost's onDidReceiveMessage listener, `onMessage`).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelHost } from '../../src/extension/panelHost';
import { activateExtension, openReadyPanel, waitFor } from './support';

/** The listener the webview's postMessage reaches (private; called as VS Code would). */
function deliver(host: PanelHost, raw: unknown): Promise<void> {
  return (host as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage(raw);
}

describe('messages from the panel (host side)', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('moontalk');

  after(async () => {
    const api = await activateExtension();
    api.panels.current?.panel.dispose();
  });

  it('refuses settings/update with a trigger of 1e15: nothing is written', async () => {
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    const before = config().inspect('compression.triggerTokens');
    const current = api.settings.current.compression;
    await deliver(host, { type: 'settings/update', settings: { compression: { ...current, triggerTokens: 1e15 } } });
    // A write would show up as a configuration change; give it the time one takes.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(config().inspect('compression.triggerTokens'), before);
    assert.equal(api.settings.current.compression.triggerTokens, current.triggerTokens);
    // The same check guards Settings.update itself, whoever calls it.
    await assert.rejects(api.settings.update({ compression: { ...current, triggerTokens: 1e15 } }), /moontalk\.compression\.triggerTokens must be a whole number from 1000 to 128000/);
    assert.deepEqual(config().inspect('compression.triggerTokens'), before);
  });

  it('opens a source link the panel sends only when it is a web link (http, https)', async () => {
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    // Record instead of opening a browser (the link is loopback all the same).
    const opened: string[] = [];
    const env = vscode.env as { openExternal: typeof vscode.env.openExternal };
    const original = env.openExternal;
    env.openExternal = async (uri: vscode.Uri) => {
      opened.push(uri.toString(true));
      return true;
    };
    try {
      const terminals = vscode.window.terminals.length;
      for (const url of ['command:workbench.action.terminal.new', 'file:///etc/passwd', 'vscode://settings/moontalk', 'javascript:alert(1)']) await deliver(host, { type: 'link/open', url });
      await deliver(host, { type: 'link/open', url: 'http://127.0.0.1:9/moons' });
      assert.deepEqual(opened, ['http://127.0.0.1:9/moons']);
      assert.equal(vscode.window.terminals.length, terminals, 'a command link ran');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.path === '/etc/passwd'), 'a file link opened');
    } finally {
      env.openExternal = original;
    }
  });

  it('drops a flood of one message type beyond its burst, without throwing', async () => {
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    const dropped = host.droppedIncoming;
    // history/list is harmless to repeat: 200 at once, far past the burst of 40.
    await Promise.all(Array.from({ length: 200 }, () => deliver(host, { type: 'history/list' })));
    await waitFor('the drops to be counted', () => host.droppedIncoming - dropped >= 150, 5_000);
    assert.ok(host.isReady, 'the panel keeps working');
  });
});
