import assert from 'node:assert/strict';
import { activateExtension, disconnect, openReadyPanel, record, waitFor } from './support';

describe('conversation with the panel open', () => {
  afterEach(async () => {
    const api = await activateExtension();
    await disconnect(api);
    api.panels.current?.panel.dispose();
  });

  it('streams a text turn into the transcript, plays model audio, and sends only valid messages', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    const host = await openReadyPanel(api);
    const audio = record(api.session.onDidReceiveAudio);
    try {
      await api.session.sendText('Hello from the extension host test');
      await waitFor('the user entry', () => api.session.transcriptEntries().some((e) => e.role === 'user' && e.text.includes('extension host test')));
      await waitFor('a finished model answer', () => api.session.transcriptEntries().some((e) => e.role === 'model' && !e.partial && e.text.length > 0), 15_000);
      if (api.settings.current.responseModality === 'AUDIO') {
        await waitFor('model audio', () => audio.values.length > 0);
        assert.ok(audio.values.every((a) => a.pcm instanceof ArrayBuffer && a.pcm.byteLength % 2 === 0), 'audio must be whole PCM16 samples in an ArrayBuffer');
      }
      assert.equal(host.invalidOutgoing, 0, 'the host built a message the protocol rejects');
      const view = api.session.sessionView;
      assert.equal(view.state, 'connected');
      assert.ok(!JSON.stringify(api.session.transcriptEntries()).includes('auth_tokens/'), 'a token name leaked into the transcript');
    } finally {
      audio.dispose();
    }
  });
});
