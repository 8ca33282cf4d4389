import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../../src/core/models';
import { Commands } from '../../src/extension/constants';
import type { SessionReport } from '../../src/extension/sessionController';
import { activateExtension, disconnect, record, waitFor } from './support';

describe('models', () => {
  const config = () => vscode.workspace.getConfiguration('moontalk');
  let saved: { model?: string; responseModality?: string } = {};

  before(() => {
    const c = config();
    saved = { model: c.inspect<string>('model')?.globalValue, responseModality: c.inspect<string>('responseModality')?.globalValue };
  });

  afterEach(async () => {
    const api = await activateExtension();
    await disconnect(api);
    await config().update('model', saved.model, vscode.ConfigurationTarget.Global);
    await config().update('responseModality', saved.responseModality, vscode.ConfigurationTarget.Global);
  });

  it('Choose Model with a model id (the quick fixes) writes it to the user settings', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.chooseModel, 'gemini-3.1-flash-live-preview');
    await waitFor('the new model in the settings', () => api.settings.current.model === 'gemini-3.1-flash-live-preview');
    assert.equal(config().inspect<string>('model')?.globalValue, 'gemini-3.1-flash-live-preview');
  });

  it('does not connect with a model known to be shut down, and says why with Switch / Choose fixes', async () => {
    const api = await activateExtension();
    await config().update('model', 'gemini-live-2.5-flash-preview', vscode.ConfigurationTarget.Global);
    await waitFor('the model setting', () => api.settings.current.model === 'gemini-live-2.5-flash-preview');
    const reports = record<SessionReport>(api.session.onDidReport);
    try {
      assert.equal(await api.session.connect(), false);
      assert.ok(['idle', 'closed', 'failed'].includes(api.session.state.kind), `state ${api.session.state.kind}`);
      const report = reports.values.find((r) => r.message.text.includes('gemini-live-2.5-flash-preview'));
      assert.ok(report?.notify, JSON.stringify(reports.values));
      assert.match(report.message.text, /shut down on 2025-12-09/);
      assert.deepEqual(
        report.message.actions.map((a) => [a.title, a.command, a.args]),
        [
          ['Switch to Gemini 3.8 Live', Commands.chooseModel, [DEFAULT_MODEL]],
          ['Choose Model', Commands.chooseModel, undefined],
        ],
      );
    } finally {
      reports.dispose();
    }
  });


  it('TEXT replies from a model that only speaks: its transcription is shown and its audio not played', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    assert.equal(api.settings.current.model, DEFAULT_MODEL);
    const answered = async (text: string) => {
      const audio = record(api.session.onDidReceiveAudio);
      try {
        await api.session.sendText(text);
        await waitFor(`the answer to "${text}"`, () => api.session.transcriptEntries().some((e) => e.role === 'model' && !e.partial && e.text.includes(text)), 15_000);
        return audio.values.length;
      } finally {
        audio.dispose();
      }
    };
    await config().update('responseModality', 'TEXT', vscode.ConfigurationTarget.Global);
    await waitFor('TEXT replies', () => api.settings.current.responseModality === 'TEXT');
    assert.equal(await answered('muted words please'), 0, 'audio was played although text replies were asked for');
    // Same model and server with audio replies: the audio does come, so the zero above is the muting.
    await disconnect(api);
    await config().update('responseModality', 'AUDIO', vscode.ConfigurationTarget.Global);
    await waitFor('AUDIO replies', () => api.settings.current.responseModality === 'AUDIO');
    const audio = record(api.session.onDidReceiveAudio);
    try {
      await api.session.sendText('spoken words please');
      await waitFor('model audio', () => audio.values.length > 0, 15_000);
    } finally {
      audio.dispose();
    }
  });
});
