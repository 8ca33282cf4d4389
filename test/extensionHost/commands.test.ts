import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/extension/constants';
import { activateExtension, waitFor } from './support';

describe('commands', () => {
  before(async () => {
    await activateExtension();
  });

  it('registers every command package.json contributes', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('contributes exactly the command ids of constants.ts, each in the MoonTalk category', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string; category: string }> } };
    assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), Object.values(Commands).sort());
    for (const c of pkg.contributes.commands) assert.ok(c.category, `${c.command} has no category`);
  });

  it('opens one panel with a strict CSP, and reveals it instead of opening a second', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.openPanel);
    const first = api.panels.current;
    assert.ok(first, 'no panel host after Open Voice Chat');
    await vscode.commands.executeCommand(Commands.openPanel);
    assert.equal(api.panels.current, first);
    await waitFor('the panel HTML', () => first.panel.webview.html.length > 0);
    const html = first.panel.webview.html;
    assert.match(html, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce, 'no script nonce in the CSP');
    assert.ok(html.includes(`<script nonce="${nonce}"`), 'the script does not carry the CSP nonce');
    assert.match(html, /<div id="app" data-bootstrap="[^"]+" data-worklets="[^"]+"><\/div>/);
    assert.ok(!/AIza|auth_tokens\/[A-Za-z0-9_-]{5,}/.test(html), 'a secret-looking value is in the HTML');
    first.panel.dispose();
    assert.equal(api.panels.current, undefined);
  });
});

describe('panel handshake', () => {
  it('answers the webview\'s ready with init once the panel script runs', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.openPanel);
    const host = api.panels.current!;
    try {
      await waitFor('the panel to say ready', () => host.isReady, 20_000);
    } finally {
      host.panel.dispose();
    }
  });
});

describe('listening', () => {
  it('connects, sets listening, and stops with the session', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.startListening);
    await waitFor('a connected session', () => api.session.state.kind === 'connected');
    await waitFor('the listening status bar', () => api.statusBarText().includes('$(mic-filled)'));
    await vscode.commands.executeCommand(Commands.disconnect);
    await waitFor('listening to stop with the session', () => !api.statusBarText().includes('$(mic-filled)'));
    api.panels.current?.panel.dispose();
  });
});
