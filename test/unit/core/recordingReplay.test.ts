/**
 * Real recorded server traffic (test/fixtures/live-recordings) replayed into the
 * session core over a fake transport: every recorded server frame is understood, and
 * the events a user sees are the ones the recording implies.
 */
import assert from 'node:assert/strict';
import { loadRecordings } from '../../integration/support/recording';
import { makeSession } from '../../fakes/builders';

describe('recorded Live API sessions replayed to the client', () => {
  const recordings = loadRecordings();

  it('has recordings to replay', () => {
    assert.ok(recordings.length >= 10);
  });

  for (const { name, frames } of recordings) {
    it(`replays ${name.replace('.websocket.log', '')} without errors`, async () => {
      const h = makeSession({ options: { setup: { responseModality: 'TEXT' } } });
      const t = await h.connectNow();
      const firstTurn = frames.find((f) => f.direction === 'client' && f.json.clientContent);
      if (firstTurn) h.session.sendText(firstTurn.json.clientContent.turns[0].parts[0].text);
      await h.flush();
      for (const f of frames) {
        if (f.direction !== 'server' || f.json.setupComplete) continue;
        t.serverSendsRaw(JSON.stringify(f.json));
      }
      await h.flush();
      assert.deepEqual(h.eventsOf('error'), [], 'no frame was refused');
      const recordedText = frames
        .filter((f) => f.direction === 'server')
        .flatMap((f) => [
          ...(f.json.serverContent?.modelTurn?.parts ?? []).map((p: { text?: string }) => p.text ?? ''),
          f.json.serverContent?.outputTranscription?.text ?? '',
        ])
        .join('');
      const seenText = h.eventsOf('text').map((e) => e.text).join('');
      assert.equal(seenText, recordedText, 'every recorded text chunk reached the user, in order');
      const usage = frames.filter((f) => f.direction === 'server' && f.json.usageMetadata).map((f) => f.json.usageMetadata.totalTokenCount);
      assert.deepEqual(h.eventsOf('usage').map((e) => e.totalTokenCount), usage);
      const completes = frames.filter((f) => f.direction === 'server' && f.json.serverContent?.turnComplete).length;
      assert.equal(h.eventsOf('turnComplete').length, completes);
      const calls = frames.filter((f) => f.direction === 'server' && f.json.toolCall).flatMap((f) => f.json.toolCall.functionCalls);
      assert.deepEqual(
        h.eventsOf('toolCall').flatMap((e) => e.calls),
        calls.map((c: { id: string; name: string; args: unknown }) => ({ id: c.id, name: c.name, args: c.args })),
      );
    });
  }

  it('turns a recorded answer into one complete turn with the recorded usage', async () => {
    const rec = recordings.find((r) => r.name.includes('should_send_text_in_async_session'))!;
    const h = makeSession({ options: { setup: { responseModality: 'TEXT' } } });
    const t = await h.connectNow();
    const turn = h.session.sendText('Hello what should we talk about?');
    await h.flush();
    for (const f of rec.frames) if (f.direction === 'server' && !f.json.setupComplete) t.serverSendsRaw(JSON.stringify(f.json));
    await h.flush();
    assert.deepEqual(h.eventsOf('turnComplete'), [{ type: 'turnComplete', turn }]);
    assert.equal(h.eventsOf('usage')[0]!.totalTokenCount, 553);
    assert.deepEqual(h.eventsOf('generationComplete'), [{ type: 'generationComplete', turn }]);
  });
});
