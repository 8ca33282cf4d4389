import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/common/clock';
import { waitForEvent } from '../../src/common/event';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import type { EmulatorOptions } from '../../src/emulator/emulatorOptions';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { LiveTestClient, keyUrl, postToken, replyText, silence, sleepMs, toBase64, tokenUrl, tone, type ServerFrame } from './support/liveTestClient';

// The one current model that answers in TEXT (model page: TEXT or AUDIO); model-specific
// rules have their own suite (emulatorModels.test.ts).
const MODEL = 'models/gemini-3.1-flash-live-preview';
const TEXT_SETUP = { model: MODEL, generationConfig: { responseModalities: ['TEXT'] } };
const RESUMABLE_SETUP = { ...TEXT_SETUP, sessionResumption: {} };

describe('LiveEmulator over a raw WebSocket', function () {
  this.timeout(10_000);
  let emulators: LiveEmulator[] = [];
  let clients: LiveTestClient[] = [];

  async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<{ emulator: LiveEmulator; baseUrl: string }> {
    const emulator = new LiveEmulator({ replyChunkDelayMs: 5, pongDelayMs: 10, ...options });
    emulators.push(emulator);
    const { baseUrl } = await emulator.start();
    return { emulator, baseUrl };
  }
  async function open(url: string, setup: Record<string, unknown> = TEXT_SETUP): Promise<LiveTestClient> {
    const c = await LiveTestClient.open(url, setup);
    clients.push(c);
    return c;
  }
  async function connect(url: string): Promise<LiveTestClient> {
    const c = await LiveTestClient.connect(url);
    clients.push(c);
    return c;
  }
  /** 3.1 takes user text as realtimeInput.text (model page; clientContent only seeds history). */
  function ask(c: LiveTestClient, text: string): Promise<ServerFrame[]> {
    c.send({ realtimeInput: { text } });
    return c.turn();
  }
  async function handleAfterTurn(c: LiveTestClient): Promise<string> {
    const f = await c.next((x) => x['sessionResumptionUpdate']?.['resumable'] === true);
    return f['sessionResumptionUpdate']['newHandle'] as string;
  }

  afterEach(async () => {
    for (const c of clients) c.terminate();
    clients = [];
    await Promise.all(emulators.map((e) => e.stop()));
    emulators = [];
  });

  describe('setup and turns', () => {
    it('answers setup with setupComplete and a text turn in the recorded order', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'));
      // 3.x (LIVE-PROTOCOL.md): a standalone usageMetadata before the first turn.
      assert.deepEqual(await c.next(), { usageMetadata: { promptTokenCount: 0, totalTokenCount: 0, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 0 }] } });
      const frames = await ask(c, 'Hello there, emulator');
      const kinds = frames.map((f) => (f['serverContent'] ? Object.keys(f['serverContent'])[0] : Object.keys(f)[0]));
      const firstNonModel = kinds.findIndex((k) => k !== 'modelTurn');
      assert.ok(firstNonModel >= 2 && firstNonModel <= 4, `2-4 modelTurn chunks, got ${kinds.join(',')}`);
      assert.deepEqual(kinds.slice(firstNonModel), ['generationComplete', 'turnComplete']);
      assert.equal(replyText(frames), 'You said: Hello there, emulator');
      const usage = frames.at(-1)!['usageMetadata'];
      assert.equal(usage.promptTokenCount, Math.ceil('Hello there, emulator'.length / 4));
      assert.equal(usage.responseTokenCount, Math.ceil('You said: Hello there, emulator'.length / 4));
      assert.equal(usage.totalTokenCount, usage.promptTokenCount + usage.responseTokenCount);
      assert.deepEqual(usage.promptTokensDetails, [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }]);
    });

    it('counts the whole context as prompt tokens, including the system instruction', async () => {
      const { baseUrl } = await startEmulator();
      const si = 'You are a terse assistant.';
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, systemInstruction: { parts: [{ text: si }] } });
      const first = (await ask(c, 'abcd')).at(-1)!['usageMetadata'];
      const second = (await ask(c, 'efgh')).at(-1)!['usageMetadata'];
      assert.equal(first.promptTokenCount, Math.ceil(si.length / 4) + 1);
      assert.equal(second.promptTokenCount, first.promptTokenCount + first.responseTokenCount + 1);
    });

    it('answers realtimeInput.text and keeps initial-history clientContent as context (3.1 historyConfig)', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, historyConfig: { initialHistoryInClientContent: true } });
      c.send({ clientContent: { turns: [{ role: 'user', parts: [{ text: 'context only' }] }] } });
      c.send({ realtimeInput: { text: 'what did i say first' } });
      assert.equal(replyText(await c.turn()), 'You first said: "context only"');
      assert.deepEqual(emulator.sessions()[0]!.history.map((t) => t.role), ['user', 'user', 'model']);
    });

    it('streams 24 kHz PCM16 with output transcription in AUDIO modality (the default), several parts per event (3.x)', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), { model: MODEL, outputAudioTranscription: {} });
      const frames = await ask(c, 'hi');
      const audio = frames.filter((f) => f['serverContent']?.['modelTurn']);
      assert.ok(audio.length >= 2);
      let bytes = 0;
      for (const f of audio) {
        // 3.x model pages: audio parts and their transcription may arrive in one event.
        assert.ok(f['serverContent']['outputTranscription'], 'transcription in the same serverContent');
        for (const part of f['serverContent']['modelTurn']['parts']) {
          assert.equal(part.inlineData.mimeType, 'audio/pcm;rate=24000');
          bytes += Buffer.from(part.inlineData.data, 'base64').length;
        }
      }
      assert.ok(audio.some((f) => f['serverContent']['modelTurn']['parts'].length > 1), 'several parts in one event');
      const text = 'You said: hi';
      assert.equal(bytes, Math.round(text.length * 0.06 * 24_000) * 2);
      const transcript = frames.filter((f) => f['serverContent']?.['outputTranscription']).map((f) => f['serverContent']['outputTranscription']['text']).join('');
      assert.equal(transcript, text);
      const usage = frames.at(-1)!['usageMetadata'];
      assert.deepEqual(usage.responseTokensDetails, [{ modality: 'AUDIO', tokenCount: Math.ceil(text.length * 0.06 * 32) }]);
    });

    it('sends server frames as binary messages holding JSON by default (the service does), text frames on request', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'));
      await ask(c, 'x');
      assert.ok(c.frames.length > 3 && c.frames.every((f) => f.binary));
      const text = await startEmulator({ serverFrames: 'text' });
      const t = await open(keyUrl(text.baseUrl, 'k'));
      await ask(t, 'x');
      assert.ok(t.frames.every((f) => !f.binary));
    });

    it('accepts the SDK double-slash path, every API version, and binary client frames', async () => {
      const { baseUrl } = await startEmulator();
      for (const apiVersion of ['v1', 'v1beta', 'v1alpha']) {
        const c = await connect(keyUrl(baseUrl, 'k', { apiVersion, doubleSlash: true }));
        c.sendRaw(Buffer.from(JSON.stringify({ setup: TEXT_SETUP })));
        await c.next((f) => f['setupComplete'] !== undefined);
      }
    });

    it('emits a (BLOCKING, 3.1) tool call for a declared function, answers the tool response, and can cancel a call', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, tools: [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'slow' }] }] });
      c.send({ realtimeInput: { text: 'call tool get_weather {"city":"Paris"}' } });
      const code = await c.next((f) => f['serverContent']?.['modelTurn']);
      assert.equal(code['serverContent']['modelTurn']['parts'][0].executableCode.code, "print(default_api.get_weather(city='Paris'))");
      const call = (await c.next((f) => f['toolCall'] !== undefined))['toolCall']['functionCalls'][0];
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(call.args, { city: 'Paris' });
      assert.match(call.id, /^function-call-\d+$/);
      c.send({ toolResponse: { functionResponses: [{ id: call.id, name: call.name, response: { temp: 21 } }] } });
      assert.equal(replyText(await c.turn()), 'Tool get_weather returned {"temp":21}');

      c.send({ realtimeInput: { text: 'call tool slow {}' } });
      const second = (await c.next((f) => f['toolCall'] !== undefined))['toolCall']['functionCalls'][0];
      assert.equal(emulator.cancelToolCall(second.id), true);
      assert.deepEqual((await c.next((f) => f['toolCallCancellation'] !== undefined))['toolCallCancellation'], { ids: [second.id] });
    });
  });

  describe('refusals', () => {
    const cases: Array<[string, unknown, number]> = [
      ['malformed JSON', '{"setup":', 1007],
      ['a first frame that is not setup', { clientContent: { turns: [], turnComplete: true } }, 1007],
      ['a model without models/', { setup: { model: 'gemini-live' } }, 1007],
      ['an unknown top-level field', { setup: TEXT_SETUP, extra: 1 }, 1007],
      ['an explicit null handle', { setup: { ...TEXT_SETUP, sessionResumption: { handle: null } } }, 1008],
      ['targetTokens >= triggerTokens', { setup: { ...TEXT_SETUP, contextWindowCompression: { triggerTokens: '100', slidingWindow: { targetTokens: '100' } } } }, 1007],
      // Function declarations outside the service's Schema subset or limits (src/emulator/declarationSchema.ts).
      ['a JSON Schema keyword in function parameters', { setup: { ...TEXT_SETUP, tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } }] }] } }, 1007],
      ['65 function declarations', { setup: { ...TEXT_SETUP, tools: [{ functionDeclarations: Array.from({ length: 65 }, (_, i) => ({ name: `f${i}` })) }] } }, 1007],
    ];
    for (const [name, frame, code] of cases) {
      it(`closes ${code} on ${name}`, async () => {
        const { baseUrl } = await startEmulator();
        const c = await connect(keyUrl(baseUrl, 'k'));
        c.sendRaw(typeof frame === 'string' ? frame : JSON.stringify(frame));
        const closed = await c.waitClose();
        assert.equal(closed.code, code);
        assert.ok(closed.reason.length > 0);
      });
    }

    it('closes 1007 on malformed JSON and on a second setup after setupComplete', async () => {
      const { baseUrl } = await startEmulator();
      const a = await open(keyUrl(baseUrl, 'k'));
      a.sendRaw('not json');
      assert.equal((await a.waitClose()).code, 1007);
      const b = await open(keyUrl(baseUrl, 'k'));
      b.send({ setup: TEXT_SETUP });
      assert.equal((await b.waitClose()).code, 1007);
    });

    it('accepts int64 compression fields as strings or numbers', async () => {
      const { baseUrl } = await startEmulator();
      await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, contextWindowCompression: { triggerTokens: 1000, slidingWindow: { targetTokens: '500' } } });
    });

    it('accepts the upgrade and then closes 1008 for a wrong or missing key', async () => {
      const { baseUrl } = await startEmulator({ apiKey: 'the-key' });
      for (const key of ['wrong', undefined, 'auth_tokens/abc']) {
        const c = await connect(keyUrl(baseUrl, key));
        const closed = await c.waitClose();
        assert.equal(closed.code, 1008);
        assert.match(closed.reason, /API key not valid/);
      }
      await open(keyUrl(baseUrl, 'the-key'));
    });

    it('answers an unknown path with HTTP 404 JSON', async () => {
      const { baseUrl } = await startEmulator();
      await assert.rejects(LiveTestClient.connect(`${baseUrl.replace('http', 'ws')}/ws/nope`), /HTTP 404/);
      const res = await fetch(`${baseUrl}/v1beta/nothing`, { signal: AbortSignal.timeout(3000) });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as any).error.status, 'NOT_FOUND');
    });
  });

  describe('lifetimes and faults', () => {
    it('sends goAway lead before the lifetime ends and closes a lingering client with 1008', async () => {
      const { baseUrl } = await startEmulator({ connectionLifetimeMs: 600, goAwayLeadMs: 300 });
      const c = await open(keyUrl(baseUrl, 'k'));
      const opened = Date.now();
      const goAway = await c.next((f) => f['goAway'] !== undefined, 2000);
      assert.deepEqual(goAway, { goAway: { timeLeft: '0.3s' } });
      const goAwayAt = Date.now() - opened;
      assert.ok(goAwayAt >= 250 && goAwayAt < 500, `goAway after ${goAwayAt} ms`);
      const closed = await c.waitClose(2000);
      assert.equal(closed.code, 1008);
      assert.equal(closed.reason, 'goAway deadline passed');
      assert.ok(closed.at - opened >= 550, `closed after ${closed.at - opened} ms`);
    });

    it('runs the default 10-minute lifetime on a scaled clock', async () => {
      const { baseUrl } = await startEmulator({ clock: new ScaledClock(2000) });
      const c = await open(keyUrl(baseUrl, 'k'));
      assert.deepEqual(await c.next((f) => f['goAway'] !== undefined, 2000), { goAway: { timeLeft: '60s' } });
      assert.equal((await c.waitClose(2000)).code, 1008);
    });

    it('goAwayAll sends a fractional timeLeft and enforces it', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'));
      emulator.goAwayAll(150);
      assert.deepEqual(await c.next((f) => f['goAway'] !== undefined), { goAway: { timeLeft: '0.15s' } });
      assert.equal((await c.waitClose()).code, 1008);
    });

    it('breaks the TCP connection after dropAfterMs without a close frame', async () => {
      const { baseUrl, emulator } = await startEmulator({ dropAfterMs: 150 });
      const c = await open(keyUrl(baseUrl, 'k'));
      const dropped = waitForEvent(emulator.onDidEvent, (e) => e.type === 'connectionClosed', 3000);
      assert.equal((await c.waitClose()).code, 1006);
      assert.equal(((await dropped) as Extract<EmulatorEvent, { type: 'connectionClosed' }>).by, 'drop');
    });

    it('dropAll and closeAll reach every client', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const a = await open(keyUrl(baseUrl, 'k'));
      const b = await open(keyUrl(baseUrl, 'k'));
      assert.equal(emulator.openConnections(), 2);
      emulator.dropAll();
      assert.equal((await a.waitClose()).code, 1006);
      const c = await open(keyUrl(baseUrl, 'k'));
      emulator.closeAll(1011, 'maintenance');
      assert.deepEqual([(await c.waitClose()).code, (await b.waitClose()).code], [1011, 1006]);
    });

    it('delays every frame by latencyMs each way, keeping order', async () => {
      const { baseUrl } = await startEmulator({ latencyMs: 120 });
      const c = await connect(keyUrl(baseUrl, 'k'));
      const sent = Date.now();
      c.send({ setup: TEXT_SETUP });
      await c.next((f) => f['setupComplete'] !== undefined);
      assert.ok(Date.now() - sent >= 230, `setupComplete after ${Date.now() - sent} ms`);
      const frames = await ask(c, 'ordered');
      assert.equal(replyText(frames), 'You said: ordered');
      assert.ok(frames.at(-1)!['serverContent']['turnComplete']);
    });

    it('answers pings after pongDelayMs', async () => {
      const { baseUrl } = await startEmulator({ pongDelayMs: 200 });
      const c = await open(keyUrl(baseUrl, 'k'));
      const sent = Date.now();
      const pong = new Promise<number>((resolve) => c.ws.once('pong', () => resolve(Date.now() - sent)));
      c.ws.ping();
      const took = await Promise.race([pong, sleepMs(2000).then(() => -1)]);
      assert.ok(took >= 180, `pong after ${took} ms`);
    });

    it('ends a session without compression at the cap with 1011 and refuses its handles', async () => {
      const { baseUrl, emulator } = await startEmulator({ sessionCapMs: 300 });
      const c = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
      const handle = await handleAfterTurn(c);
      const closed = await c.waitClose(2000);
      assert.deepEqual([closed.code, closed.reason], [1011, 'Deadline expired']);
      assert.equal(emulator.sessions()[0]!.capped, true);
      const again = await connect(keyUrl(baseUrl, 'k'));
      again.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle } } });
      assert.equal((await again.waitClose()).code, 1007);
    });

    it('counts the cap over session time across connections, and does not cap with compression', async () => {
      const { baseUrl } = await startEmulator({ sessionCapMs: 400 });
      const c = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
      const handle = await handleAfterTurn(c);
      await sleepMs(250);
      c.close();
      await c.waitClose();
      const resumed = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, sessionResumption: { handle } });
      const closed = await resumed.waitClose(2000);
      assert.equal(closed.code, 1011);
      const compressed = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, contextWindowCompression: { slidingWindow: {} } });
      await sleepMs(500);
      assert.equal(compressed.closed, undefined);
    });
  });

  describe('resumption', () => {
    it('sends handles at setup, resumable:false during generation, and a fresh handle after turnComplete', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
      const first = await c.next((f) => f['sessionResumptionUpdate'] !== undefined);
      assert.equal(first['sessionResumptionUpdate'].resumable, true);
      assert.ok(first['sessionResumptionUpdate'].newHandle.length > 20);
      assert.ok((await c.next())['usageMetadata'], 'the standalone usageMetadata of 3.x models');
      c.send({ realtimeInput: { text: 'one' } });
      const frames = await c.turn();
      assert.deepEqual(frames[0], { sessionResumptionUpdate: { resumable: false } });
      const after = await c.next();
      assert.equal(after['sessionResumptionUpdate'].resumable, true);
      assert.notEqual(after['sessionResumptionUpdate'].newHandle, first['sessionResumptionUpdate'].newHandle);
    });

    it('restores the snapshot a handle covers, losing later turns', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
      await ask(c, 'alpha');
      const afterAlpha = await handleAfterTurn(c);
      await ask(c, 'beta');
      c.close();
      await c.waitClose();
      const resumedEvent = waitForEvent(emulator.onDidEvent, (e) => e.type === 'setupAccepted', 3000);
      const r = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, sessionResumption: { handle: afterAlpha } });
      assert.equal(((await resumedEvent) as Extract<EmulatorEvent, { type: 'setupAccepted' }>).resumed, true);
      assert.equal(replyText(await ask(r, 'What did I say first?')), 'You first said: "alpha"');
      assert.equal(replyText(await ask(r, 'what did i say last')), 'You last said: "What did I say first?"');
      const s = emulator.sessions();
      assert.equal(s.length, 1);
      assert.equal(s[0]!.resumeCount, 1);
      assert.equal(s[0]!.connectionCount, 2);
      assert.ok(!s[0]!.history.some((t) => t.text === 'beta'));
    });

    it('refuses a resume with 1011 while the old socket of the session is open', async () => {
      const { baseUrl } = await startEmulator();
      const old = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
      const handle = await handleAfterTurn(old);
      const c = await connect(keyUrl(baseUrl, 'k'));
      c.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle } } });
      assert.equal((await c.waitClose()).code, 1011);
      assert.equal(old.closed, undefined);
    });

    it('refuses unknown, stale and expired handles with 1007', async () => {
      const stale = await startEmulator({ staleHandles: true });
      const s = await open(keyUrl(stale.baseUrl, 'k'), RESUMABLE_SETUP);
      const handle = await handleAfterTurn(s);
      s.close();
      await s.waitClose();
      const a = await connect(keyUrl(stale.baseUrl, 'k'));
      a.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle } } });
      assert.equal((await a.waitClose()).code, 1007);
      const b = await connect(keyUrl(stale.baseUrl, 'k'));
      b.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle: 'nope' } } });
      assert.equal((await b.waitClose()).code, 1007);

      const short = await startEmulator({ handleLifetimeMs: 100 });
      const x = await open(keyUrl(short.baseUrl, 'k'), RESUMABLE_SETUP);
      const h = await handleAfterTurn(x);
      x.close();
      await x.waitClose();
      await sleepMs(200);
      const y = await connect(keyUrl(short.baseUrl, 'k'));
      y.send({ setup: { ...TEXT_SETUP, sessionResumption: { handle: h } } });
      const closed = await y.waitClose();
      assert.equal(closed.code, 1007);
      // Expired handles are evicted with their session (issue 14), so the reason can be "unknown".
      assert.match(closed.reason, /Invalid session resumption handle \((expired|unknown)\)/);
    });
  });

  describe('context window compression', () => {
    it('keeps promptTokenCount below triggerTokens over many turns', async () => {
      const { baseUrl, emulator } = await startEmulator({ replyChunkDelayMs: 0 });
      const compressions: EmulatorEvent[] = [];
      emulator.onDidEvent((e) => e.type === 'contextCompressed' && compressions.push(e));
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, contextWindowCompression: { triggerTokens: '200', slidingWindow: { targetTokens: '100' } } });
      const prompts: number[] = [];
      for (let i = 0; i < 25; i++) {
        const frames = await ask(c, `turn ${i} ${'x'.repeat(40)}`);
        prompts.push(frames.at(-1)!['usageMetadata'].promptTokenCount);
      }
      assert.ok(prompts.every((p) => p < 200), prompts.join(','));
      assert.ok(compressions.length >= 2);
      assert.ok(Math.max(...prompts) > 100, 'the context grows between compressions');
      assert.equal(replyText(await ask(c, 'what did i say first')).startsWith('You first said: "turn 2'), true);
    });
  });

  describe('audio input', () => {
    it('detects an utterance by samples, transcribes it, answers, and records the PCM', async () => {
      const { baseUrl, emulator } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, inputAudioTranscription: {} });
      const pcm = new Int16Array([...silence(200), ...tone(1000), ...silence(700)]);
      // 100 ms chunks, as fast as possible: detection runs on samples, not wall time.
      for (let i = 0; i < pcm.length; i += 1600) {
        c.send({ realtimeInput: { audio: { data: toBase64(pcm.subarray(i, i + 1600)), mimeType: 'audio/pcm;rate=16000' } } });
      }
      const transcription = await c.next((f) => f['serverContent']?.['inputTranscription']);
      assert.equal(transcription['serverContent']['inputTranscription'].text, '[speech 1.0 s]');
      assert.equal(replyText(await c.turn()), 'You said: [speech 1.0 s]');
      const audio = emulator.sessions()[0]!.receivedAudio;
      assert.equal(audio.sampleRate, 16_000);
      assert.equal(audio.bytes, pcm.length * 2);
      assert.equal(audio.durationMs, 1900);
      assert.deepEqual(audio.pcm, pcm);
    });

    it('ends a pending utterance on audioStreamEnd', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'));
      c.send({ realtimeInput: { audio: { data: toBase64(tone(700)), mimeType: 'audio/pcm;rate=16000' } } });
      c.send({ realtimeInput: { audioStreamEnd: true } });
      assert.equal(replyText(await c.turn()), 'You said: [speech 0.7 s]');
    });

    it('refuses the deprecated realtimeInput.mediaChunks with 1007 (LIVE-PROTOCOL.md: refused by every current model)', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'));
      c.send({ realtimeInput: { mediaChunks: [{ data: toBase64(tone(100)), mimeType: 'audio/pcm;rate=16000' }] } });
      const closed = await c.waitClose();
      assert.equal(closed.code, 1007);
      assert.match(closed.reason, /mediaChunks/);
    });

    it('brackets a turn with activityStart/activityEnd when detection is disabled', async () => {
      const { baseUrl } = await startEmulator();
      const c = await open(keyUrl(baseUrl, 'k'), { ...TEXT_SETUP, realtimeInputConfig: { automaticActivityDetection: { disabled: true } } });
      c.send({ realtimeInput: { activityStart: {} } });
      c.send({ realtimeInput: { audio: { data: toBase64(silence(500)), mimeType: 'audio/pcm;rate=16000' } } });
      c.send({ realtimeInput: { activityEnd: {} } });
      assert.equal(replyText(await c.turn()), 'You said: [speech 0.5 s]');
    });

    it('interrupts a reply when speech arrives, with no turnComplete for it', async () => {
      const { baseUrl, emulator } = await startEmulator({ replyChunkDelayMs: 100 });
      const c = await open(keyUrl(baseUrl, 'k'), { model: MODEL });
      c.send({ realtimeInput: { text: 'tell me a long story please' } });
      await c.next((f) => f['serverContent']?.['modelTurn']);
      c.send({ realtimeInput: { audio: { data: toBase64(tone(600)), mimeType: 'audio/pcm;rate=16000' } } });
      const next = await c.next((f) => f['serverContent'] !== undefined);
      assert.deepEqual(next, { serverContent: { interrupted: true } });
      c.send({ realtimeInput: { audio: { data: toBase64(silence(700)), mimeType: 'audio/pcm;rate=16000' } } });
      const frames = await c.turn();
      const turnCompletes = c.frames.filter((f) => f.frame['serverContent']?.['turnComplete']).length;
      assert.equal(turnCompletes, 1);
      assert.ok(frames.some((f) => f['serverContent']?.['generationComplete']));
      const history = emulator.sessions()[0]!.history;
      assert.deepEqual(history.map((t) => t.role), ['user', 'model', 'user', 'model']);
      assert.ok(history[1]!.text.length < 'You said: tell me a long story please'.length, 'partial reply kept');
    });
  });

  describe('ephemeral tokens', () => {
    it('mints tokens and refuses bad requests with Google-style errors', async () => {
      const { baseUrl } = await startEmulator({ apiKey: 'the-key' });
      const ok = await postToken(baseUrl, { uses: 2 }, 'the-key');
      assert.equal(ok.status, 200);
      assert.match(ok.json.name, /^auth_tokens\/[A-Za-z0-9_-]{32,}$/);
      assert.equal(ok.json.uses, 2);
      assert.ok(Date.parse(ok.json.expireTime) > Date.now() + 29 * 60_000);
      // The service: no key → 403 PERMISSION_DENIED; a bad key → 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
      const missing = await postToken(baseUrl, {}, undefined);
      assert.deepEqual([missing.status, missing.json.error.status], [403, 'PERMISSION_DENIED']);
      const denied = await postToken(baseUrl, {}, 'wrong');
      assert.deepEqual([denied.status, denied.json.error.status, denied.json.error.code], [400, 'INVALID_ARGUMENT', 400]);
      assert.equal(denied.json.error.message, 'API key not valid. Please pass a valid API key.');
      assert.equal(denied.json.error.details[0]['@type'], 'type.googleapis.com/google.rpc.ErrorInfo');
      assert.equal(denied.json.error.details[0].reason, 'API_KEY_INVALID');
      assert.equal((await postToken(baseUrl, undefined, 'the-key', '{nope')).status, 400);
      assert.equal((await postToken(baseUrl, { expireTime: new Date(Date.now() - 1000).toISOString() }, 'the-key')).status, 400);
      assert.equal((await postToken(baseUrl, { expireTime: new Date(Date.now() + 21 * 3_600_000).toISOString() }, 'the-key')).status, 400);
    });

    it('spends a use per new session; resuming is not a use and works after newSessionExpireTime', async () => {
      const { baseUrl } = await startEmulator();
      const token = (await postToken(baseUrl, { uses: 1, newSessionExpireTime: new Date(Date.now() + 400).toISOString() }, 'k')).json;
      const a = await open(tokenUrl(baseUrl, token.name), RESUMABLE_SETUP);
      const handle = await handleAfterTurn(a);
      const b = await connect(tokenUrl(baseUrl, token.name, { encodeSlash: true }));
      b.send({ setup: RESUMABLE_SETUP });
      const refused = await b.waitClose();
      assert.equal(refused.code, 1008);
      assert.match(refused.reason, /uses/);
      a.close();
      await a.waitClose();
      await sleepMs(450);
      const r = await open(tokenUrl(baseUrl, token.name), { ...TEXT_SETUP, sessionResumption: { handle } });
      assert.equal(r.closed, undefined);
      const unlimited = (await postToken(baseUrl, { uses: 0, newSessionExpireTime: new Date(Date.now() + 300).toISOString() }, 'k')).json;
      await open(tokenUrl(baseUrl, unlimited.name));
      await open(tokenUrl(baseUrl, unlimited.name));
      await sleepMs(350);
      const late = await connect(tokenUrl(baseUrl, unlimited.name));
      late.send({ setup: TEXT_SETUP });
      assert.match((await late.waitClose()).reason, /newSessionExpireTime/);
    });

    it('closes open sessions with 1008 when expireTime passes, and refuses unknown tokens', async () => {
      const { baseUrl } = await startEmulator();
      const token = (await postToken(baseUrl, { expireTime: new Date(Date.now() + 400).toISOString() }, 'k')).json;
      const a = await open(tokenUrl(baseUrl, token.name));
      const closed = await a.waitClose(2000);
      assert.equal(closed.code, 1008);
      assert.match(closed.reason, /expired/);
      const b = await connect(tokenUrl(baseUrl, token.name));
      assert.equal((await b.waitClose()).code, 1008);
      const c = await connect(tokenUrl(baseUrl, 'auth_tokens/unknown'));
      assert.equal((await c.waitClose()).code, 1008);
      const k = await connect(keyUrl(baseUrl, token.name));
      assert.equal((await k.waitClose()).code, 1008);
    });

    it('enforces bidiGenerateContentSetup constraints with 1008', async () => {
      const { baseUrl } = await startEmulator();
      const locked = { model: MODEL, generationConfig: { responseModalities: ['TEXT'] }, sessionResumption: {} };
      const mint = async () => (await postToken(baseUrl, { uses: 0, bidiGenerateContentSetup: locked }, 'k')).json.name as string;
      const name = await mint();
      for (const setup of [
        { ...RESUMABLE_SETUP, model: 'models/gemini-3.8-live' },
        { model: MODEL, sessionResumption: {} },
        TEXT_SETUP,
      ]) {
        const c = await connect(tokenUrl(baseUrl, name));
        c.send({ setup });
        const closed = await c.waitClose();
        assert.equal(closed.code, 1008);
        assert.match(closed.reason, /constraints/);
      }
      await open(tokenUrl(baseUrl, name), RESUMABLE_SETUP);
    });
  });

  it('stop() closes every socket and leaves nothing running', async () => {
    const { baseUrl, emulator } = await startEmulator({ pongDelayMs: 60_000 });
    const c = await open(keyUrl(baseUrl, 'k'), RESUMABLE_SETUP);
    c.ws.ping();
    c.send({ realtimeInput: { text: 'in flight' } });
    await emulator.stop();
    assert.equal((await c.waitClose()).code, 1006);
    assert.equal(emulator.openConnections(), 0);
  });
});

