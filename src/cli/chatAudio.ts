/** `--audio-in` / `--audio-out` for `moontalk-live chat`: speak a WAV file, record the replies. */
import { promises as fs } from 'node:fs';
import { MoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import { resample } from '../audio/resample';
import { encodeWavPcm16, floatToPcm16, parseWav, WavFormatError } from '../audio/wav';
import type { LiveSession } from '../core/liveSession';
import { INPUT_SAMPLE_RATE, OUTPUT_SAMPLE_RATE } from '../core/messages';

/** 40 ms frames: within the 20–40 ms the Live API docs suggest, and few enough messages. */
export const AUDIO_FRAME_MS = 40;

/**
 * Streams a WAV file as realtime input: resampled to 16 kHz mono PCM16, in 40 ms frames
 * at real time (or all at once with `fast`), then `audioStreamEnd`. Resolves once the
 * model has answered what was said (or nothing more came for a while).
 */
export async function streamWavAsRealtimeInput(file: string, session: LiveSession, options: { fast: boolean; logger: Logger; answerTimeoutMs?: number }): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(`Cannot read --audio-in ${file}: ${(err as Error).message}`);
  }
  let audio;
  try {
    audio = parseWav(bytes);
  } catch (err) {
    if (err instanceof WavFormatError) throw new Error(`--audio-in ${file}: ${err.message}`);
    throw err;
  }
  const samples = audio.sampleRate === INPUT_SAMPLE_RATE ? audio.samples : resample(audio.samples, audio.sampleRate, INPUT_SAMPLE_RATE);
  const pcm = floatToPcm16(samples);
  const frameBytes = (INPUT_SAMPLE_RATE * AUDIO_FRAME_MS * 2) / 1000;
  const frames = Math.ceil(pcm.byteLength / frameBytes);
  options.logger.info(`speaking ${file}: ${(samples.length / INPUT_SAMPLE_RATE).toFixed(2)} s at ${audio.sampleRate} Hz → 16 kHz, ${frames} frames${options.fast ? ' (fast)' : ''}`);
  const start = Date.now();
  for (let i = 0; i < frames; i++) {
    const chunk = pcm.subarray(i * frameBytes, Math.min(pcm.byteLength, (i + 1) * frameBytes));
    session.sendAudio(Buffer.from(chunk).toString('base64'));
    if (!options.fast) {
      // Schedule against the start time, so timer lateness does not accumulate into drift.
      const due = start + (i + 1) * AUDIO_FRAME_MS;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if (i % 50 === 49) {
      await new Promise((r) => setImmediate(r));
    }
  }
  session.endAudioStream();
  await waitForAnswer(session, options.answerTimeoutMs ?? 60_000);
}

/** Waits for the reply to the spoken input: the next turnComplete, or 3 s of silence with nothing in flight. */
function waitForAnswer(session: LiveSession, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(overall);
      clearTimeout(quiet);
      sub.dispose();
      resolve();
    };
    const armQuiet = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        if (!session.isAnswering) done();
        else armQuiet();
      }, 3_000);
    };
    const overall = setTimeout(done, timeoutMs);
    const sub = session.onDidEmit((e) => {
      if (e.type === 'turnComplete') done();
      else if (e.type === 'text' || e.type === 'audio' || e.type === 'inputTranscription') armQuiet();
      else if (e.type === 'error' && e.fatal) done();
    });
    armQuiet();
  });
}

/** Collects the model's 24 kHz PCM16 audio and writes one WAV file at the end. */
export class AudioReplyWriter {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly file: string) {}

  write(base64: string): void {
    const chunk = Buffer.from(base64, 'base64');
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  async close(): Promise<void> {
    const pcm = Buffer.concat(this.chunks, this.bytes);
    try {
      await fs.writeFile(this.file, encodeWavPcm16(pcm, OUTPUT_SAMPLE_RATE));
    } catch (err) {
      throw new MoonTalkError('invalidConfig', `Cannot write --audio-out ${this.file}: ${(err as Error).message}`, { field: 'audio-out' });
    }
  }
}
