import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { toSettingsView } from '../../src/extension/settings';
import { activateExtension, disconnect, waitFor } from './support';

describe('settings', () => {
  const config = () => vscode.workspace.getConfiguration('moontalk');

  afterEach(async () => {
    const api = await activateExtension();
    await disconnect(api);
    await config().update('compression.triggerTokens', undefined, vscode.ConfigurationTarget.Global);
    await config().update('audio.voiceProcessing', undefined, vscode.ConfigurationTarget.Global);
  });

  it('applies a compression change to the live session through a planned handoff', async () => {
    const api = await activateExtension();
    assert.equal(await api.session.connect(), true, 'could not connect to the emulator');
    const connectionBefore = api.session.sessionView.connection;
    await config().update('compression.triggerTokens', 20_000, vscode.ConfigurationTarget.Global);
    await waitFor('the new trigger to reach the session', () => api.session.compressionConfig?.triggerTokens === 20_000);
    // A new connection means a new setup, which is where the API takes compression.
    await waitFor('the refresh to a new connection', () => api.session.sessionView.connection > connectionBefore && api.session.state.kind === 'connected').catch((err: Error) => {
      throw new Error(`${err.message}; state ${JSON.stringify(api.session.state)}; recent events ${JSON.stringify(JSON.parse(api.session.debugInfo()).recentEvents.slice(-12))}`);
    });
    assert.equal(api.settings.current.compression.triggerTokens, 20_000);
  });

  it("the panel's Voice processing switch writes moontalk.audio.voiceProcessing, and the panel hears it back", async () => {
    const api = await activateExtension();
    assert.equal(api.settings.current.audio.voiceProcessing, true, 'voice processing is on by default');
    const seen: Array<boolean | undefined> = [];
    const sub = api.settings.onDidChange((c) => seen.push(toSettingsView(c.settings).voiceProcessing));
    try {
      // What the panel sends for the checkbox: settings/update {voiceProcessing: false}.
      await api.settings.update({ voiceProcessing: false });
      await waitFor('the setting to be written', () => config().get('audio.voiceProcessing') === false && api.settings.current.audio.voiceProcessing === false);
      await waitFor('the change to reach the panel view', () => seen.includes(false));
    } finally {
      sub.dispose();
    }
  });

  it('replaces an invalid value with its default', async () => {
    const api = await activateExtension();
    await config().update('compression.triggerTokens', -5, vscode.ConfigurationTarget.Global);
    await waitFor('the settings to be re-read', () => api.settings.current.compression.triggerTokens === 25_000);
  });
});
