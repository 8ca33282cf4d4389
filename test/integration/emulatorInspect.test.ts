import assert from 'node:assert/strict';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { LiveTestClient, keyUrl, toBase64 } from './support/liveTestClient';

/**
 * The loopback inspection endpoint (not part of the Live API), driven by a raw `ws`
 * client so it does not depend on the project's client.
 */
describe('emulator inspection endpoint (GET /emulator/sessions)', function () {
  this.timeout(15_000);
  let emulator: LiveEmulator | undefined;
  let client: LiveTestClient | undefined;
  after(async () => {
    client?.terminate();
    await emulator?.stop();
  });

  it('reports each session’s history and the audio it received, with the PCM on request', async () => {
    emulator = new LiveEmulator({ replyChunkDelayMs: 2 });
    const { baseUrl } = await emulator.start();
    client = await LiveTestClient.open(keyUrl(baseUrl, 'k'), { model: 'models/gemini-3.1-flash-live-preview', generationConfig: { responseModalities: ['TEXT'] } });
    client.send({ realtimeInput: { text: 'inspect me' } });
    await client.turn();
    const pcm = new Int16Array([1, -2, 3, -4, 5, -6, 7, -8]);
    client.send({ realtimeInput: { audio: { data: toBase64(pcm), mimeType: 'audio/pcm;rate=16000' } } });
    // Bounded wait until the emulator has the audio (frames are handled in order; a text turn after it proves arrival).
    client.send({ realtimeInput: { text: 'after the audio' } });
    await client.turn();
    const summary = (await (await fetch(`${baseUrl}/emulator/sessions`, { signal: AbortSignal.timeout(3000) })).json()) as { sessions: Array<Record<string, any>> };
    assert.equal(summary.sessions.length, 1);
    assert.deepEqual(summary.sessions[0]!.history.slice(0, 2), [
      { role: 'user', text: 'inspect me' },
      { role: 'model', text: 'You said: inspect me' },
    ]);
    assert.equal(summary.sessions[0]!.receivedAudio.bytes, pcm.byteLength);
    assert.equal(summary.sessions[0]!.receivedAudio.pcm, undefined, 'no PCM unless asked');
    const full = (await (await fetch(`${baseUrl}/emulator/sessions?pcm=1`, { signal: AbortSignal.timeout(3000) })).json()) as { sessions: Array<Record<string, any>> };
    assert.equal(full.sessions[0]!.receivedAudio.pcm, toBase64(pcm));
  });
});
