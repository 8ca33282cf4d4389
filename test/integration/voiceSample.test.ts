/**
 * Choose Voice's sample (src/extension/audio/voiceSample.ts) against the emulator: each voice's
 * sample is audible 24 kHz speech at its own pitch, a voice the service does not have fails
 * with the service's refusal, and the sample's session is closed either way.
 */
import assert from 'node:assert/strict';
import { systemClock } from '../../src/common/clock';
import { nullLogger } from '../../src/common/logger';
import { Redactor } from '../../src/common/redact';
import { createLiveClient, type LiveClient } from '../../src/live/liveClient';
import type { SetupOptions } from '../../src/core/messages';
import { playVoiceSample } from '../../src/extension/audio/voiceSample';
import { startEmulator, TEST_KEY } from './helpers/liveHarness';
import type { LiveEmulator } from '../../src/emulator/liveEmulator';

/** Zero crossings per second of 24 kHz PCM16: twice the dominant frequency, near enough. */
function crossingsPerSecond(chunks: ArrayBuffer[]): number {
  const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c)));
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
  return crossings / (pcm.length / 24_000);
}

describe('voice sample (Choose Voice) against the emulator', function () {
  this.timeout(20_000);
  let emulator: LiveEmulator | undefined;
  let opened: LiveClient[] = [];
  let url = '';

  async function sample(voice: string): Promise<{ ms: number; chunks: ArrayBuffer[] }> {
    const chunks: ArrayBuffer[] = [];
    const baseUrl = url;
    const ms = await playVoiceSample(
      {
        model: 'gemini-3.5-transcribe-live', // cannot speak with a voice: the sample falls back to the default model
        openSession: async (setup: SetupOptions) => {
          const client = createLiveClient({ baseUrl, auth: { mode: 'key', apiKey: TEST_KEY }, clock: systemClock, logger: nullLogger, redactor: new Redactor(), session: { setup, resumption: false } });
          opened.push(client);
          return client;
        },
        play: (pcm) => chunks.push(pcm),
        logger: nullLogger,
      },
      voice,
    );
    return { ms, chunks };
  }

  beforeEach(async () => {
    const started = await startEmulator({ replyChunkDelayMs: 5 });
    emulator = started.emulator;
    url = started.baseUrl;
    opened = [];
  });

  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it('plays an audible sample for a voice, at a pitch of its own, and closes its session', async () => {
    const kore = await sample('Kore');
    const puck = await sample('Puck');
    assert.ok(kore.ms >= 1_000, `${kore.ms} ms of audio`);
    assert.ok(puck.ms >= 1_000, `${puck.ms} ms of audio`);
    const [k, p] = [crossingsPerSecond(kore.chunks), crossingsPerSecond(puck.chunks)];
    assert.ok(Math.abs(k - p) / Math.max(k, p) > 0.05, `Kore and Puck sound the same (${k.toFixed(0)} vs ${p.toFixed(0)} crossings/s)`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(emulator!.openConnections(), 0, 'a sample session was left open');
  });

  it('fails for a voice the service does not have (the setup is refused), and still closes', async () => {
    await assert.rejects(sample('Nobody'), /invalid|not supported|Voice/i);
    assert.equal(opened.length, 1);
  });
});
