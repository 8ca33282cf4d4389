/**
 * The emulator under the client's turn-taking settings (issue 12): `silenceDurationMs` decides
 * whether a pause ends the user's turn, `prefixPaddingMs` how much speech starts one (and barges
 * in), `activityHandling: NO_INTERRUPTION` keeps the model talking over the user; the setup the
 * client builds for each is what the emulator honours, and bad values are refused as the
 * service refuses them. Audio goes as fast as the socket takes it: the emulator judges samples,
 * not wall time.
 */
import assert from 'node:assert/strict';
import { buildSetup, type TurnTaking } from '../../src/core/messages';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { LiveTestClient, keyUrl, silence, toBase64, tone, type ServerFrame } from './support/liveTestClient';

const MODEL = 'gemini-3.8-live';

describe('emulator turn-taking under the client’s realtimeInputConfig', function () {
  this.timeout(15_000);
  let emulator: LiveEmulator | undefined;
  let client: LiveTestClient | undefined;

  async function open(turnTaking?: TurnTaking, extra: Record<string, unknown> = {}): Promise<LiveTestClient> {
    emulator = new LiveEmulator({ replyChunkDelayMs: 40, pongDelayMs: 10 });
    const { baseUrl } = await emulator.start();
    const setup = { ...buildSetup({ model: MODEL, responseModality: 'AUDIO', turnTaking }, undefined, undefined).setup, ...extra };
    client = await LiveTestClient.open(keyUrl(baseUrl, 'k'), setup);
    return client;
  }

  function sendAudio(c: LiveTestClient, ...pieces: Int16Array[]): void {
    for (const samples of pieces) {
      // 40 ms frames, as the extension sends them.
      for (let i = 0; i < samples.length; i += 640) c.send({ realtimeInput: { audio: { data: toBase64(samples.subarray(i, i + 640)), mimeType: 'audio/pcm;rate=16000' } } });
    }
  }

  function userTurns(c: LiveTestClient): string[] {
    return c.frames.map((f) => f.frame['serverContent']?.['inputTranscription']?.['text'] as string | undefined).filter((t): t is string => t !== undefined);
  }

  /** Waits (at most 5 s) until `turns` replies completed, or `heard` user turns were transcribed. */
  async function settle(c: LiveTestClient, turns: number, heard = Infinity): Promise<void> {
    const deadline = Date.now() + 5_000;
    const done = () => c.frames.filter((f) => f.frame['serverContent']?.['turnComplete']).length >= turns || userTurns(c).length >= heard;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  afterEach(async () => {
    client?.terminate();
    client = undefined;
    await emulator?.stop();
    emulator = undefined;
  });

  it('a 900 ms pause inside speech stays one turn with silenceDurationMs 1200 (the default), and splits it at 600', async () => {
    const speech = [tone(1_000), silence(900), tone(1_000), silence(1_500)];
    const long = await open({ silenceDurationMs: 1_200 });
    sendAudio(long, ...speech);
    await settle(long, 1);
    assert.deepEqual(userTurns(long), ['[speech 2.9 s]'], 'the pause ended the turn');
    long.terminate();
    await emulator!.stop();

    const short = await open({ silenceDurationMs: 600 });
    sendAudio(short, ...speech);
    await settle(short, Infinity, 2);
    assert.deepEqual(userTurns(short), ['[speech 1.0 s]', '[speech 1.0 s]']);
  });

  it('prefixPaddingMs 300: a 200 ms click neither counts as a turn nor barges in on the reply', async () => {
    const c = await open({ prefixPaddingMs: 300, silenceDurationMs: 600 });
    sendAudio(c, tone(1_000), silence(700));
    await c.next((f) => f['serverContent']?.['modelTurn'] !== undefined);
    sendAudio(c, tone(200), silence(700));
    await settle(c, 1);
    assert.equal(c.frames.filter((f) => f.frame['serverContent']?.['interrupted']).length, 0, 'the click interrupted the model');
    assert.deepEqual(userTurns(c), ['[speech 1.0 s]']);
  });

  it('NO_INTERRUPTION: speech over the reply does not cut it off; it is answered after the reply', async () => {
    const c = await open({ silenceDurationMs: 600, interruptions: false });
    sendAudio(c, tone(1_000), silence(700));
    await c.next((f) => f['serverContent']?.['modelTurn'] !== undefined);
    sendAudio(c, tone(800), silence(700));
    await settle(c, 2);
    const kinds = c.frames.map((f: { frame: ServerFrame }) => Object.keys(f.frame['serverContent'] ?? {})[0]).filter(Boolean);
    assert.ok(!kinds.includes('interrupted'), `interrupted: ${kinds.join(',')}`);
    assert.equal(c.frames.filter((f) => f.frame['serverContent']?.['turnComplete']).length, 2, 'both turns were answered');
    assert.deepEqual(userTurns(c), ['[speech 1.0 s]', '[speech 0.8 s]']);
  });

  it('with interruptions on (the default), the same speech barges in', async () => {
    const c = await open({ silenceDurationMs: 600 });
    sendAudio(c, tone(1_000), silence(700));
    await c.next((f) => f['serverContent']?.['modelTurn'] !== undefined);
    sendAudio(c, tone(800));
    await c.next((f) => f['serverContent']?.['interrupted'] === true);
  });

  it('refuses an unknown sensitivity, a negative duration and an unknown voice with 1007', async () => {
    for (const extra of [
      { realtimeInputConfig: { automaticActivityDetection: { endOfSpeechSensitivity: 'END_SENSITIVITY_MEDIUM' } } },
      { realtimeInputConfig: { automaticActivityDetection: { silenceDurationMs: -5 } } },
      { realtimeInputConfig: { activityHandling: 'SOMETIMES' } },
      { generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Nobody' } } } } },
    ]) {
      emulator = new LiveEmulator({ replyChunkDelayMs: 5, pongDelayMs: 10 });
      const { baseUrl } = await emulator.start();
      const c = await LiveTestClient.connect(keyUrl(baseUrl, 'k'));
      c.send({ setup: { model: `models/${MODEL}`, ...extra } });
      const closed = await c.waitClose();
      assert.equal(closed.code, 1007, JSON.stringify(extra));
      c.terminate();
      await emulator.stop();
      emulator = undefined;
    }
  });

  it('accepts every documented voice', async () => {
    const c = await open(undefined, { generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Sulafat' } } } } });
    sendAudio(c, tone(600), silence(700));
    await settle(c, 1);
    assert.equal(c.closed, undefined);
  });
});
