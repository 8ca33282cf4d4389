import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { waitForEvent } from '../../src/common/event';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import { benchManyTurns, benchSlowConsumer } from '../../bench/emulatorMemory';
import { FakeClock } from '../fakes/fakeClock';
import { useEmulators } from './helpers/emulatorFixture';
import { LiveTestClient, keyUrl, postToken, replyText, tokenUrl } from './support/liveTestClient';

/**
 * The service's wire habits (LIVE-PROTOCOL.md "Endpoints"; protobuf JSON) and the
 * emulator's own bounds (issue 14): nothing a client does may grow its memory without limit.
 */

const M31 = 'models/gemini-3.1-flash-live-preview';
const M38 = 'models/gemini-3.8-live';
const TEXT_SETUP = { model: M31, generationConfig: { responseModalities: ['TEXT'] } };

/**
 * Opens a socket with request headers, sends `setup`, and says how it went: 'setupComplete'
 * or the close code. (LiveTestClient takes no headers; this is all these tests need.)
 */
function setupWithHeaders(url: string, headers: Record<string, string>, setup: Record<string, unknown>): Promise<'setupComplete' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no answer to setup'));
    }, 3000);
    const done = (v: 'setupComplete' | number) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(v);
    };
    ws.on('open', () => ws.send(JSON.stringify({ setup })));
    ws.on('message', (d) => {
      if ((JSON.parse(String(d)) as Record<string, unknown>)['setupComplete'] !== undefined) done('setupComplete');
    });
    ws.on('close', (code) => done(code));
    ws.on('error', () => {});
  });
}

describe('LiveEmulator wire habits and bounds', function () {
  this.timeout(20_000);
  const { start, track } = useEmulators();

  describe('credentials where the service takes them', () => {
    it('takes the key as ?key= or the x-goog-api-key header; refuses a wrong header key with 1008', async () => {
      const { baseUrl } = await start({ apiKey: 'the-key' });
      assert.equal(await setupWithHeaders(keyUrl(baseUrl, undefined), { 'x-goog-api-key': 'the-key' }, TEXT_SETUP), 'setupComplete');
      assert.equal(await setupWithHeaders(keyUrl(baseUrl, undefined), { 'x-goog-api-key': 'nope' }, TEXT_SETUP), 1008);
      assert.equal(await setupWithHeaders(keyUrl(baseUrl, undefined), {}, TEXT_SETUP), 1008);
    });

    it('takes the token as ?access_token= or "Authorization: Token auth_tokens/…"', async () => {
      const { baseUrl } = await start();
      const token = (await postToken(baseUrl, { uses: 0 }, 'k')).json.name as string;
      const bare = tokenUrl(baseUrl, 'x').replace(/\?access_token=.*$/, '');
      assert.equal(await setupWithHeaders(bare, { authorization: `Token ${token}` }, TEXT_SETUP), 'setupComplete');
      assert.equal(await setupWithHeaders(bare, { authorization: 'Token auth_tokens/unknown' }, TEXT_SETUP), 1008);
    });
  });

  // Protobuf JSON parsers accept proto field names too; python clients send snake_case.
  it('accepts snake_case field names in every client message (setup, client_content, realtime_input, tool_response)', async () => {
    const { baseUrl } = await start();
    const c = track(await LiveTestClient.connect(keyUrl(baseUrl, 'k')));
    c.send({
      setup: {
        model: M38,
        generation_config: { response_modalities: ['AUDIO'] },
        output_audio_transcription: {},
        session_resumption: {},
        tools: [{ function_declarations: [{ name: 'lookup', behavior: 'NON_BLOCKING' }] }],
      },
    });
    await c.next((f) => f['setupComplete'] !== undefined);
    c.send({ client_content: { turns: [{ role: 'user', parts: [{ text: 'call tool lookup {"city_name":"Oslo"}' }] }], turn_complete: true } });
    const call = (await c.next((f) => f['toolCall'] !== undefined))['toolCall']['functionCalls'][0];
    assert.deepEqual(call.args, { city_name: 'Oslo' }, 'user data keeps its own keys');
    await c.turn();
    c.send({ tool_response: { function_responses: [{ id: call.id, name: 'lookup', response: { temp_c: 3 }, scheduling: 'INTERRUPT' }] } });
    const spoken = (await c.turn()).map((f) => f['serverContent']?.['outputTranscription']?.['text'] ?? '').join('');
    assert.equal(spoken, 'Tool lookup returned {"temp_c":3}');
    c.send({ realtime_input: { text: 'snake text' } });
    assert.equal((await c.turn()).map((f) => f['serverContent']?.['outputTranscription']?.['text'] ?? '').join(''), 'You said: snake text');
  });

  describe('bounds (issue 14)', () => {
    it('closes a client frame above maxIncomingFrameBytes with 1009 before buffering it whole', async () => {
      const { baseUrl } = await start({ maxIncomingFrameBytes: 64 * 1024 });
      const c = track(await LiveTestClient.open(keyUrl(baseUrl, 'k'), TEXT_SETUP));
      // A 1 s 16 kHz chunk (43 KB as base64 JSON) fits; a 2 s one does not.
      c.send({ realtimeInput: { audio: { data: Buffer.alloc(32_000).toString('base64'), mimeType: 'audio/pcm;rate=16000' } } });
      c.send({ realtimeInput: { text: 'still here' } });
      assert.equal(replyText(await c.turn()), 'You said: still here');
      c.send({ realtimeInput: { audio: { data: Buffer.alloc(64_000).toString('base64'), mimeType: 'audio/pcm;rate=16000' } } });
      assert.equal((await c.waitClose()).code, 1009);
    });

    it('the default frame limit takes a 10 s audio chunk and a 2 MB video frame', async () => {
      const { baseUrl } = await start();
      const c = track(await LiveTestClient.open(keyUrl(baseUrl, 'k'), TEXT_SETUP));
      c.send({ realtimeInput: { audio: { data: Buffer.alloc(320_000).toString('base64'), mimeType: 'audio/pcm;rate=16000' } } });
      c.send({ realtimeInput: { video: { data: Buffer.alloc(2_000_000).toString('base64'), mimeType: 'image/jpeg' } } });
      c.send({ realtimeInput: { text: 'ok?' } });
      assert.equal(replyText(await c.turn()), 'You said: ok?');
    });

    it('answers a token request body above 1 MiB with 413 JSON instead of resetting the connection', async () => {
      const { baseUrl } = await start();
      const res = await postToken(baseUrl, undefined, 'k', JSON.stringify({ uses: 1, pad: 'x'.repeat(2 * 1024 * 1024) }));
      assert.equal(res.status, 413);
      assert.equal(res.json.error.code, 413);
      assert.equal((await postToken(baseUrl, { uses: 1 }, 'k')).status, 200, 'the server is fine afterwards');
    });

    it('cuts a client that stops reading once its unsent output passes maxBufferedBytes, freeing the connection', async () => {
      const { baseUrl, emulator } = await start({ replyChunkDelayMs: 0, maxBufferedBytes: 256 * 1024 });
      const c = track(await LiveTestClient.open(keyUrl(baseUrl, 'k'), { model: M38, outputAudioTranscription: {} }));
      const cut = waitForEvent(emulator.onDidEvent, (e) => e.type === 'slowConsumerCut', 10_000);
      const closed = waitForEvent(emulator.onDidEvent, (e) => e.type === 'connectionClosed', 10_000);
      (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      // Ask for spoken replies (4 s each, ~256 KB of base64 audio) until the emulator gives up on us.
      let stopped = false;
      void cut.then(() => (stopped = true), () => (stopped = true));
      // 15 ms apart, so each reply is streamed whole before the next request interrupts it
      // (loopback kernel buffers take the first tens of MB before the emulator holds any).
      for (let i = 0; i < 1000 && !stopped && c.ws.readyState === WebSocket.OPEN; i++) {
        c.send({ clientContent: { turns: [{ role: 'user', parts: [{ text: `a long spoken reply please, number ${i}` }] }], turnComplete: true } });
        await new Promise((r) => setTimeout(r, 15));
      }
      const e = (await cut) as Extract<EmulatorEvent, { type: 'slowConsumerCut' }>;
      assert.ok(e.bufferedBytes > 256 * 1024);
      assert.equal(((await closed) as Extract<EmulatorEvent, { type: 'connectionClosed' }>).reason, 'client not reading');
      assert.equal(emulator.openConnections(), 0);
    });

    it('a healthy reader is never cut, even with a small limit', async () => {
      const { baseUrl, emulator } = await start({ replyChunkDelayMs: 0, maxBufferedBytes: 256 * 1024 });
      let cut = false;
      emulator.onDidEvent((e) => {
        if (e.type === 'slowConsumerCut') cut = true;
      });
      const c = track(await LiveTestClient.open(keyUrl(baseUrl, 'k'), { model: M38, outputAudioTranscription: {} }));
      for (let i = 0; i < 20; i++) {
        c.send({ clientContent: { turns: [{ role: 'user', parts: [{ text: `a long spoken reply please, number ${i}` }] }], turnComplete: true } });
        await c.turn();
      }
      assert.equal(cut, false);
    });

    it('evicts ended sessions with their handles 2 h after the connection ended, and expired tokens, on the emulator clock', async () => {
      const clock = new FakeClock(Date.now());
      const { baseUrl, emulator } = await start({ clock, sweepIntervalMs: 60_000 });
      const token = (await postToken(baseUrl, { uses: 0, expireTime: new Date(clock.now() + 30 * 60_000).toISOString() }, 'k')).json.name as string;
      // The reply streams on the manual clock: move it along (10 ms per real ms) until the turn is answered.
      const pump = setInterval(() => clock.advance(10), 1);
      let handle: string;
      let c: LiveTestClient;
      try {
        c = track(await LiveTestClient.open(tokenUrl(baseUrl, token), { ...TEXT_SETUP, sessionResumption: {} }));
        c.send({ realtimeInput: { text: 'remember me' } });
        await c.turn();
        handle = (await c.next((f) => f['sessionResumptionUpdate']?.['resumable'] === true))['sessionResumptionUpdate']['newHandle'] as string;
      } finally {
        clearInterval(pump);
      }
      const ended = waitForEvent(emulator.onDidEvent, (e) => e.type === 'connectionClosed', 3000);
      c.close();
      await c.waitClose();
      await ended;
      assert.equal(emulator.sessions().length, 1);
      assert.ok(emulator.handleCount() >= 2);
      assert.equal(emulator.tokenCount(), 1);
      clock.advance(31 * 60_000); // the token's expireTime passes; the sweep timer runs on this clock
      assert.equal(emulator.tokenCount(), 0);
      assert.equal(emulator.sessions().length, 1, 'the session is kept while its handles live');
      clock.advance(2 * 3_600_000 - 31 * 60_000 + 60_000);
      assert.equal(emulator.sessions().length, 0);
      assert.equal(emulator.handleCount(), 0);
      const late = track(await LiveTestClient.connect(keyUrl(baseUrl, 'k')));
      late.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle } } });
      assert.equal((await late.waitClose()).code, 1007);
    });
  });

  describe('memory, measured in a child process (bench/emulatorMemory.ts)', function () {
    this.timeout(120_000);
    // Before issue 14: 3,000 turns grew the emulator from 102 to 704 MB (a history copy per handle).
    it('600 turns on one resumable session grow the emulator by less than 40 MB', async () => {
      const r = await benchManyTurns(600);
      assert.ok(r.afterMb - r.beforeMb < 40, `${r.beforeMb.toFixed(0)} → ${r.afterMb.toFixed(0)} MB`);
    });

    // Before issue 14: the connection was kept and every unread frame stayed in its write
    // buffer (this bench: 82 → 859 MB after 3,000 requests).
    it('a client that stops reading is cut and the emulator stays under +60 MB', async () => {
      const r = await benchSlowConsumer(1000);
      assert.equal(r.connectionsAfter, 0);
      assert.ok(r.afterMb - r.beforeMb < 60, `${r.beforeMb.toFixed(0)} → ${r.afterMb.toFixed(0)} MB after ${r.sent} requests`);
    });
  });
});
