/**
 * Each current Live model, end to end: the session core (which reads the table of models in
 * src/core/models.ts) against the emulator (which answers as the named model would, from its
 * own profiles in src/emulator: the two share no code, so a rule one of them gets wrong shows
 * up here). Per model: a text conversation, a voice turn, a goAway handoff, a mid-turn drop, a
 * refused handle followed by a fresh session that still has the history, and a tool call. A
 * shut-down model ends with one clear error and no retry loop.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { floatToPcm16, parseWav } from '../../src/audio/wav';
import { isMoonTalkError } from '../../src/common/errors';
import { LIVE_MODELS, modelProfile } from '../../src/core/models';
import { countOf, startEmulator, startHarness, TEST_KEY, type Harness } from './helpers/liveHarness';

const SPEECH = Buffer.from(floatToPcm16(parseWav(readFileSync(path.join(__dirname, '../fixtures/speech-16k.wav'))).samples));
const FRAME = 1_280;
/** Conversation models the service serves today. */
const CURRENT = LIVE_MODELS.filter((m) => m.purpose === 'conversation' && m.status.kind !== 'shutDown').map((m) => m.id);

/**
 * The answer as the model gives it: on models that report interactionStatus the emulator goes
 * on after turnComplete (IN_PROGRESS) with background reasoning ("On reflection: …") until IDLE,
 * and that text belongs to the same turn.
 */
function assertAnswer(model: string, answer: string, expected: string): void {
  if (!modelProfile(model).reportsInteractionStatus) return assert.equal(answer, expected);
  assert.ok(answer.startsWith(expected), `${JSON.stringify(answer)} starts with ${JSON.stringify(expected)}`);
  assert.match(answer.slice(expected.length), /^On reflection: /, 'the reasoning after turnComplete stays in the turn');
}

async function speak(h: Harness, pcm: Buffer): Promise<void> {
  for (let i = 0; i * FRAME < pcm.length; i++) h.client.session.sendAudio(pcm.subarray(i * FRAME, (i + 1) * FRAME).toString('base64'));
  // A second of silence: the emulator's activity detection ends the turn.
  for (let i = 0; i < 25; i++) h.client.session.sendAudio(Buffer.alloc(FRAME).toString('base64'));
}

const TOOLS = [{ functionDeclarations: [{ name: 'get_build_status', description: 'The status of the current build.' }] }];

describe('every current model end to end (core + emulator, loopback)', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('the table lists the current conversation models this suite covers', () => {
    assert.deepEqual(CURRENT, ['gemini-3.8-live', 'gemini-3.8-live-extended-thinking', 'gemini-3.1-flash-live-preview', 'gemini-2.5-flash-native-audio-preview-12-2025']);
  });

  for (const model of CURRENT) {
    describe(model, () => {
      it('holds a text conversation (text replies as the model gives them: TEXT or output transcription)', async () => {
        h = await startHarness({ session: { setup: { model, responseModality: 'TEXT' } } });
        await h.client.session.connect();
        assertAnswer(model, await h.ask('hello there'), 'You said: hello there');
        assertAnswer(model, await h.ask('what did I say first?'), 'You first said: "hello there"');
        assert.equal(countOf(h.events, 'turnComplete'), 2, 'each turn completed once');
        const thinking = h.events.filter((e) => e.type === 'thinking');
        assert.equal(thinking.length, modelProfile(model).reportsInteractionStatus ? 2 : 0, 'thinking in the background is reported where the model reports it');
        assert.equal(countOf(h.events, 'error'), 0, `no error: ${JSON.stringify(h.events.filter((e) => e.type === 'error'))}`);
      });

      it('answers a voice turn with 24 kHz audio', async () => {
        h = await startHarness({ session: { setup: { model, responseModality: 'AUDIO' } } });
        await h.client.session.connect();
        await speak(h, SPEECH);
        const audio = await h.waitFor('audio', undefined, 10_000);
        assert.match(audio.mimeType, /rate=24000/);
        await h.waitFor('turnComplete', undefined, 10_000);
        assert.ok(h.events.some((e) => e.type === 'inputTranscription'), 'input transcription arrived');
        assert.equal(countOf(h.events, 'error'), 0);
      });

      it('hands off on goAway to a resumed connection that keeps the history', async () => {
        h = await startHarness({ emulator: { connectionLifetimeMs: 1_500, goAwayLeadMs: 1_000 }, session: { setup: { model, responseModality: 'TEXT' } } });
        await h.client.session.connect();
        assertAnswer(model, await h.ask('my name is Ada'), 'You said: my name is Ada');
        const handoff = await h.waitFor('handoff', (e) => e.phase === 'completed', 5_000);
        assert.equal(handoff.phase === 'completed' && handoff.warm, true);
        assert.equal((await h.waitFor('connected', (e) => e.connection === 2)).resumed, true);
        assertAnswer(model, await h.ask('what did I say first?'), 'You first said: "my name is Ada"');
        assert.equal(countOf(h.events, 'disconnected', (e) => e.type === 'disconnected' && (e.code === 1007 || e.code === 1008 || e.code === 1011)), 0);
      });

      it('answers a turn cut off by a drop exactly once after resuming', async () => {
        h = await startHarness({ emulator: { replyChunkDelayMs: 150 }, session: { setup: { model, responseModality: 'TEXT' } } });
        await h.client.session.connect();
        await h.ask('first');
        const turn = h.client.session.sendText('second, to be cut off');
        await h.waitFor('text', (e) => e.turn === turn, 10_000);
        h.emulator.dropAll();
        await h.waitFor('turnComplete', (e) => e.turn === turn, 10_000);
        assertAnswer(model, h.answerOf(turn), 'You said: second, to be cut off');
        assert.equal(countOf(h.events, 'turnComplete', (e) => e.type === 'turnComplete' && e.turn === turn), 1);
        assertAnswer(model, await h.ask('what did I say first?'), 'You first said: "first"');
      });

      it('starts a fresh session that still has the history when the handle is refused', async () => {
        const { emulator, baseUrl } = await startEmulator({ apiKey: TEST_KEY });
        h = await startHarness({ existing: { emulator, baseUrl }, session: { setup: { model, responseModality: 'TEXT' } } });
        try {
          await h.client.session.connect();
          await h.ask('remember pineapples');
          (emulator as unknown as { options: { staleHandles: boolean } }).options.staleHandles = true;
          emulator.dropAll();
          await h.waitFor('resumeFailed', undefined, 10_000);
          assert.equal((await h.waitFor('connected', (e) => e.connection === 2, 10_000)).resumed, false);
          assertAnswer(model, await h.ask('what did I say first?'), 'You first said: "remember pineapples"');
          assert.equal(countOf(h.events, 'turnComplete', (e) => e.type === 'turnComplete' && e.turn === 1), 1, 'the earlier turn was not answered again');
          assert.equal(countOf(h.events, 'disconnected', (e) => e.type === 'disconnected' && e.code === 1007 && e.reason !== undefined && !/handle/i.test(e.reason)), 0, 'history went in a form the model takes');
        } finally {
          await h.stop();
          await emulator.stop();
          h = undefined;
        }
      });

      it('calls a declared tool and goes on after the response', async () => {
        h = await startHarness({ session: { setup: { model, responseModality: 'TEXT', tools: TOOLS } } });
        await h.client.session.connect();
        const turn = h.client.session.sendText('call tool get_build_status {}');
        const call = await h.waitFor('toolCall', undefined, 10_000);
        assert.equal(call.calls[0]!.name, 'get_build_status');
        h.client.session.sendToolResponse([{ id: call.calls[0]!.id, name: 'get_build_status', response: { status: 'green' } }]);
        await h.waitFor('turnComplete', (e) => e.turn === turn, 10_000);
        // Sent at once: on models whose calls run in the background the spoken result is a turn
        // of the model's own, and this question must wait for it, not take it for its answer.
        assertAnswer(model, await h.ask('and now?'), 'You said: and now?');
        const answers = h.events.filter((e) => e.type === 'turnComplete').length;
        assert.equal(answers, modelProfile(model).defaultToolBehavior === 'NON_BLOCKING' ? 3 : 2, 'the call turn, the spoken result where calls run in the background, the question');
        assert.equal(countOf(h.events, 'error'), 0, `no error: ${JSON.stringify(h.events.filter((e) => e.type === 'error'))}`);
      });
    });
  }

  for (const model of LIVE_MODELS.filter((m) => m.status.kind === 'shutDown').map((m) => m.id)) {
    it(`${model} (shut down) ends with one clear model error, no credential churn, no reconnect loop`, async () => {
      h = await startHarness({ session: { setup: { model, responseModality: 'TEXT' } } });
      const error = await h.client.session.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isMoonTalkError(error, 'modelNotFound'), `modelNotFound, got ${String(error)}`);
      assert.match(error.message, new RegExp(model.replace(/\./g, '\\.')));
      assert.match(error.message, /gemini-3\.8-live/, 'names the replacement');
      assert.equal(countOf(h.events, 'reconnecting'), 0);
      assert.equal(countOf(h.events, 'error', (e) => e.type === 'error' && e.fatal), 1);
    });
  }
});
