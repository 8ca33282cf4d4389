import assert from 'node:assert/strict';
import { GoogleGenAI, Modality, ThinkingLevel, type LiveServerMessage, type Session } from '@google/genai';
import { waitForEvent } from '../../src/common/event';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import { useEmulators } from './helpers/emulatorFixture';
import { useSdkSessions } from './helpers/sdkSessions';
import { LiveTestClient, keyUrl, postToken, replyText, silence, sleepMs, toBase64, tokenUrl, tone, type ServerFrame } from './support/liveTestClient';

/**
 * The emulator answers as the model named in `setup` would. Every rule names its source:
 * LIVE-PROTOCOL.md "The models as of 2026-11" (which rests on the ai.google.dev model
 * pages, the Live API capabilities guide and the deprecations page), livekit/agents
 * PR 5251 (3.1 clientContent), python-genai issue 362 (1008 not found).
 * Raw `ws` clients and the official SDK only: nothing here depends on the project's client.
 */

const M38 = 'models/gemini-3.8-live';
const M38X = 'models/gemini-3.8-live-extended-thinking';
const M31 = 'models/gemini-3.1-flash-live-preview';
const M25 = 'models/gemini-2.5-flash-native-audio-preview-12-2025';
const M25_ALIAS = 'models/gemini-2.5-flash-native-audio-latest';
const X_LOW = { thinkingConfig: { thinkingLevel: 'LOW' } };
const MTR = 'models/gemini-3.5-transcribe-live';
const MTR_ALIAS = 'models/gemini-3.5-transcribe-live-preview';
const MTL = 'models/gemini-3.5-live-translate-preview';

/** One utterance of `ms` tone between silences, in 100 ms chunks (detection runs on samples). */
function speakInto(c: LiveTestClient, ms: number): void {
  const pcm = new Int16Array([...silence(200), ...tone(ms), ...silence(700)]);
  for (let i = 0; i < pcm.length; i += 1600) {
    c.send({ realtimeInput: { audio: { data: toBase64(pcm.subarray(i, i + 1600)), mimeType: 'audio/pcm;rate=16000' } } });
  }
}

function transcript(frames: ServerFrame[]): string {
  return frames.map((f) => f['serverContent']?.['outputTranscription']?.['text'] ?? '').join('');
}
function say(c: LiveTestClient, text: string, turnComplete = true): void {
  c.send({ clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete } });
}

describe('LiveEmulator per-model profiles', function () {
  this.timeout(15_000);
  const { start, track } = useEmulators();
  async function open(baseUrl: string, setup: Record<string, unknown>): Promise<LiveTestClient> {
    return track(await LiveTestClient.open(keyUrl(baseUrl, 'k'), setup));
  }
  /** Sends `setup` and returns how the socket was closed (fails if setup is accepted). */
  async function refused(baseUrl: string, setup: Record<string, unknown>, url = keyUrl(baseUrl, 'k')): Promise<{ code: number; reason: string }> {
    const c = track(await LiveTestClient.connect(url));
    c.send({ setup });
    const closed = await c.waitClose();
    assert.ok(!c.frames.some((f) => f.frame['setupComplete']), `setup of ${JSON.stringify(setup)} was accepted`);
    return closed;
  }
  /** One test per row: the setup is closed with 1007 and a reason matching the row's pattern (and `prefix`, when given). */
  function itRefuses(refusals: ReadonlyArray<[string, Record<string, unknown>, RegExp]>, name: (what: string) => string, prefix?: RegExp): void {
    for (const [what, setup, reason] of refusals) {
      it(name(what), async () => {
        const { baseUrl } = await start();
        const closed = await refused(baseUrl, setup);
        assert.equal(closed.code, 1007);
        if (prefix) assert.match(closed.reason, prefix);
        assert.match(closed.reason, reason);
      });
    }
  }
  // Tests that act while the model is still talking use replyChunkDelayMs 200 (a reply of
  // 3-4 chunks lasts 0.6-0.8 s), so a loaded machine still lands the second message mid-reply.
  /** Asserts that nothing matching arrives within `ms`. */
  async function nothingFor(c: LiveTestClient, ms: number, what: (f: ServerFrame) => boolean): Promise<void> {
    await sleepMs(ms);
    const f = await c.next(what, 1).catch(() => undefined);
    assert.equal(f, undefined, `unexpected ${JSON.stringify(f)?.slice(0, 200)}`);
  }


  describe('model names (deprecations page; python-genai issue 362)', () => {
    for (const name of ['gemini-live-2.5-flash-preview', 'gemini-2.0-flash-live-001', 'gemini-9-imaginary']) {
      it(`closes 1008 "not found" for ${name}, naming the API version of the request path`, async () => {
        const { baseUrl } = await start();
        for (const apiVersion of ['v1beta', 'v1']) {
          const closed = await refused(baseUrl, { model: `models/${name}` }, keyUrl(baseUrl, 'k', { apiVersion }));
          assert.equal(closed.code, 1008);
          // The full reason is longer than a close frame allows (123 bytes); the start is what clients match.
          const full = `models/${name} is not found for API version ${apiVersion}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.`;
          assert.ok(full.startsWith(closed.reason.replace(/\.\.\.$/, '')), closed.reason);
          assert.match(closed.reason, new RegExp(`^models/${name.replace(/\./g, '\\.')} is not found for API version ${apiVersion}`));
        }
      });
    }

    it('says v1alpha for the token endpoint', async () => {
      const { baseUrl } = await start();
      const token = (await postToken(baseUrl, { uses: 0 }, 'k')).json.name as string;
      const closed = await refused(baseUrl, { model: 'models/gemini-2.0-flash-live-001' }, tokenUrl(baseUrl, token));
      assert.equal(closed.code, 1008);
      assert.match(closed.reason, /is not found for API version v1alpha/);
    });

    it('serves the 2.5 native-audio alias (-latest) as the same model', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M25_ALIAS, outputAudioTranscription: {} });
      say(c, 'alias');
      assert.equal(transcript(await c.turn()), 'You said: alias');
    });

    it('lists the served models on GET /{v1,v1beta,v1alpha}/models with bidiGenerateContent (ListModels), key required', async () => {
      const { baseUrl } = await start({ apiKey: 'the-key' });
      const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, { headers, signal: AbortSignal.timeout(3000) });
      for (const v of ['v1', 'v1beta', 'v1alpha']) {
        const res = await get(`/${v}/models`, { 'x-goog-api-key': 'the-key' });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { models: Array<{ name: string; displayName: string; supportedGenerationMethods: string[]; inputTokenLimit: number }> };
        assert.deepEqual(body.models.map((m) => m.name).sort(), [M25, M25_ALIAS, M31, M38, M38X, MTR, MTR_ALIAS, MTL].sort());
        for (const m of body.models) {
          assert.ok(m.supportedGenerationMethods.includes('bidiGenerateContent'));
          assert.ok(m.displayName.length > 0);
        }
        assert.equal(body.models.find((m) => m.name === M38)!.inputTokenLimit, 131_072);
        assert.equal(body.models.find((m) => m.name === M25)!.inputTokenLimit, 128_000);
      }
      assert.equal((await get('/v1beta/models?key=the-key')).status, 200);
      assert.equal((await get('/v1beta/models/gemini-3.8-live?key=the-key')).status, 200);
      assert.equal((await get('/v1beta/models/gemini-2.0-flash-live-001?key=the-key')).status, 404);
      assert.equal((await get('/v1beta/models')).status, 403);
      const bad = await get('/v1beta/models', { 'x-goog-api-key': 'wrong' });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as any).error.details[0].reason, 'API_KEY_INVALID');
    });
  });

  describe('gemini-3.8-live (model page; LIVE-PROTOCOL.md model table)', () => {
    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a TEXT response modality (AUDIO only)', { model: M38, generationConfig: { responseModalities: ['TEXT'] } }, /AUDIO only/],
      ['any thinkingConfig', { model: M38, generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } }, /thinkingConfig/],
      ['an empty thinkingConfig', { model: M38, generationConfig: { thinkingConfig: {} } }, /thinkingConfig/],
      ['enableAffectiveDialog (removed)', { model: M38, generationConfig: { enableAffectiveDialog: true } }, /enableAffectiveDialog/],
      ['proactivity.proactiveAudio: false (always on)', { model: M38, proactivity: { proactiveAudio: false } }, /proactiveAudio/],
      ['an invalid function name (v1beta FunctionDeclaration)', { model: M38, tools: [{ functionDeclarations: [{ name: 'bad name!' }] }] }, /function name/],
    ];
    itRefuses(refusals, (what) => `closes 1007 on ${what}`, /^Request contains an invalid argument\./);

    it('accepts proactiveAudio: true and answers text only as audio with outputTranscription, audio and transcription in one event', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M38, proactivity: { proactiveAudio: true }, outputAudioTranscription: {} });
      say(c, 'hello there 3.8');
      const frames = await c.turn();
      assert.equal(replyText(frames), '', 'no text parts');
      assert.equal(transcript(frames), 'You said: hello there 3.8');
      const both = frames.filter((f) => f['serverContent']?.['modelTurn'] && f['serverContent']?.['outputTranscription']);
      assert.ok(both.length >= 2, 'audio and its transcription travel together');
      assert.ok(both.every((f) => f['serverContent']['modelTurn']['parts'].every((p: any) => p.inlineData?.mimeType === 'audio/pcm;rate=24000')));
      assert.ok(frames.at(-1)!['serverContent']['interactionStatus'] === undefined, 'no interactionStatus outside extended thinking');
      // LIVE-PROTOCOL.md (3.x): a standalone usageMetadata can arrive before the first turn.
      assert.deepEqual(Object.keys(frames[0]!), ['usageMetadata']);
    });

    it('takes clientContent the whole session, refuses a turn without a role, and turnComplete:true interrupts a running generation', async () => {
      const { baseUrl, emulator } = await start({ replyChunkDelayMs: 200 });
      const c = await open(baseUrl, { model: M38, outputAudioTranscription: {} });
      say(c, 'first');
      await c.turn();
      say(c, 'context only', false);
      say(c, 'tell me a long story about the moon please');
      await c.next((f) => f['serverContent']?.['modelTurn']);
      say(c, 'what did i say first');
      assert.deepEqual(await c.next((f) => f['serverContent'] !== undefined && !f['serverContent']['modelTurn']), { serverContent: { interrupted: true } });
      assert.equal(transcript(await c.turn()), 'You first said: "first"');
      assert.deepEqual(emulator.sessions()[0]!.history.filter((t) => t.role === 'user').map((t) => t.text), ['first', 'context only', 'tell me a long story about the moon please', 'what did i say first']);
      c.send({ clientContent: { turns: [{ parts: [{ text: 'no role' }] }], turnComplete: true } });
      const closed = await c.waitClose();
      assert.equal(closed.code, 1007);
      assert.match(closed.reason, /role/);
    });

    it('grounds an answer with Google Search when the setup declares googleSearch: groundingMetadata with web sources before the answer', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, tools: [{ googleSearch: {} }] });
      say(c, 'Search the web for the moons of Jupiter?');
      const frames = await c.turn();
      const grounded = frames.findIndex((f) => f['serverContent']?.['groundingMetadata']);
      assert.ok(grounded >= 0, 'no groundingMetadata');
      const metadata = frames[grounded]!['serverContent']['groundingMetadata'];
      assert.deepEqual(metadata.webSearchQueries, ['the moons of Jupiter']);
      assert.equal(metadata.groundingChunks.length, 2);
      for (const chunk of metadata.groundingChunks) assert.match(chunk.web.uri, /^https:\/\/vertexaisearch\.cloud\.google\.com\/grounding-api-redirect\//);
      assert.ok(grounded < frames.findIndex((f) => f['serverContent']?.['modelTurn']), 'the sources come before the answer');
      assert.equal(transcript(frames), 'According to the web, here is what I found about the moons of Jupiter.');
    });

    it('answers the same question without sources when googleSearch is not declared', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M38, outputAudioTranscription: {} });
      say(c, 'search the web for the moons of Jupiter');
      const frames = await c.turn();
      assert.ok(!frames.some((f) => f['serverContent']?.['groundingMetadata']));
      assert.equal(transcript(frames), 'You said: search the web for the moons of Jupiter');
    });

    it('calls only declared functions (the service never invents a tool)', async () => {
      const { baseUrl, emulator } = await start();
      const calls: EmulatorEvent[] = [];
      emulator.onDidEvent((e) => e.type === 'toolCallSent' && calls.push(e));
      const c = await open(baseUrl, { model: M38, outputAudioTranscription: {} });
      say(c, 'call tool get_weather {"city":"Paris"}');
      assert.equal(transcript(await c.turn()), 'You said: call tool get_weather {"city":"Paris"}');
      assert.equal(calls.length, 0);
      assert.ok(!c.frames.some((f) => f.frame['toolCall']));
    });

    describe('NON_BLOCKING function calls (the default on 3.8)', () => {
      const TOOLS = { tools: [{ functionDeclarations: [{ name: 'lookup' }] }] };
      async function callPending(c: LiveTestClient): Promise<string> {
        say(c, 'call tool lookup {"q":"moon"}');
        const call = (await c.next((f) => f['toolCall'] !== undefined))['toolCall']['functionCalls'][0];
        assert.equal(call.name, 'lookup');
        // The model keeps talking and completes its turn while the call runs.
        const frames = await c.turn();
        assert.equal(transcript(frames), 'Starting lookup in the background.');
        return call.id as string;
      }

      it('completes the turn while the call is pending; a WHEN_IDLE result on an idle model is spoken at once', async () => {
        const { baseUrl } = await start();
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, ...TOOLS });
        const id = await callPending(c);
        c.send({ toolResponse: { functionResponses: [{ id, name: 'lookup', response: { answer: 42 }, scheduling: 'WHEN_IDLE' }] } });
        assert.equal(transcript(await c.turn()), 'Tool lookup returned {"answer":42}');
      });

      it('INTERRUPT stops the current output and speaks about the result at once', async () => {
        const { baseUrl } = await start({ replyChunkDelayMs: 200 });
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, ...TOOLS });
        const id = await callPending(c);
        say(c, 'tell me a long story about the sea please');
        await c.next((f) => f['serverContent']?.['modelTurn']);
        c.send({ toolResponse: { functionResponses: [{ id, response: { answer: 'now' }, scheduling: 'INTERRUPT' }] } });
        assert.deepEqual(await c.next((f) => f['serverContent'] !== undefined && !f['serverContent']['modelTurn'] && !f['serverContent']['outputTranscription']), { serverContent: { interrupted: true } });
        assert.equal(transcript(await c.turn()), 'Tool lookup returned {"answer":"now"}');
      });

      it('WHEN_IDLE waits for the current output to end, then speaks', async () => {
        const { baseUrl } = await start({ replyChunkDelayMs: 60 });
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, ...TOOLS });
        const id = await callPending(c);
        say(c, 'tell me a long story about the sky please');
        await c.next((f) => f['serverContent']?.['modelTurn']);
        c.send({ toolResponse: { functionResponses: [{ id, response: { answer: 'later' }, scheduling: 'WHEN_IDLE' }] } });
        const current = await c.turn();
        assert.ok(!current.some((f) => f['serverContent']?.['interrupted']), 'not interrupted');
        assert.ok(transcript(current).endsWith('about the sky please'));
        assert.equal(transcript(await c.turn()), 'Tool lookup returned {"answer":"later"}');
      });

      it('a willContinue:true result (WHEN_IDLE by default) is not spoken about; the final one is (tool-use guide: willContinue marks a progress report)', async () => {
        const { baseUrl, emulator } = await start();
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, ...TOOLS });
        const id = await callPending(c);
        c.send({ toolResponse: { functionResponses: [{ id, response: { progress: '50%' }, willContinue: true }] } });
        // Also with INTERRUPT: a progress report neither interrupts nor is spoken.
        c.send({ toolResponse: { functionResponses: [{ id, response: { progress: '90%' }, willContinue: true, scheduling: 'INTERRUPT' }] } });
        await nothingFor(c, 300, (f) => f['serverContent'] !== undefined);
        const history = emulator.sessions()[0]!.history.map((t) => t.text);
        assert.ok(history.includes('[lookup result] {"progress":"50%"}') && history.includes('[lookup result] {"progress":"90%"}'), 'partials join the context');
        c.send({ toolResponse: { functionResponses: [{ id, response: { answer: 'done' } }] } });
        assert.equal(transcript(await c.turn()), 'Tool lookup returned {"answer":"done"}');
      });

      it('SILENT is absorbed: no speech, but the result is in the context; willContinue:true responses are not final', async () => {
        const { baseUrl, emulator } = await start();
        const handled: Array<Extract<EmulatorEvent, { type: 'toolResponseHandled' }>> = [];
        emulator.onDidEvent((e) => e.type === 'toolResponseHandled' && handled.push(e));
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, ...TOOLS });
        const id = await callPending(c);
        c.send({ toolResponse: { functionResponses: [{ id, response: { part: 1 }, scheduling: 'SILENT', willContinue: true }] } });
        await nothingFor(c, 250, (f) => f['serverContent']?.['modelTurn'] !== undefined);
        // Still pending after a willContinue response: a later response is taken, and is final.
        c.send({ toolResponse: { functionResponses: [{ id, response: { part: 2 }, scheduling: 'SILENT' }] } });
        await nothingFor(c, 250, (f) => f['serverContent']?.['modelTurn'] !== undefined);
        // After the final one, the call is over: more responses are ignored.
        c.send({ toolResponse: { functionResponses: [{ id, response: { part: 3 }, scheduling: 'INTERRUPT' }] } });
        await nothingFor(c, 250, (f) => f['serverContent']?.['modelTurn'] !== undefined);
        assert.deepEqual(handled.map((h) => [h.scheduling, h.final]), [['SILENT', false], ['SILENT', true]]);
        const history = emulator.sessions()[0]!.history.map((t) => t.text);
        assert.ok(history.includes('[lookup result] {"part":1}') && history.includes('[lookup result] {"part":2}'));
        assert.ok(!history.some((t) => t.includes('"part":3')));
        // Results are context, not things the user said.
        say(c, 'what did i say last');
        assert.equal(transcript(await c.turn()), 'You last said: "call tool lookup {"q":"moon"}"');
      });

      it('a declaration with behavior BLOCKING makes the model wait for the response', async () => {
        const { baseUrl } = await start();
        const c = await open(baseUrl, { model: M38, outputAudioTranscription: {}, tools: [{ functionDeclarations: [{ name: 'lookup', behavior: 'BLOCKING' }] }] });
        say(c, 'call tool lookup');
        const call = (await c.next((f) => f['toolCall'] !== undefined))['toolCall']['functionCalls'][0];
        await nothingFor(c, 200, (f) => f['serverContent']?.['turnComplete'] === true);
        c.send({ toolResponse: { functionResponses: [{ id: call.id, response: { ok: true } }] } });
        assert.equal(transcript(await c.turn()), 'Tool lookup returned {"ok":true}');
      });
    });
  });

  describe('gemini-3.5-transcribe-live (LIVE-PROTOCOL.md model table row "gemini-3.5-transcribe-live(-preview)": speech to text only; not for conversation)', () => {
    // The row says only "speech to text only (captions, dictation); not for conversation".
    // TEXT only, no tools, no thinking, no clientContent, and the transcript as model text are
    // this project's reading of it (no further source).
    for (const model of [MTR, MTR_ALIAS]) {
      it(`${model}: realtime audio gets an inputTranscription and the transcript as model text (TEXT by default)`, async () => {
        const { baseUrl } = await start();
        const c = await open(baseUrl, { model });
        speakInto(c, 1000);
        const heard = await c.next((f) => f['serverContent']?.['inputTranscription'] !== undefined);
        assert.equal(heard['serverContent']['inputTranscription'].text, '[speech 1.0 s]');
        const frames = await c.turn();
        assert.equal(replyText(frames), '[speech 1.0 s]');
        assert.ok(!frames.some((f) => f['serverContent']?.['modelTurn']?.['parts']?.some((p: any) => p.inlineData)), 'no audio');
      });
    }

    it('realtimeInput.text is answered with its transcript, not a conversational reply', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: MTR, generationConfig: { responseModalities: ['TEXT'] } });
      c.send({ realtimeInput: { text: 'call tool lookup please' } });
      assert.equal(replyText(await c.turn()), 'call tool lookup please');
    });

    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['an AUDIO response modality', { model: MTR, generationConfig: { responseModalities: ['AUDIO'] } }, /AUDIO is not supported: TEXT only/],
      ['a function declaration', { model: MTR, tools: [{ functionDeclarations: [{ name: 'lookup' }] }] }, /Function calling is not supported/],
      ['the googleSearch tool', { model: MTR, tools: [{ googleSearch: {} }] }, /Google Search is not supported/],
      ['a thinkingConfig', { model: MTR, generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } }, /thinkingConfig is not supported/],
    ];
    itRefuses(refusals, (what) => `refuses ${what} with 1007`);

    it('closes clientContent with 1007, even as initial history (user text only as realtimeInput.text)', async () => {
      const { baseUrl } = await start();
      for (const setup of [{ model: MTR }, { model: MTR, historyConfig: { initialHistoryInClientContent: true } }]) {
        const c = await open(baseUrl, setup);
        say(c, 'hello', false);
        const closed = await c.waitClose();
        assert.equal(closed.code, 1007);
        assert.match(closed.reason, /clientContent is not supported by this model; use realtimeInput\.text/);
      }
    });
  });

  describe('gemini-3.5-live-translate-preview (LIVE-PROTOCOL.md model table row: live translation; not for conversation)', () => {
    // Beyond the row ("live translation; not for conversation"): AUDIO out, the translation as
    // outputTranscription ("[translated] <transcript>" in the emulator), no tools, no thinking,
    // no clientContent are this project's choices without a further source.
    it('speaks the translation of realtime audio (AUDIO) with its outputTranscription, asked for or not', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: MTL });
      speakInto(c, 1000);
      const frames = await c.turn();
      assert.equal(transcript(frames), '[translated] [speech 1.0 s]');
      assert.ok(frames.some((f) => f['serverContent']?.['modelTurn']?.['parts']?.some((p: any) => p.inlineData?.mimeType?.startsWith('audio/pcm'))), 'audio out');
      assert.equal(replyText(frames), '', 'no text parts');
    });

    it('translates realtimeInput.text', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: MTL, outputAudioTranscription: {} });
      c.send({ realtimeInput: { text: 'bonjour' } });
      assert.equal(transcript(await c.turn()), '[translated] bonjour');
    });

    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a TEXT response modality', { model: MTL, generationConfig: { responseModalities: ['TEXT'] } }, /TEXT is not supported: AUDIO only/],
      ['a function declaration', { model: MTL, tools: [{ functionDeclarations: [{ name: 'lookup', behavior: 'NON_BLOCKING' }] }] }, /Function calling is not supported/],
      ['the googleSearch tool', { model: MTL, tools: [{ googleSearch: {} }] }, /Google Search is not supported/],
      ['a thinkingConfig', { model: MTL, generationConfig: { thinkingConfig: { thinkingBudget: 128 } } }, /thinkingConfig is not supported/],
    ];
    itRefuses(refusals, (what) => `refuses ${what} with 1007`);

    it('closes clientContent with 1007', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: MTL });
      say(c, 'hello');
      const closed = await c.waitClose();
      assert.equal(closed.code, 1007);
      assert.match(closed.reason, /clientContent is not supported/);
    });
  });

  describe('gemini-3.8-live-extended-thinking (capabilities guide; LIVE-PROTOCOL.md)', () => {
    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a setup without thinkingLevel', { model: M38X }, /thinkingLevel \(LOW, MEDIUM, HIGH\) is required/],
      ['thinkingLevel MINIMAL ("MINIMAL not supported")', { model: M38X, generationConfig: { thinkingConfig: { thinkingLevel: 'MINIMAL' } } }, /MINIMAL/],
      ['thinkingLevel with thinkingBudget', { model: M38X, generationConfig: { thinkingConfig: { thinkingLevel: 'LOW', thinkingBudget: 1024 } } }, /thinkingBudget/],
      ['a BLOCKING declaration (NON_BLOCKING only)', { model: M38X, generationConfig: X_LOW, tools: [{ functionDeclarations: [{ name: 'f', behavior: 'BLOCKING' }] }] }, /BLOCKING/],
      ['a TEXT response modality', { model: M38X, generationConfig: { ...X_LOW, responseModalities: ['TEXT'] } }, /AUDIO only/],
      ['enableAffectiveDialog', { model: M38X, generationConfig: { ...X_LOW, enableAffectiveDialog: false } }, /enableAffectiveDialog/],
    ];
    itRefuses(refusals, (what) => `closes 1007 on ${what}`);

    it('accepts LOW, MEDIUM and HIGH', async () => {
      const { baseUrl } = await start();
      for (const level of ['LOW', 'MEDIUM', 'HIGH']) await open(baseUrl, { model: M38X, generationConfig: { thinkingConfig: { thinkingLevel: level } } });
    });

    it('sends turnComplete with IN_PROGRESS, then more output, then turnComplete with IDLE; the handle only after IDLE', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M38X, generationConfig: X_LOW, outputAudioTranscription: {}, sessionResumption: {} });
      await c.next((f) => f['sessionResumptionUpdate']?.['resumable'] === true);
      say(c, 'think about the moon');
      const first = await c.turn();
      const tc1 = first.at(-1)!;
      assert.equal(tc1['serverContent']['interactionStatus'], 'IN_PROGRESS');
      assert.ok(tc1['usageMetadata']);
      assert.equal(transcript(first), 'You said: think about the moon');
      assert.ok(!first.some((f) => f['sessionResumptionUpdate']?.['resumable'] === true), 'no resumable handle before IDLE');
      const more = await c.turn();
      const tc2 = more.at(-1)!;
      assert.equal(tc2['serverContent']['interactionStatus'], 'IDLE');
      assert.ok(more.some((f) => f['serverContent']?.['modelTurn']), 'more audio after IN_PROGRESS');
      assert.equal(transcript(more), 'On reflection: You said: think about the moon');
      assert.ok(more.some((f) => f['serverContent']?.['generationComplete']));
      const handle = await c.next((f) => f['sessionResumptionUpdate'] !== undefined);
      assert.equal(handle['sessionResumptionUpdate']['resumable'], true);
    });
  });

  describe('gemini-3.1-flash-live-preview (model page; livekit/agents PR 5251)', () => {
    it('answers realtimeInput.text in TEXT, several parts per event', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M31, generationConfig: { responseModalities: ['TEXT'] } });
      c.send({ realtimeInput: { text: 'hello three one' } });
      const frames = await c.turn();
      assert.equal(replyText(frames), 'You said: hello three one');
      assert.ok(frames.some((f) => (f['serverContent']?.['modelTurn']?.['parts']?.length ?? 0) > 1));
    });

    it('closes 1007 on clientContent mid-session, and on clientContent without historyConfig', async () => {
      const { baseUrl } = await start();
      const a = await open(baseUrl, { model: M31, generationConfig: { responseModalities: ['TEXT'] } });
      a.send({ realtimeInput: { text: 'one' } });
      await a.turn();
      say(a, 'two');
      const closed = await a.waitClose();
      assert.equal(closed.code, 1007);
      assert.match(closed.reason, /initial history/);
      const b = await open(baseUrl, { model: M31, generationConfig: { responseModalities: ['TEXT'] } });
      say(b, 'history?', false);
      assert.equal((await b.waitClose()).code, 1007);
    });

    it('takes initial history with historyConfig.initialHistoryInClientContent before any realtime input, never after', async () => {
      const { baseUrl } = await start();
      const c = await open(baseUrl, { model: M31, generationConfig: { responseModalities: ['TEXT'] }, historyConfig: { initialHistoryInClientContent: true } });
      c.send({ clientContent: { turns: [{ role: 'user', parts: [{ text: 'seeded' }] }, { role: 'model', parts: [{ text: 'ok' }] }], turnComplete: false } });
      c.send({ realtimeInput: { text: 'what did i say first' } });
      assert.equal(replyText(await c.turn()), 'You first said: "seeded"');
      say(c, 'late history', false);
      assert.equal((await c.waitClose()).code, 1007);
    });

    it('accepts thinkingLevel minimal/low/medium/high; refuses thinkingBudget and NON_BLOCKING declarations', async () => {
      const { baseUrl } = await start();
      for (const level of ['minimal', 'low', 'MEDIUM', 'HIGH']) await open(baseUrl, { model: M31, generationConfig: { thinkingConfig: { thinkingLevel: level } } });
      assert.equal((await refused(baseUrl, { model: M31, generationConfig: { thinkingConfig: { thinkingBudget: 512 } } })).code, 1007);
      const nb = await refused(baseUrl, { model: M31, tools: [{ functionDeclarations: [{ name: 'f', behavior: 'NON_BLOCKING' }] }] });
      assert.equal(nb.code, 1007);
      assert.match(nb.reason, /NON_BLOCKING/);
    });
  });

  describe('gemini-2.5-flash-native-audio-preview-12-2025 (deprecated, still served)', () => {
    it('is AUDIO only, takes thinkingBudget (not thinkingLevel), and sends one part per event with the transcription apart', async () => {
      const { baseUrl } = await start();
      assert.equal((await refused(baseUrl, { model: M25, generationConfig: { responseModalities: ['TEXT'] } })).code, 1007);
      assert.equal((await refused(baseUrl, { model: M25, generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } })).code, 1007);
      const c = await open(baseUrl, { model: M25, generationConfig: { thinkingConfig: { thinkingBudget: 1024 } }, enableAffectiveDialog: undefined, proactivity: { proactiveAudio: true }, outputAudioTranscription: {} });
      say(c, 'one part');
      const frames = await c.turn();
      assert.ok(!frames.some((f) => f['usageMetadata'] && !f['serverContent']), 'no standalone usageMetadata on 2.5');
      const content = frames.filter((f) => f['serverContent']?.['modelTurn'] || f['serverContent']?.['outputTranscription']);
      assert.ok(content.length >= 4);
      for (const f of content) {
        assert.ok(!(f['serverContent']['modelTurn'] && f['serverContent']['outputTranscription']), 'never both in one event');
        if (f['serverContent']['modelTurn']) assert.equal(f['serverContent']['modelTurn']['parts'].length, 1);
      }
      assert.equal(transcript(frames), 'You said: one part');
    });
  });

  describe('context window per model (LIVE-PROTOCOL.md "Limits": 131,072 for 3.x, 128k for 2.5 native audio)', () => {
    // Default trigger: 80 % of the window. ~103,000 tokens crosses 2.5's (102,400) but not 3.8's (104,857).
    const big = 'w'.repeat(103_000 * 4);
    for (const [model, compresses] of [[M25, true], [M38, false]] as const) {
      it(`${compresses ? 'compresses' : 'does not compress'} ~103k tokens of context on ${model}`, async () => {
        const { baseUrl, emulator } = await start();
        let compressed = false;
        emulator.onDidEvent((e) => {
          if (e.type === 'contextCompressed') compressed = true;
        });
        const c = await open(baseUrl, { model, contextWindowCompression: { slidingWindow: {} }, outputAudioTranscription: {} });
        say(c, big, false);
        say(c, 'and now?');
        await c.turn();
        assert.equal(compressed, compresses);
      });
    }
  });

  describe('the official SDK against every current profile (setup + one turn)', () => {
    const sdk = useSdkSessions();

    async function run(model: string, config: Record<string, unknown>, send: (s: Session) => void, done: (m: LiveServerMessage) => boolean): Promise<LiveServerMessage[]> {
      const { baseUrl } = await start();
      const ai = new GoogleGenAI({ apiKey: 'sdk-key', httpOptions: { baseUrl } });
      const messages: LiveServerMessage[] = [];
      let wake: (() => void) | undefined;
      const session = await ai.live.connect({
        model,
        config,
        callbacks: {
          onmessage: (m) => {
            messages.push(m);
            wake?.();
          },
          onerror: () => {},
          onclose: () => wake?.(),
        },
      });
      sdk.track(session);
      send(session);
      const deadline = Date.now() + 5000;
      while (!messages.some(done)) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages).slice(0, 300)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 100);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
      }
      return messages;
    }
    const spoken = (ms: LiveServerMessage[]) => ms.map((m) => m.serverContent?.outputTranscription?.text ?? '').join('');
    const user = (text: string) => (s: Session) => s.sendClientContent({ turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true });

    it('gemini-3.8-live: AUDIO + outputAudioTranscription, clientContent', async () => {
      const ms = await run('gemini-3.8-live', { responseModalities: [Modality.AUDIO], outputAudioTranscription: {} }, user('sdk 3.8'), (m) => m.serverContent?.turnComplete === true);
      assert.equal(spoken(ms), 'You said: sdk 3.8');
      assert.ok(ms.some((m) => (m.data ?? '').length > 0), 'audio through the SDK');
    });

    it('gemini-3.8-live-extended-thinking: thinkingLevel LOW, IDLE after IN_PROGRESS', async () => {
      const idle = (m: LiveServerMessage) => (m.serverContent as { interactionStatus?: string } | undefined)?.interactionStatus === 'IDLE';
      const ms = await run('gemini-3.8-live-extended-thinking', { responseModalities: [Modality.AUDIO], outputAudioTranscription: {}, thinkingConfig: { thinkingLevel: ThinkingLevel.LOW } }, user('sdk x'), idle);
      const statuses = ms.map((m) => (m.serverContent as { interactionStatus?: string } | undefined)?.interactionStatus).filter(Boolean);
      assert.deepEqual(statuses, ['IN_PROGRESS', 'IDLE']);
    });

    it('gemini-3.1-flash-live-preview: TEXT, realtimeInput.text', async () => {
      const ms = await run('gemini-3.1-flash-live-preview', { responseModalities: [Modality.TEXT] }, (s) => s.sendRealtimeInput({ text: 'sdk 3.1' }), (m) => m.serverContent?.turnComplete === true);
      assert.equal(ms.map((m) => m.text ?? '').join(''), 'You said: sdk 3.1');
    });

    it('gemini-2.5-flash-native-audio-preview-12-2025: AUDIO, thinkingBudget', async () => {
      const ms = await run('gemini-2.5-flash-native-audio-preview-12-2025', { responseModalities: [Modality.AUDIO], outputAudioTranscription: {}, thinkingConfig: { thinkingBudget: 256 } }, user('sdk 2.5'), (m) => m.serverContent?.turnComplete === true);
      assert.equal(spoken(ms), 'You said: sdk 2.5');
    });

    it('a shut-down model: connect() rejects with the 1008 "not found" close', async () => {
      const { baseUrl, emulator } = await start();
      const ai = new GoogleGenAI({ apiKey: 'sdk-key', httpOptions: { baseUrl } });
      const closed = waitForEvent(emulator.onDidEvent, (e) => e.type === 'connectionClosed', 3000);
      await assert.rejects(ai.live.connect({ model: 'gemini-2.0-flash-live-001', config: { responseModalities: [Modality.AUDIO] }, callbacks: { onmessage: () => {}, onerror: () => {}, onclose: () => {} } }), /1008/);
      const e = (await closed) as Extract<EmulatorEvent, { type: 'connectionClosed' }>;
      assert.match(e.reason, /^models\/gemini-2\.0-flash-live-001 is not found for API version v1/);
    });
  });
});
