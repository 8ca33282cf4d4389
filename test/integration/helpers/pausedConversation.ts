/**
 * A spoken conversation with pauses, for the silence gate's test and bench row: the
 * recorded sentence (test/fixtures/speech-16k.wav) three times, with the pauses a user
 * leaves while Gemini answers, over a quiet room (-66 dBFS noise: a real microphone is
 * never digital zero). And one run of it through the session core into the emulator,
 * either streamed whole or through the silence gate, returning what the emulator heard
 * (its input transcriptions) and what was sent.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GatedAudioStream } from '../../../src/audio/gatedAudioStream';
import { floatToPcm16, parseWav } from '../../../src/audio/wav';
import { startHarness } from './liveHarness';
import { DEFAULT_MODEL } from '../../../src/core/models';

const RATE = 16_000;
export const FRAME_BYTES = 1_280;

/** Seconds of quiet before, between and after the three utterances. */
export const PAUSES_S = [1.5, 5, 8, 3] as const;

function quietRoom(seconds: number, seed: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    out[i] = ((x / 2_147_483_648) * 2 - 1) * 0.0005 * Math.sqrt(3);
  }
  return out;
}

/** The conversation as 16 kHz PCM16 LE mono, a whole number of 40 ms frames. */
export function pausedConversation(): { pcm: Uint8Array; seconds: number; speechSeconds: number } {
  const speech = parseWav(readFileSync(path.join(__dirname, '../../fixtures/speech-16k.wav'))).samples;
  const parts: Float32Array[] = [];
  PAUSES_S.forEach((pause, i) => {
    parts.push(quietRoom(pause, i + 1));
    if (i < PAUSES_S.length - 1) parts.push(speech);
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const samples = new Float32Array(total - (total % (FRAME_BYTES / 2)));
  let at = 0;
  for (const p of parts) {
    samples.set(p.subarray(0, Math.max(0, Math.min(p.length, samples.length - at))), at);
    at += p.length;
  }
  return { pcm: floatToPcm16(samples), seconds: samples.length / RATE, speechSeconds: ((PAUSES_S.length - 1) * speech.length) / RATE };
}

export interface ConversationRun {
  /** The emulator's input transcriptions, in order. */
  transcripts: string[];
  /** Audio sent to the session, in seconds. */
  sentSeconds: number;
  /** Audio the emulator received, in seconds. */
  receivedSeconds: number;
  audioStreamEnds: number;
  /** Every frame sent, as base64 (the room noise makes each frame of the conversation unique, bar digital silence). */
  sentFrames: Set<string>;
}

/**
 * Streams `pcm` frame by frame into a fresh emulator session (loopback, port 0) and waits,
 * bounded, for `expectedTurns` input transcriptions. Frames go out faster than real time:
 * the emulator's activity detection counts samples, not wall time.
 */
export async function runConversation(pcm: Uint8Array, gated: boolean, expectedTurns: number): Promise<ConversationRun> {
  const h = await startHarness({ session: { setup: { model: DEFAULT_MODEL, responseModality: 'AUDIO' } } });
  try {
    await h.client.session.connect();
    let sentBytes = 0;
    let audioStreamEnds = 0;
    const sentFrames = new Set<string>();
    const stream = new GatedAudioStream(
      {
        sendAudio: (frame) => {
          sentBytes += frame.byteLength;
          const base64 = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64');
          sentFrames.add(base64);
          h.client.session.sendAudio(base64);
        },
        endAudioStream: () => {
          audioStreamEnds++;
          h.client.session.endAudioStream();
        },
      },
      gated,
    );
    for (let at = 0, n = 0; at + FRAME_BYTES <= pcm.byteLength; at += FRAME_BYTES, n++) {
      stream.push(pcm.subarray(at, at + FRAME_BYTES));
      // Let the socket drain now and then, as a real-time capture would.
      if (n % 25 === 24) await new Promise((r) => setImmediate(r));
    }
    stream.finish();
    const turns = () => h.events.filter((e) => e.type === 'inputTranscription').length;
    await h.waitFor('inputTranscription', () => turns() >= expectedTurns, 15_000);
    // A further (wrong) transcription would come right after the last frame: give it a moment to show.
    await new Promise((r) => setTimeout(r, 300));
    const transcripts = h.events.flatMap((e) => (e.type === 'inputTranscription' ? [e.text] : []));
    const received = h.emulator.sessions()[0]!.receivedAudio;
    return { transcripts, sentSeconds: sentBytes / 2 / RATE, receivedSeconds: received.durationMs / 1000, audioStreamEnds, sentFrames };
  } finally {
    await h.stop();
  }
}
