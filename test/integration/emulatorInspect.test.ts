import assert from 'node:assert/strict';
import { startHarness, type Harness } from './helpers/liveHarness';

describe('emulator inspection endpoint (GET /emulator/sessions)', function () {
  this.timeout(15_000);
  let h: Harness | undefined;
  after(async () => h?.stop());

  it('reports each session’s history and the audio it received, with the PCM on request', async () => {
    h = await startHarness();
    await h.client.session.connect();
    await h.ask('inspect me');
    const pcm = Buffer.from(new Int16Array([1, -2, 3, -4, 5, -6, 7, -8]).buffer);
    h.client.session.sendAudio(pcm.toString('base64'));
    await new Promise((r) => setTimeout(r, 200));
    const summary = (await (await fetch(`${h.baseUrl}/emulator/sessions`)).json()) as { sessions: Array<Record<string, any>> };
    assert.equal(summary.sessions.length, 1);
    assert.deepEqual(summary.sessions[0]!.history.slice(0, 2), [
      { role: 'user', text: 'inspect me' },
      { role: 'model', text: 'You said: inspect me' },
    ]);
    assert.equal(summary.sessions[0]!.receivedAudio.bytes, pcm.length);
    assert.equal(summary.sessions[0]!.receivedAudio.pcm, undefined, 'no PCM unless asked');
    const full = (await (await fetch(`${h.baseUrl}/emulator/sessions?pcm=1`)).json()) as { sessions: Array<Record<string, any>> };
    assert.equal(full.sessions[0]!.receivedAudio.pcm, pcm.toString('base64'));
  });
});
