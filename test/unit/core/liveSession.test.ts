import assert from 'node:assert/strict';
import { MoonTalkError } from '../../../src/common/errors';
import { DEFAULT_COMPRESSION } from '../../../src/core/compression';
import { LiveSession } from '../../../src/core/liveSession';
import type { ClientMessage } from '../../../src/core/messages';
import type { SessionEvent } from '../../../src/core/sessionEvents';
import { TokenCredentials } from '../../../src/core/tokens';
import { FakeClock, flushMicrotasks } from '../../fakes/fakeClock';
import type { FakeTransport } from '../../fakes/fakeTransport';
import {
  FakeTokenMinter,
  TEST_API_KEY,
  audioChunks,
  clientContents,
  generationComplete,
  goAway,
  makeSession,
  modelChunks,
  requestedTexts,
  resumptionUpdate,
  setupComplete,
  textReply,
  turnComplete,
  type HarnessOptions,
  type SessionHarness,
} from '../../fakes/builders';

/** Event types without stateChanged, from index `from`. */
function types(h: SessionHarness, from = 0): string[] {
  return h.events.slice(from).filter((e) => e.type !== 'stateChanged').map((e) => e.type);
}

function lastOf<K extends SessionEvent['type']>(h: SessionHarness, type: K): Extract<SessionEvent, { type: K }> {
  const all = h.eventsOf(type);
  const e = all[all.length - 1];
  assert.ok(e, `no ${type} event`);
  return e;
}

/** How many turnComplete events each turn got. */
function completions(h: SessionHarness): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of h.eventsOf('turnComplete')) m.set(e.turn, (m.get(e.turn) ?? 0) + 1);
  return m;
}

function isSetup(m: ClientMessage): boolean {
  return m.setup !== undefined;
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(p: Promise<T>): { settled: () => boolean; result: () => 'pending' | 'resolved' | 'rejected'; error: () => unknown } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  let error: unknown;
  p.then(
    () => (state = 'resolved'),
    (e) => {
      state = 'rejected';
      error = e;
    },
  );
  return { settled: () => state !== 'pending', result: () => state, error: () => error };
}

type GivenOptions = HarnessOptions & { manualCloseAck?: boolean };

/** Waits out the reconnect delay announced by the last `reconnecting` event and lets the attempt open. */
async function waitReconnect(h: SessionHarness): Promise<void> {
  h.clock.advance(lastOf(h, 'reconnecting').delayMs);
  await h.flush();
}

describe('LiveSession', () => {
  let h: SessionHarness;

  /**
   * The scenes the tests start from, each a line instead of a preamble. Each sets `h` (closed
   * by afterEach). `manualCloseAck`: close handshakes wait for the test's `ackClose()`.
   */
  const given = {
    /** A session that has not connected. */
    idle(o: GivenOptions = {}): SessionHarness {
      const { manualCloseAck, ...harness } = o;
      h = makeSession(harness);
      if (manualCloseAck) h.factory.autoAckClose = false;
      return h;
    },
    /** connect() called and its socket upgraded: the setup is out, unanswered. Returns connect()'s progress. */
    async connecting(o: GivenOptions = {}): Promise<ReturnType<typeof track>> {
      given.idle(o);
      const connected = track(h.session.connect());
      await h.flush();
      return connected;
    },
    /** Connected on its first socket, which it returns. */
    async connected(o: GivenOptions = {}): Promise<FakeTransport> {
      given.idle(o);
      return h.connectNow();
    },
    /** Connected, turns 1 and 2 answered; h1 covers turn 1, and h2 turn 2 when `coverSecond`. */
    async twoAnswered(coverSecond: boolean, o: GivenOptions = {}): Promise<FakeTransport> {
      const t = await given.connected(o);
      await h.askAndAnswer('first question', 'first answer');
      t.serverSends(resumptionUpdate('h1'));
      await h.askAndAnswer('second question', 'second answer');
      if (coverSecond) t.serverSends(resumptionUpdate('h2'));
      return t;
    },
  };

  afterEach(async () => {
    // Every test leaves no session running; close() must not throw whatever the state.
    if (!h) return;
    h.factory.autoAckClose = true;
    for (const t of h.factory.transports) t.ackClose();
    await h.session.close();
  });

  describe('connecting', () => {
    it('resolves connect() at setupComplete, not when the socket opens', async () => {
      const connected = await given.connecting();
      assert.equal(h.factory.transports.length, 1);
      assert.equal(h.factory.last.sent.length, 1, 'setup sent');
      h.clock.advance(5_000);
      await h.flush();
      assert.equal(connected.settled(), false);
      assert.equal(h.session.publicState.kind, 'connecting');
      h.factory.last.serverSends(setupComplete());
      await h.flush();
      assert.equal(connected.result(), 'resolved');
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: false, connection: 1 });
      assert.equal(h.session.publicState.kind, 'connected');
    });

    it('sends a first setup with sessionResumption {} (never a null handle) and the compression config', async () => {
      const t = await given.connected();
      const setup = t.sent[0]!.setup!;
      assert.equal(setup.model, 'models/gemini-live-2.5-flash-preview');
      assert.deepEqual(setup.generationConfig, { responseModalities: ['TEXT'] });
      assert.deepEqual(setup.sessionResumption, {});
      assert.ok(!('handle' in (setup.sessionResumption as object)));
      assert.deepEqual(setup.contextWindowCompression, { triggerTokens: '25000', slidingWindow: { targetTokens: '12500' } });
      assert.deepEqual(t.credential, { kind: 'apiKey', apiKey: TEST_API_KEY });
    });

    it('sends no sessionResumption and no compression when both are off', async () => {
      const setup = (await given.connected({ options: { resumption: false, compression: { ...DEFAULT_COMPRESSION, enabled: false } } })).sent[0]!.setup!;
      assert.equal(setup.sessionResumption, undefined);
      assert.equal(setup.contextWindowCompression, undefined);
    });

    it('refuses invalid options at construction, naming the field', () => {
      assert.throws(
        () => makeSession({ options: { compression: { ...DEFAULT_COMPRESSION, triggerTokens: 50_000 } } }),
        (e: unknown) => e instanceof MoonTalkError && e.reason === 'invalidConfig' && /triggerTokens/.test(e.message),
      );
      assert.throws(
        () => makeSession({ options: { backoff: { baseMs: 0, capMs: 10, maxAttempts: 1 } } }),
        (e: unknown) => e instanceof MoonTalkError && e.reason === 'invalidConfig' && /baseMs/.test(e.message),
      );
    });

    it('ignores server frames that arrive before setupComplete', async () => {
      given.idle();
      void h.session.connect();
      await h.flush();
      h.factory.last.serverSends(...modelChunks('too early'));
      assert.equal(h.eventsOf('text').length, 0);
      h.factory.last.serverSends(setupComplete());
    });

    it('treats a setup that is never answered as a drop and reconnects', async () => {
      const connected = await given.connecting();
      const t = h.factory.last;
      h.clock.advance(15_000 - 1);
      assert.equal(h.eventsOf('disconnected').length, 0);
      h.clock.advance(1);
      assert.equal(t.disposed, true, 'the silent socket is abandoned');
      assert.deepEqual(lastOf(h, 'disconnected'), { type: 'disconnected', code: 1006, reason: 'setup timed out', willReconnect: true });
      assert.equal(lastOf(h, 'reconnecting').attempt, 1);
      await waitReconnect(h);
      assert.equal(h.factory.transports.length, 2);
      h.factory.last.serverSends(setupComplete());
      await h.flush();
      assert.equal(connected.result(), 'resolved');
    });
  });

  describe('turns', () => {
    it('ends an interrupted turn at once, so the next turn is not held behind it', async () => {
      const t = await given.connected();
      const first = h.session.sendText('tell me everything');
      const second = h.session.sendText('actually, stop');
      t.serverSends(...modelChunks('Once upon'));
      t.serverSends({ serverContent: { interrupted: true } });
      assert.deepEqual(h.eventsOf('interrupted'), [{ type: 'interrupted', turn: first }]);
      assert.deepEqual(h.eventsOf('turnComplete'), [{ type: 'turnComplete', turn: first }]);
      assert.deepEqual(requestedTexts(t.sent), ['tell me everything', 'actually, stop'], 'the next turn went out');
      // A late turnComplete for the interrupted generation must not complete the new turn.
      t.serverSends(turnComplete());
      assert.equal(h.eventsOf('turnComplete').length, 1);
      t.serverSends(...textReply('Stopping.'));
      assert.deepEqual(h.eventsOf('turnComplete').at(-1), { type: 'turnComplete', turn: second });
      assert.equal(h.eventsOf('text').filter((e) => e.turn === second).map((e) => e.text).join(''), 'Stopping.');
    });

    it('ends the turn when its only pending tool call is cancelled', async () => {
      const t = await given.connected();
      const turn = h.session.sendText('call a tool');
      t.serverSends({ toolCall: { functionCalls: [{ id: 'c9', name: 'lookup', args: {} }] } });
      t.serverSends({ toolCallCancellation: { ids: ['c9'] } });
      assert.deepEqual(h.eventsOf('turnComplete'), [{ type: 'turnComplete', turn }]);
      assert.equal(h.session.isAnswering, false);
    });

    it('sends text turns one at a time: the next goes after turnComplete', async () => {
      const t = await given.connected();
      assert.equal(h.session.sendText('one'), 1);
      assert.equal(h.session.sendText('two'), 2);
      assert.deepEqual(requestedTexts(t.sent), ['one']);
      assert.deepEqual(clientContents(t.sent)[0], { turns: [{ role: 'user', parts: [{ text: 'one' }] }], turnComplete: true });
      t.serverSends(...modelChunks('partial'), generationComplete());
      assert.deepEqual(requestedTexts(t.sent), ['one'], 'generationComplete is not the end of the turn');
      t.serverSends(turnComplete());
      assert.deepEqual(requestedTexts(t.sent), ['one', 'two']);
    });

    it('emits turnSent, text, generationComplete, usage, turnComplete in that order', async () => {
      const t = await given.connected();
      const from = h.events.length;
      h.session.sendText('hello');
      t.serverSends(...textReply(['Hi', ' there'], 553));
      assert.deepEqual(types(h, from), ['turnSent', 'text', 'text', 'generationComplete', 'usage', 'turnComplete']);
      assert.deepEqual(h.eventsOf('turnSent'), [{ type: 'turnSent', turn: 1, text: 'hello' }]);
      assert.deepEqual(
        h.eventsOf('text').map((e) => [e.turn, e.text, e.source]),
        [
          [1, 'Hi', 'model'],
          [1, ' there', 'model'],
        ],
      );
      const usage = lastOf(h, 'usage');
      assert.equal(usage.turn, 1);
      assert.equal(usage.totalTokenCount, 553);
      assert.deepEqual(lastOf(h, 'turnComplete'), { type: 'turnComplete', turn: 1 });
    });

    it('reports output transcription as text of the current turn', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends({ serverContent: { outputTranscription: { text: 'spoken words' } } }, turnComplete());
      assert.deepEqual(
        h.eventsOf('text').map((e) => [e.turn, e.text, e.source]),
        [[1, 'spoken words', 'outputTranscription']],
      );
    });

    it('sends text queued before connect() once the session is up', async () => {
      given.idle();
      assert.equal(h.session.sendText('early'), 1);
      const t = await h.connectNow();
      assert.deepEqual(requestedTexts(t.sent), ['early']);
      assert.equal(h.eventsOf('turnRestarted').length, 0);
    });

    it('opens an audio turn for spoken input; a cut-off spoken turn is not asked again but kept as context', async () => {
      const t = await given.connected();
      t.serverSends({ serverContent: { inputTranscription: { text: 'what time is it' } } });
      t.serverSends({ serverContent: { outputTranscription: { text: 'It is' } } });
      t.serverSends({ serverContent: { interrupted: true } });
      assert.deepEqual(lastOf(h, 'inputTranscription'), { type: 'inputTranscription', turn: 1, text: 'what time is it' });
      assert.deepEqual(lastOf(h, 'interrupted'), { type: 'interrupted', turn: 1 });
      t.breaks();
      await waitReconnect(h);
      h.factory.last.serverSends(setupComplete());
      assert.equal(h.eventsOf('turnRestarted').length, 0);
      assert.deepEqual(clientContents(h.factory.last.sent), [
        {
          turns: [
            { role: 'user', parts: [{ text: 'what time is it' }] },
            { role: 'model', parts: [{ text: 'It is' }] },
          ],
          turnComplete: false,
        },
      ]);
      assert.equal(h.session.sendText('typed next'), 2);
    });

    it('throws queueFull instead of dropping a turn beyond the queue limit', async () => {
      await given.connected({ options: { ledger: { maxQueuedTurns: 2, maxContextTurns: 50, maxContextChars: 32_000 } } });
      h.session.sendText('in flight');
      h.session.sendText('q1');
      h.session.sendText('q2');
      assert.throws(() => h.session.sendText('q3'), (e: unknown) => e instanceof MoonTalkError && e.reason === 'queueFull');
    });

    it('ignores resumable:false updates: a later resume uses the last resumable handle', async () => {
      const t = await given.connected();
      await h.askAndAnswer('one', 'A1');
      t.serverSends(resumptionUpdate('h1'));
      h.session.sendText('two');
      t.serverSends(resumptionUpdate('', false), resumptionUpdate('h-not-resumable', false));
      assert.deepEqual(
        h.eventsOf('resumptionUpdate').map((e) => [e.resumable, e.coveredThrough]),
        [
          [true, 1],
          [false, 1],
          [false, 1],
        ],
      );
      t.breaks();
      await waitReconnect(h);
      assert.deepEqual(h.factory.last.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
    });
  });

  describe('drops', () => {
    it('resumes after a mid-turn drop with the newest handle and resends only the cut-off turn, once', async () => {
      const t = await given.twoAnswered(true);
      h.session.sendText('third question');
      t.serverSends(...modelChunks('partial thi'));
      const from = h.events.length;
      t.breaks();
      assert.deepEqual(h.events.slice(from).find((e) => e.type === 'disconnected'), { type: 'disconnected', code: 1006, reason: 'connection reset', willReconnect: true });
      const reconnecting = lastOf(h, 'reconnecting');
      assert.equal(reconnecting.attempt, 1);
      assert.ok(reconnecting.delayMs >= 0 && reconnecting.delayMs < 500, `first delay within [0, base): ${reconnecting.delayMs}`);
      assert.equal(h.session.publicState.kind, 'reconnecting');
      assert.equal(h.factory.transports.length, 1, 'no new socket before the delay');
      h.clock.advance(reconnecting.delayMs);
      await h.flush();
      const t2 = h.factory.last;
      assert.equal(t2.index, 1);
      assert.deepEqual(t2.sent[0]!.setup!.sessionResumption, { handle: 'h2' });
      assert.equal(t2.sent.length, 1, 'nothing but setup before setupComplete');
      t2.serverSends(setupComplete());
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: true, connection: 2 });
      assert.deepEqual(h.eventsOf('turnRestarted'), [{ type: 'turnRestarted', turn: 3 }]);
      // Covered turns 1 and 2 are not resent in any form; turn 3 is asked again exactly once.
      assert.deepEqual(clientContents(t2.sent), [{ turns: [{ role: 'user', parts: [{ text: 'third question' }] }], turnComplete: true }]);
      t2.serverSends(...textReply('third answer'));
      assert.deepEqual([...completions(h)], [
        [1, 1],
        [2, 1],
        [3, 1],
      ]);
      assert.deepEqual(h.session.getSessionStats().turns, { total: 3, queued: 0, coveredThrough: 2 });
    });

    it('resends answered turns the handle does not cover as context (turnComplete:false), never as new requests', async () => {
      const t = await given.twoAnswered(false);
      t.serverCloses(1011, 'internal error');
      assert.equal(lastOf(h, 'disconnected').willReconnect, true);
      await waitReconnect(h);
      const t2 = h.factory.last;
      assert.deepEqual(t2.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      t2.serverSends(setupComplete());
      assert.deepEqual(clientContents(t2.sent), [
        {
          turns: [
            { role: 'user', parts: [{ text: 'second question' }] },
            { role: 'model', parts: [{ text: 'second answer' }] },
          ],
          turnComplete: false,
        },
      ]);
      assert.equal(h.eventsOf('turnRestarted').length, 0);
      assert.equal(h.eventsOf('turnSent').length, 2, 'no turn is asked again');
    });

    it('delivers text queued while reconnecting after the resume, once', async () => {
      const t = await given.connected();
      t.breaks();
      h.session.sendText('while away');
      assert.equal(h.eventsOf('turnSent').length, 0);
      await waitReconnect(h);
      h.factory.last.serverSends(setupComplete());
      assert.deepEqual(requestedTexts(h.factory.last.sent), ['while away']);
      assert.equal(h.eventsOf('turnRestarted').length, 0);
    });

    it('delivers audio buffered while reconnecting, in order, on the new connection', async () => {
      const t = await given.connected();
      h.session.sendAudio('AAAA');
      t.breaks();
      h.session.sendAudio('BBBB');
      h.session.sendAudio('CCCC');
      await waitReconnect(h);
      h.factory.last.serverSends(setupComplete());
      assert.deepEqual(audioChunks(t.sent), ['AAAA']);
      assert.deepEqual(audioChunks(h.factory.last.sent), ['BBBB', 'CCCC']);
      assert.equal(h.factory.last.sent[1]!.realtimeInput?.audio?.mimeType, 'audio/pcm;rate=16000');
    });

    it('delivers a turn sent from a connected listener right after a resume exactly once', async () => {
      const t = await given.connected();
      await h.askAndAnswer('one', 'A1');
      t.serverSends(resumptionUpdate('h1'));
      h.session.onDidEmit((e) => {
        if (e.type === 'connected' && e.resumed) h.session.sendText('right after resume');
      });
      t.breaks();
      await waitReconnect(h);
      const t2 = h.factory.last;
      t2.serverSends(setupComplete());
      assert.deepEqual(requestedTexts(t2.sent), ['right after resume'], 'sent once');
      assert.equal(h.eventsOf('turnRestarted').length, 0, 'a turn that was never cut off is not restarted');
      t2.serverSends(...textReply('A2'));
      assert.equal(completions(h).get(2), 1);
    });

    it('delivers audio sent from a connected listener right after a resume', async () => {
      const t = await given.connected();
      h.session.onDidEmit((e) => {
        if (e.type === 'connected' && e.resumed === false && e.connection === 2) h.session.sendAudio('AFTER');
      });
      h.session.sendAudio('BEFORE');
      t.breaks();
      h.session.sendAudio('AWAY');
      await waitReconnect(h);
      h.factory.last.serverSends(setupComplete());
      assert.deepEqual(audioChunks(h.factory.last.sent), ['AWAY', 'AFTER']);
    });

    it('resets the backoff only after a connection stayed up for minUptimeMs', async () => {
      await given.connected({ random: () => 0.5, options: { backoff: { baseMs: 1_000, capMs: 60_000, maxAttempts: 8 }, minUptimeMs: 10_000 } });
      const dropAndReconnect = async () => {
        h.factory.last.breaks();
        const r = lastOf(h, 'reconnecting');
        await waitReconnect(h);
        h.factory.last.serverSends(setupComplete());
        return [r.attempt, r.delayMs];
      };
      assert.deepEqual(await dropAndReconnect(), [1, 500]);
      h.clock.advance(9_999);
      assert.deepEqual(await dropAndReconnect(), [2, 1_000], 'up for less than minUptimeMs: backoff keeps growing');
      h.clock.advance(10_000);
      assert.deepEqual(await dropAndReconnect(), [1, 500], 'a healthy connection resets it');
    });

    it('gives up with a clear gaveUp error after maxAttempts failed reconnects', async () => {
      const t = await given.connected({ random: () => 0.5, options: { backoff: { baseMs: 100, capMs: 1_000, maxAttempts: 3 } } });
      h.factory.defaultBehaviour = { kind: 'network', message: 'ECONNREFUSED' };
      t.breaks();
      for (let i = 0; i < 3; i++) await waitReconnect(h);
      assert.deepEqual(
        h.eventsOf('reconnecting').map((e) => [e.attempt, e.delayMs]),
        [
          [1, 50],
          [2, 100],
          [3, 200],
        ],
      );
      assert.equal(h.factory.openCalls.length, 4);
      const fatal = lastOf(h, 'error');
      assert.equal(fatal.fatal, true);
      assert.equal(fatal.error.reason, 'gaveUp');
      assert.match(fatal.error.message, /Could not reconnect after 3 attempts \(last: 1006 Could not reach the Live API: ECONNREFUSED\)/);
      assert.match(fatal.error.message, /conversation is kept/);
      assert.equal(lastOf(h, 'disconnected').willReconnect, false);
      assert.equal(h.session.publicState.kind, 'failed');
      h.clock.advance(600_000);
      await h.flush();
      assert.equal(h.factory.openCalls.length, 4, 'no more attempts');
      assert.equal(h.clock.pendingTimers, 0);
    });

    it('rejects connect() with gaveUp when the first connection never comes up', async () => {
      given.idle({ options: { backoff: { baseMs: 10, capMs: 10, maxAttempts: 2 } } });
      h.factory.defaultBehaviour = { kind: 'network' };
      const connected = track(h.session.connect());
      await h.flush();
      for (let i = 0; i < 2; i++) await waitReconnect(h);
      assert.equal(connected.result(), 'rejected');
      assert.ok(connected.error() instanceof MoonTalkError && (connected.error() as MoonTalkError).reason === 'gaveUp');
    });
  });

  describe('refused setups and credentials', () => {
    it('survives a socket that is already closing when setup goes out: the close decides, nothing throws', async () => {
      given.idle();
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const connected = h.session.connect().catch((e: unknown) => e);
        // The server refuses the key right after the upgrade, before our setup is written.
        h.factory.beforeNextSend = (t) => t.serverCloses(1008, 'API key not valid');
        const err = await connected;
        assert.equal((err as { reason?: string }).reason, 'badKey');
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(unhandled, []);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('starts a fresh session after 1007 on a resume setup, sending earlier answered turns as context', async () => {
      const t = await given.twoAnswered(true);
      t.breaks();
      await waitReconnect(h);
      const resumeAttempt = h.factory.last;
      assert.deepEqual(resumeAttempt.sent[0]!.setup!.sessionResumption, { handle: 'h2' });
      resumeAttempt.serverCloses(1007, 'stale handle');
      await h.flush();
      assert.deepEqual(lastOf(h, 'resumeFailed'), { type: 'resumeFailed', reason: 'stale handle' });
      const fresh = h.factory.last;
      assert.equal(fresh.index, 2);
      assert.deepEqual(fresh.sent[0]!.setup!.sessionResumption, {}, 'fresh setup without a handle');
      fresh.serverSends(setupComplete());
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: false, connection: 2 });
      assert.deepEqual(clientContents(fresh.sent), [
        {
          turns: [
            { role: 'user', parts: [{ text: 'first question' }] },
            { role: 'model', parts: [{ text: 'first answer' }] },
            { role: 'user', parts: [{ text: 'second question' }] },
            { role: 'model', parts: [{ text: 'second answer' }] },
          ],
          turnComplete: false,
        },
      ]);
      assert.equal(h.eventsOf('turnSent').length, 2, 'earlier turns are never asked again');
      assert.equal(h.session.getSessionStats().resumeFailures, 1);
    });

    it('fails with badSetup on 1007 to a setup without a handle, and rejects connect()', async () => {
      const connected = await given.connecting();
      h.factory.last.serverCloses(1007, 'invalid argument');
      await h.flush();
      assert.equal(connected.result(), 'rejected');
      assert.equal((connected.error() as MoonTalkError).reason, 'badSetup');
      assert.equal(lastOf(h, 'error').fatal, true);
      assert.equal(h.session.publicState.kind, 'failed');
      h.clock.advance(120_000);
      await h.flush();
      assert.equal(h.factory.openCalls.length, 1);
    });

    it('fails with badKey on 1008 at setup with an API key, with no retry loop', async () => {
      const connected = await given.connecting();
      h.factory.last.serverCloses(1008, 'API key not valid');
      await h.flush();
      assert.equal(connected.result(), 'rejected');
      const err = connected.error() as MoonTalkError;
      assert.equal(err.reason, 'badKey');
      assert.equal(err.details.code, 1008);
      assert.match(err.message, /refused the API key/);
      assert.ok(!err.message.includes(TEST_API_KEY.slice(4, 12)), 'the key never appears in the message');
      h.clock.advance(600_000);
      await h.flush();
      assert.equal(h.factory.openCalls.length, 1);
      assert.equal(h.eventsOf('reconnecting').length, 0);
      assert.equal(lastOf(h, 'error').error.reason, 'badKey');
    });

    it('fails with badKey on HTTP 401 from the upgrade, with no retry loop', async () => {
      given.idle();
      h.factory.nextOpens({ kind: 'http', status: 401 });
      const connected = track(h.session.connect());
      await h.flush();
      assert.equal(connected.result(), 'rejected');
      assert.equal((connected.error() as MoonTalkError).reason, 'badKey');
      assert.equal((connected.error() as MoonTalkError).details.code, 401);
      h.clock.advance(600_000);
      await h.flush();
      assert.equal(h.factory.openCalls.length, 1);
    });

    it('connects again after a failure when connect() is called again', async () => {
      given.idle();
      h.factory.nextOpens({ kind: 'http', status: 403 });
      await assert.rejects(h.session.connect());
      const again = track(h.session.connect());
      await h.flush();
      h.factory.last.serverSends(setupComplete());
      await h.flush();
      assert.equal(again.result(), 'resolved');
    });

    it('resumes a restored session with its saved handle and resends the turn that was in flight', async () => {
      given.idle({
        restored: {
          ledger: {
            handle: 'saved-handle',
            coveredThrough: 1,
            nextTurn: 3,
            turns: [
              { turn: 1, origin: 'text', userText: 'q1', answer: 'a1', status: 'complete' },
              { turn: 2, origin: 'text', userText: 'q2', answer: 'par', status: 'sent' },
            ],
          },
          lastConnectionEndedAt: undefined,
        },
      });
      const t = await h.connectNow();
      assert.deepEqual(t.sent[0]!.setup!.sessionResumption, { handle: 'saved-handle' });
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: true, connection: 1 });
      assert.deepEqual(h.eventsOf('turnRestarted'), [{ type: 'turnRestarted', turn: 2 }]);
      assert.deepEqual(requestedTexts(t.sent), ['q2']);
      assert.equal(h.session.sendText('q3'), 3);
    });

    it('goes on counting a restored session: its duration from the saved start, its connections from the saved number', async () => {
      const clock = new FakeClock();
      const startTime = clock.now() - 300_000; // the conversation began 5 minutes ago, in another window
      given.idle({
        clock,
        restored: {
          ledger: { handle: 'saved-handle', coveredThrough: 0, nextTurn: 1, turns: [] },
          lastConnectionEndedAt: clock.now() - 10_000,
          startTime,
          connections: 3,
          handoffs: 1,
          reconnects: 1,
        },
      });
      await h.connectNow();
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: true, connection: 4 });
      const stats = h.session.getSessionStats();
      assert.equal(stats.startTime, startTime);
      assert.equal(stats.connections, 4);
      assert.equal(stats.handoffs, 1);
      assert.equal(stats.reconnects, 1);
      assert.ok(stats.duration >= 300_000, `duration ${stats.duration} restarted`);
      const snapshot = h.session.resumptionSnapshot();
      assert.equal(snapshot.startTime, startTime);
      assert.equal(snapshot.connections, 4);
    });

    describe('token mode', () => {
      function tokenSession(): FakeTokenMinter {
        const clock = new FakeClock();
        const minter = new FakeTokenMinter();
        const credentials = new TokenCredentials(minter, clock, () => ({ model: 'models/m' }));
        given.idle({ clock, credentials });
        return minter;
      }

      it('on 1008 mints one fresh token and retries once, which can succeed', async () => {
        const minter = tokenSession();
        const connected = track(h.session.connect());
        await h.flush();
        assert.deepEqual(h.factory.transports[0]!.credential, { kind: 'token', name: 'auth_tokens/tok1-abcdefghijklmnop' });
        h.factory.transports[0]!.serverCloses(1008, 'token expired');
        await h.flush();
        assert.equal(minter.requests.length, 2);
        assert.deepEqual(h.factory.last.credential, { kind: 'token', name: 'auth_tokens/tok2-abcdefghijklmnop' });
        h.factory.last.serverSends(setupComplete());
        await h.flush();
        assert.equal(connected.result(), 'resolved');
      });

      it('fails with tokenRefused when the fresh token is refused too, without looping', async () => {
        const minter = tokenSession();
        const connected = track(h.session.connect());
        await h.flush();
        h.factory.last.serverCloses(1008, 'token expired');
        await h.flush();
        h.factory.last.serverCloses(1008, 'still refused');
        await h.flush();
        assert.equal(connected.result(), 'rejected');
        assert.equal((connected.error() as MoonTalkError).reason, 'tokenRefused');
        h.clock.advance(600_000);
        await h.flush();
        assert.equal(minter.requests.length, 2);
        assert.equal(h.factory.openCalls.length, 2);
      });

      it('reports badKey when the API key is refused while minting a token', async () => {
        const minter = tokenSession();
        minter.failWith = new MoonTalkError('badKey', 'The token service refused the API key (HTTP 401).', { code: 401 });
        const connected = track(h.session.connect());
        await h.flush();
        assert.equal(connected.result(), 'rejected');
        assert.equal((connected.error() as MoonTalkError).reason, 'badKey');
        assert.equal(h.factory.openCalls.length, 0);
      });

      it('retries once on HTTP 403 from the upgrade with a fresh token', async () => {
        const minter = tokenSession();
        h.factory.nextOpens({ kind: 'http', status: 403 });
        void h.session.connect();
        await h.flush();
        assert.equal(minter.requests.length, 2);
        assert.equal(h.factory.openCalls.length, 2);
        assert.equal(h.factory.openCalls[0]!.outcome, 'rejected');
        h.factory.last.serverSends(setupComplete());
      });
    });
  });

  describe('goAway handoff', () => {
    it('opens a warm standby at once on goAway, sending nothing on it', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends(goAway('10s'));
      await h.flush();
      assert.deepEqual(lastOf(h, 'goAway'), { type: 'goAway', timeLeftMs: 10_000, deadline: h.clock.now() + 10_000 });
      assert.deepEqual(lastOf(h, 'handoff'), { type: 'handoff', phase: 'started', reason: 'goAway' });
      assert.equal(h.factory.transports.length, 2);
      assert.equal(h.factory.transports[1]!.sent.length, 0, 'no setup on the standby yet');
      assert.ok(t.isOpen, 'the old socket stays while the turn is in flight');
      assert.equal(h.session.publicState.kind, 'handingOff');
    });

    it('at turnComplete closes the old socket (1000) before sending setup with the newest handle on the standby', async () => {
      const t = await given.connected({ manualCloseAck: true, options: { handoffCloseWait: 'ack' } });
      await h.askAndAnswer('one', 'A1');
      t.serverSends(resumptionUpdate('h1'));
      h.session.sendText('two');
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      t.serverSends(...modelChunks('A2'));
      assert.ok(t.isOpen);
      h.clock.advance(100);
      t.serverSends(generationComplete(), turnComplete());
      assert.ok(t.isOpen, 'waits briefly for the handle that covers turn 2');
      h.clock.advance(500);
      assert.deepEqual(t.closeCalls.map((c) => [c.code, c.ackTimeoutMs]), [[1000, 2_000]]);
      assert.equal(standby.sent.length, 0, 'no setup until the server acknowledged the close');
      h.clock.advance(40);
      t.ackClose();
      await h.flush();
      const closedAt = h.factory.log.findIndex((e) => e.kind === 'closed' && e.transport === 0);
      const setupAt = h.factory.log.findIndex((e) => e.kind === 'sent' && e.transport === 1 && isSetup(e.message));
      assert.ok(closedAt >= 0 && setupAt > closedAt, 'old socket closed before setup on the standby');
      assert.deepEqual(standby.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      h.clock.advance(60);
      standby.serverSends(setupComplete());
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: true, connection: 2 });
      assert.deepEqual(lastOf(h, 'handoff'), { type: 'handoff', phase: 'completed', reason: 'goAway', gapMs: 100, warm: true });
      // Turn 2 was answered on the old socket after h1: the new one gets it as context, not as a request.
      assert.deepEqual(clientContents(standby.sent).map((c) => c.turnComplete), [false]);
      assert.equal(h.eventsOf('turnRestarted').length, 0);
      const stats = h.session.getSessionStats();
      assert.equal(stats.handoffs, 1);
      assert.equal(stats.lastHandoffGapMs, 100);
      assert.equal(stats.connections, 2);
    });

    it('waits for a standby still opening and uses a handle that arrived meanwhile', async () => {
      const t = await given.connected();
      h.session.sendText('one');
      h.factory.nextOpens({ kind: 'hold' });
      t.serverSends(goAway('30s'));
      t.serverSends(...textReply('A1'));
      t.serverSends(resumptionUpdate('h1'));
      await h.flush();
      assert.ok(t.isOpen, 'no switch before the standby is ready');
      assert.equal(h.factory.pendingOpens.length, 1);
      const standby = h.factory.pendingOpens[0]!.release();
      await h.flush();
      assert.equal(t.closedWith?.code, 1000);
      assert.deepEqual(standby.sent.map((m) => m.setup?.sessionResumption), [{ handle: 'h1' }]);
      standby.serverSends(setupComplete());
      assert.deepEqual(clientContents(standby.sent), [], 'h1 covers turn 1: nothing to resend');
    });

    it('without a turn boundary, switches by the clock at deadline minus margin, not on message arrival', async () => {
      const t = await given.connected();
      await h.askAndAnswer('one', 'A1');
      t.serverSends(resumptionUpdate('h1'));
      h.session.sendText('long one');
      t.serverSends(...modelChunks('par'));
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      h.clock.advance(7_999);
      assert.ok(t.isOpen, 'not yet');
      h.clock.advance(1);
      assert.equal(t.closedWith?.code, 1000);
      assert.equal(t.closedWith?.by, 'client');
      assert.deepEqual(standby.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      standby.serverSends(setupComplete());
      assert.deepEqual(h.eventsOf('turnRestarted'), [{ type: 'turnRestarted', turn: 2 }]);
      assert.deepEqual(requestedTexts(standby.sent), ['long one']);
      standby.serverSends(...textReply('full answer'));
      assert.equal(completions(h).get(2), 1);
    });

    it('uses half the time left as margin when goAway leaves less than twice the margin', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends(goAway('1s'));
      h.clock.advance(499);
      assert.ok(t.isOpen);
      h.clock.advance(1);
      assert.ok(t.isClosed);
    });

    it('opens a fresh socket when the standby died before the switch', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      standby.serverCloses(1011, 'idle');
      t.serverSends(...textReply('A'), resumptionUpdate('h-after'));
      await h.flush();
      assert.ok(t.isClosed);
      assert.equal(h.factory.transports.length, 3);
      assert.equal(standby.sent.length, 0);
      const fresh = h.factory.last;
      assert.equal(fresh.sent.filter(isSetup).length, 1);
      fresh.serverSends(setupComplete());
      assert.equal(lastOf(h, 'handoff').phase, 'completed');
      assert.equal((lastOf(h, 'handoff') as { warm?: boolean }).warm, false);
    });

    it('switches at once when the old socket closes by itself during the handoff', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      t.serverCloses(1011, 'Deadline expired');
      assert.deepEqual(lastOf(h, 'disconnected'), { type: 'disconnected', code: 1011, reason: 'Deadline expired', willReconnect: true });
      assert.equal(standby.sent.filter(isSetup).length, 1, 'setup on the standby without waiting for the clock');
      standby.serverSends(setupComplete());
      assert.deepEqual(requestedTexts(standby.sent), ['q'], 'the cut-off turn is asked again');
      assert.deepEqual(h.eventsOf('turnRestarted'), [{ type: 'turnRestarted', turn: 1 }]);
    });

    it('buffers audio sent during the handoff and flushes it in order on the new connection, exactly once', async () => {
      const t = await given.connected();
      h.session.sendAudio('BEFORE');
      h.factory.nextOpens({ kind: 'hold' });
      t.serverSends(goAway('10s'));
      await h.flush();
      for (const chunk of ['A1', 'A2', 'A3']) h.session.sendAudio(chunk);
      const standby = h.factory.pendingOpens[0]!.release();
      await h.flush();
      h.session.sendAudio('A4');
      standby.serverSends(setupComplete());
      h.session.sendAudio('AFTER');
      const all = h.factory.transports.flatMap((x) => audioChunks(x.sent));
      assert.deepEqual(audioChunks(t.sent), ['BEFORE']);
      assert.deepEqual(audioChunks(standby.sent), ['A1', 'A2', 'A3', 'A4', 'AFTER']);
      assert.equal(new Set(all).size, all.length, 'no chunk sent twice');
    });

    it('bounds the audio buffer, dropping the oldest and reporting audioDropped', async () => {
      given.idle({ options: { maxBufferedAudioBytes: 30 } }); // 40 base64 chars
      const t = await h.connectNow();
      h.factory.nextOpens({ kind: 'hold' });
      t.serverSends(goAway('10s'));
      await h.flush();
      const chunks = ['1'.repeat(16), '2'.repeat(16), '3'.repeat(16), '4'.repeat(16)];
      for (const c of chunks) h.session.sendAudio(c);
      assert.deepEqual(h.eventsOf('audioDropped'), [
        { type: 'audioDropped', bytes: 12 },
        { type: 'audioDropped', bytes: 12 },
      ]);
      const standby = h.factory.pendingOpens[0]!.release();
      await h.flush();
      standby.serverSends(setupComplete());
      assert.deepEqual(audioChunks(standby.sent), [chunks[2], chunks[3]]);
    });

    it('by default sends setup on the standby right behind the close frame, without waiting for the acknowledgement', async () => {
      const t = await given.connected({ manualCloseAck: true });
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      assert.ok(t.closeAwaitingAck, 'the close frame is out');
      assert.equal(standby.sent.filter(isSetup).length, 1, 'setup went out without waiting for the acknowledgement');
      const closedAt = h.factory.log.findIndex((e) => e.kind === 'closed' || (e.kind === 'sent' && e.transport === 1));
      assert.ok(t.closeCalls.length === 1 && closedAt >= 0);
      standby.serverSends(setupComplete());
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: false, connection: 2 });
      t.ackClose();
    });

    it('retries once after the close completes when the service saw the resume before the close (1011)', async () => {
      const t = await given.connected({ manualCloseAck: true });
      await h.askAndAnswer('one', 'A1');
      t.serverSends(resumptionUpdate('h1'));
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      assert.deepEqual(standby.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      standby.serverCloses(1011, 'Internal error: the session is still in use by another connection.');
      await h.flush();
      assert.equal(h.factory.transports.length, 2, 'no retry before the old socket has closed');
      assert.equal(h.eventsOf('reconnecting').length, 0, 'not a drop: no backoff');
      t.ackClose();
      await h.flush();
      const retry = h.factory.last;
      assert.equal(retry.index, 2);
      assert.deepEqual(retry.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      retry.serverSends(setupComplete());
      const done = lastOf(h, 'handoff');
      assert.ok(done.phase === 'completed' && done.warm === false);
      assert.deepEqual(lastOf(h, 'connected'), { type: 'connected', resumed: true, connection: 2 });
    });

    it('switches as soon as the handle covering the last turn arrives, and resends nothing', async () => {
      const t = await given.connected();
      h.session.sendText('one');
      t.serverSends(goAway('30s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      t.serverSends(...textReply('A1'));
      assert.ok(t.isOpen, 'turn 1 is not covered yet: wait for its handle');
      h.clock.advance(100);
      t.serverSends(resumptionUpdate('h1'));
      assert.ok(t.isClosed, 'switched on the covering handle, before the grace ran out');
      assert.deepEqual(standby.sent[0]!.setup!.sessionResumption, { handle: 'h1' });
      standby.serverSends(setupComplete());
      assert.deepEqual(clientContents(standby.sent), [], 'nothing resent: the handle covers everything');
    });

    it('waits for a pending tool call to be answered before switching', async () => {
      const t = await given.connected();
      h.session.sendText('use the tool');
      t.serverSends({ toolCall: { functionCalls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] } });
      assert.deepEqual(lastOf(h, 'toolCall'), { type: 'toolCall', turn: 1, connection: 1, calls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] });
      t.serverSends(goAway('30s'));
      t.serverSends(turnComplete());
      assert.ok(t.isOpen, 'a tool call is still pending: no switch');
      h.session.sendToolResponse([{ id: 'c1', name: 'lookup', response: { result: 42 } }]);
      assert.deepEqual(t.sent[t.sent.length - 1], { toolResponse: { functionResponses: [{ id: 'c1', name: 'lookup', response: { result: 42 } }] } });
      t.serverSends(resumptionUpdate('h-after-tool'));
      await h.flush();
      assert.ok(t.isClosed, 'switched once the tool call was answered and a handle covered the turn');
      assert.equal(h.factory.transports[1]!.sent.filter(isSetup).length, 1);
    });

    it('a planned refresh hands off the same way', async () => {
      const t = await given.connected();
      t.serverSends(resumptionUpdate('h0'));
      h.session.refresh();
      await h.flush();
      assert.ok(t.isClosed);
      assert.deepEqual(h.factory.last.sent[0]!.setup!.sessionResumption, { handle: 'h0' });
      h.factory.last.serverSends(setupComplete());
      assert.equal((lastOf(h, 'handoff') as { reason: string }).reason, 'refresh');
    });
  });

  describe('closing and lifecycle', () => {
    it('close() sends 1000, emits closed and leaves no timer running', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      await h.session.close();
      assert.deepEqual(t.closeCalls.map((c) => c.code), [1000]);
      assert.ok(t.isClosed);
      assert.equal(lastOf(h, 'closed').type, 'closed');
      assert.equal(h.session.publicState.kind, 'closed');
      assert.equal(h.clock.pendingTimers, 0);
      assert.throws(() => h.session.sendText('late'), (e: unknown) => e instanceof MoonTalkError && e.reason === 'closed');
    });

    it('close() while reconnecting cancels the reconnect', async () => {
      const t = await given.connected();
      t.breaks();
      assert.equal(h.clock.pendingTimers, 1);
      await h.session.close();
      assert.equal(h.clock.pendingTimers, 0);
      h.clock.advance(60_000);
      await h.flush();
      assert.equal(h.factory.openCalls.length, 1);
    });

    it('close() during a handoff closes both sockets and leaves no timer', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSends(goAway('10s'));
      await h.flush();
      await h.session.close();
      await h.flush();
      assert.ok(t.isClosed);
      assert.ok(h.factory.transports[1]!.isClosed, 'the standby is not leaked');
      assert.equal(h.clock.pendingTimers, 0);
    });

    it('close() before setupComplete rejects connect() and disposes a socket that opens late', async () => {
      given.idle();
      h.factory.nextOpens({ kind: 'hold' });
      const connected = track(h.session.connect());
      await h.session.close();
      assert.equal(connected.result(), 'rejected');
      const late = h.factory.pendingOpens[0]!.release();
      await h.flush();
      assert.ok(late.disposed);
      assert.equal(h.clock.pendingTimers, 0);
    });

    it('close() while the handoff waits for the old socket to close does not leak the standby', async () => {
      const t = await given.connected({ manualCloseAck: true, options: { handoffCloseWait: 'ack' } });
      h.session.sendText('q');
      t.serverSends(goAway('10s'));
      await h.flush();
      const standby = h.factory.transports[1]!;
      t.serverSends(...textReply('a'), resumptionUpdate('h-a'));
      assert.ok(t.closeAwaitingAck, 'the switch is waiting for the close handshake');
      const closing = h.session.close();
      t.ackClose();
      await closing;
      assert.ok(standby.isClosed, 'the standby socket is closed, not leaked');
      assert.equal(standby.sent.length, 0);
    });

    it('close() while the switch waits for a standby still opening leaves no timer running', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      h.factory.nextOpens({ kind: 'hold' });
      t.serverSends(goAway('10s'));
      h.clock.advance(8_000); // deadline − margin: switch without a standby
      assert.ok(t.isClosed);
      await h.session.close();
      assert.equal(h.clock.pendingTimers, 0);
      h.factory.pendingOpens[0]!.release();
      await h.flush();
      assert.ok(h.factory.last.disposed, 'a standby that opens after close is dropped');
    });

    it('after a deadline switch with the standby still opening, uses it once it opens', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      h.factory.nextOpens({ kind: 'hold' });
      t.serverSends(goAway('10s'));
      h.clock.advance(8_000);
      await h.flush();
      assert.ok(t.isClosed);
      h.clock.advance(300);
      const standby = h.factory.pendingOpens[0]!.release();
      h.clock.advance(10); // the switch polls for the standby on the clock
      await h.flush();
      assert.equal(standby.sent.filter(isSetup).length, 1);
      standby.serverSends(setupComplete());
      assert.deepEqual(requestedTexts(standby.sent), ['q']);
      assert.equal(h.factory.transports.length, 2, 'no extra socket');
    });

    it('a listener that throws does not stop the others or the session', async () => {
      given.idle();
      h.session.onDidEmit(() => {
        throw new Error('broken UI');
      });
      const seen: string[] = [];
      h.session.onDidEmit((e) => seen.push(e.type));
      const t = await h.connectNow();
      h.session.sendText('q');
      t.serverSends(...textReply('a'));
      assert.ok(seen.includes('connected') && seen.includes('turnComplete'));
      assert.equal(h.session.publicState.kind, 'connected');
    });

    it('reports a malformed frame as a non-fatal error and carries on', async () => {
      const t = await given.connected();
      h.session.sendText('q');
      t.serverSendsRaw('{"serverContent": ');
      t.serverSendsRaw('{"usageMetadata":{"totalTokenCount":"lots"}}');
      const errors = h.eventsOf('error');
      assert.equal(errors.length, 2);
      assert.ok(errors.every((e) => !e.fatal && e.error.reason === 'protocol'));
      assert.match(errors[1]!.error.message, /usageMetadata\.totalTokenCount/);
      t.serverSendsRaw(Buffer.from(JSON.stringify(textReply('fine')[0])));
      t.serverSends(turnComplete());
      assert.deepEqual(lastOf(h, 'text').text, 'fine');
      assert.equal(completions(h).get(1), 1);
      assert.equal(h.session.publicState.kind, 'connected');
    });

    it('updateCompressionConfig validates, and applies only at the next setup', async () => {
      const t = await given.connected();
      assert.throws(
        () => h.session.updateCompressionConfig({ ...DEFAULT_COMPRESSION, compressionRatio: 1 }),
        (e: unknown) => e instanceof MoonTalkError && e.reason === 'invalidConfig' && e.details.field === 'compression',
      );
      assert.throws(() => h.session.updateCompressionConfig({ ...DEFAULT_COMPRESSION, triggerTokens: 40_000 }), /exceeds the context window/);
      const sentBefore = t.sent.length;
      h.session.updateCompressionConfig({ ...DEFAULT_COMPRESSION, triggerTokens: 20_000, compressionRatio: 0.25 });
      assert.equal(t.sent.length, sentBefore, 'nothing is sent on the live connection');
      assert.equal(h.session.compressionConfig.triggerTokens, 20_000);
      t.breaks();
      await waitReconnect(h);
      assert.deepEqual(h.factory.last.sent[0]!.setup!.contextWindowCompression, { triggerTokens: '20000', slidingWindow: { targetTokens: '5000' } });
      h.factory.last.serverSends(setupComplete());
    });

    it('updateCompressionConfig can turn compression off for the next setup', async () => {
      const t = await given.connected();
      h.session.updateCompressionConfig({ ...DEFAULT_COMPRESSION, enabled: false });
      t.breaks();
      await waitReconnect(h);
      assert.equal(h.factory.last.sent[0]!.setup!.contextWindowCompression, undefined);
      assert.equal(h.session.getSessionStats().compressionEnabled, false);
    });
  });

  describe('stats', () => {
    it('counts connections, handoffs and reconnects, and reports context fill against the trigger', async () => {
      given.idle();
      const before = h.session.getSessionStats();
      assert.equal(before.state, 'idle');
      assert.equal(before.duration, 0);
      assert.equal(before.contextFill, undefined);
      const t = await h.connectNow();
      h.session.sendText('q');
      t.serverSends(...textReply('a', 5_000));
      t.serverSends(resumptionUpdate('h1'));
      let s = h.session.getSessionStats();
      assert.equal(s.lastUsageTotal, 5_000);
      assert.equal(s.contextFill, 5_000 / 25_000);
      assert.equal(s.connections, 1);
      assert.equal(s.active, true);
      assert.equal(s.hasValidResumptionData, true);
      h.clock.advance(1_000);
      t.serverSends(goAway('10s'));
      await h.flush();
      h.factory.last.serverSends(setupComplete());
      h.factory.last.breaks();
      await waitReconnect(h);
      h.factory.last.serverSends(setupComplete());
      s = h.session.getSessionStats();
      assert.equal(s.connections, 3);
      assert.equal(s.handoffs, 1);
      assert.equal(s.reconnects, 1);
      assert.deepEqual(s.lastGoAway, { timeLeftMs: 10_000, at: s.startTime! + 1_000 });
      assert.ok(s.duration >= 1_000);
      assert.equal(s.model, 'gemini-live-2.5-flash-preview');
      assert.deepEqual(s.turns, { total: 1, queued: 0, coveredThrough: 1 });
    });

    it('reports no valid resumption data once handleLifetimeMs has passed since the last connection ended', async () => {
      const t = await given.connected({ options: { handleLifetimeMs: 60_000 } });
      t.serverSends(resumptionUpdate('h1'));
      h.clock.advance(500_000);
      assert.equal(h.session.getSessionStats().hasValidResumptionData, true, 'a live connection keeps it valid');
      await h.session.close();
      h.clock.advance(60_000);
      await h.flush();
      assert.equal(h.session.getSessionStats().hasValidResumptionData, true);
      h.clock.advance(1);
      assert.equal(h.session.getSessionStats().hasValidResumptionData, false);
    });

    it('starts a fresh session when the handle expired while reconnecting', async () => {
      const t = await given.connected({ random: () => 0.999, options: { handleLifetimeMs: 1_000, backoff: { baseMs: 5_000, capMs: 5_000, maxAttempts: 3 } } });
      await h.askAndAnswer('q', 'a');
      t.serverSends(resumptionUpdate('h1'));
      t.breaks();
      await waitReconnect(h);
      assert.deepEqual(h.factory.last.sent[0]!.setup!.sessionResumption, {});
      h.factory.last.serverSends(setupComplete());
      assert.deepEqual(clientContents(h.factory.last.sent).map((c) => c.turnComplete), [false], 'the answered turn goes as context');
    });
  });

  it('connect() joins an attempt in progress and resolves at once when connected', async () => {
    given.idle();
    const a = track(h.session.connect());
    const b = track(h.session.connect());
    await h.flush();
    assert.equal(h.factory.openCalls.length, 1);
    h.factory.last.serverSends(setupComplete());
    await h.flush();
    assert.equal(a.result(), 'resolved');
    assert.equal(b.result(), 'resolved');
    await h.session.connect();
    assert.equal(h.factory.openCalls.length, 1);
  });

  it('works with the LiveSession constructor directly (no harness magic)', async () => {
    const clock = new FakeClock();
    const { FakeTransportFactory } = await import('../../fakes/fakeTransport');
    const { ApiKeyCredentials } = await import('../../../src/core/ports');
    const { nullLogger } = await import('../../../src/common/logger');
    const { sessionOptions } = await import('../../fakes/builders');
    const factory = new FakeTransportFactory();
    const session = new LiveSession(sessionOptions(), { transports: factory, credentials: new ApiKeyCredentials('k'), clock, random: () => 0, logger: nullLogger });
    const p = session.connect();
    await flushMicrotasks();
    factory.last.serverSends(setupComplete());
    await p;
    await session.close();
    assert.equal(clock.pendingTimers, 0);
  });
});
