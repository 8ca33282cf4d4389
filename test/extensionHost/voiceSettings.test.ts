/**
 * The voice settings as a real VS Code reads them: the spoken language falls back to VS Code's
 * own speech language, a voice name is taken in the service's spelling, and turn-taking values
 * reach the settings the setup is built from.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './support';

describe('voice settings', () => {
  const moontalk = () => vscode.workspace.getConfiguration('moontalk');
  const global = vscode.ConfigurationTarget.Global;

  afterEach(async () => {
    await moontalk().update('voice.language', undefined, global);
    await moontalk().update('voice.name', undefined, global);
    await moontalk().update('turnTaking.silenceDurationMs', undefined, global);
    await moontalk().update('turnTaking.speechInterrupts', undefined, global);
    await vscode.workspace.getConfiguration('accessibility').update('voice.speechLanguage', undefined, global).then(undefined, () => undefined);
  });

  it('takes VS Code’s speech language when moontalk.voice.language is empty, and its own when set', async function () {
    this.timeout(20_000);
    const api = await activateExtension();
    assert.equal(api.settings.current.language, undefined, 'automatic by default');
    // accessibility.voice.speechLanguage is registered by VS Code's speech support (desktop, with a
    // speech extension); where it is not (code-server), it cannot be written and the fallback not shown.
    const written = await vscode.workspace
      .getConfiguration('accessibility')
      .update('voice.speechLanguage', 'de-DE', global)
      .then(
        () => true,
        () => false,
      );
    if (written) await waitFor('the editor language to be taken', () => api.settings.current.language === 'de-DE');
    await moontalk().update('voice.language', 'fr-FR', global);
    await waitFor('the own language to win', () => api.settings.current.language === 'fr-FR');
  });

  it('reads the voice in the service’s spelling and the turn-taking settings', async function () {
    this.timeout(20_000);
    const api = await activateExtension();
    assert.deepEqual(api.settings.current.turnTaking, { endOfSpeechSensitivity: 'LOW', silenceDurationMs: 1200, prefixPaddingMs: 300, interruptions: true });
    await moontalk().update('voice.name', 'Kore', global);
    await moontalk().update('turnTaking.silenceDurationMs', 2000, global);
    await moontalk().update('turnTaking.speechInterrupts', false, global);
    await waitFor('the settings to be read', () => api.settings.current.voice === 'Kore' && api.settings.current.turnTaking.silenceDurationMs === 2000 && !api.settings.current.turnTaking.interruptions);
  });
});
