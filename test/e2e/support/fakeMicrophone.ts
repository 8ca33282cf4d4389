/**
 * What Chromium's fake capture device plays (`--use-file-for-fake-audio-capture`, looped
 * for as long as a page captures): test/fixtures/speech-16k.wav (espeak-ng, 3.69 s;
 * speech from 0.04 s to 3.40 s) resampled to 48 kHz, a typical device rate, with
 * silence padded after it. Made with sox at run time into test-results/e2e/.
 *
 * The pad sets the barge-in timeline of 07-voice (the emulator judges audio by received
 * samples: an utterance ends after 600 ms of silence, and speech while a reply is still
 * being generated interrupts it). With the emulator's reply chunks REPLY_CHUNK_DELAY_MS
 * apart, the reply to "[speech N s]" ("You said: [speech N s]", 1.44 s of audio in two
 * chunks) goes like this, t0 being the end of an utterance (speech end + 0.6 s):
 *
 *   t0 + 0.70 s  first chunk (0.72 s of audio) sent; it plays from about t0 + 0.77 s
 *   t0 + 1.10 s  the loop starts speaking again (0.29 + 0.04 + pad − 0.6 s after t0)
 *                → `interrupted` while the first chunk plays (about 0.33 s into it)
 *   t0 + 1.40 s  the second chunk and turnComplete would have gone out
 *
 * so the user speaks over the reply with about 0.3 s of margin on either side.
 * Tried first (Chromium 156): 16 kHz and 48 kHz files both arrive intact (NCC 1.0 with
 * the browser's voice processing off), and the AudioContext runs at 44.1 kHz.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, REPO } from './paths';
import { runBounded } from './processes';

export const SPEECH_FIXTURE = path.join(REPO, 'test', 'fixtures', 'speech-16k.wav');
export const FAKE_MIC_PAD_S = 1.37;
export const FAKE_MIC_RATE = 48_000;
/** The emulator's delay between reply chunks that puts the loop's next words over the reply (see above). */
export const REPLY_CHUNK_DELAY_MS = 700;

/** Writes the looped file under `dir` (test-results/e2e by default); returns its path. */
export async function makeFakeMicrophoneFile(logDir: string, dir = ARTIFACTS): Promise<string> {
  if (!existsSync(SPEECH_FIXTURE)) throw new Error(`${SPEECH_FIXTURE} is missing`);
  const file = path.join(dir, `fake-mic-speech-${FAKE_MIC_RATE / 1000}k.wav`);
  await runBounded('sox', [SPEECH_FIXTURE, '-r', String(FAKE_MIC_RATE), '-b', '16', '-c', '1', file, 'pad', '0', String(FAKE_MIC_PAD_S)], {
    timeoutMs: 30_000,
    logFile: path.join(logDir, 'sox-fake-mic.log'),
  });
  return file;
}

/** The chromium flags that feed `file` to getUserMedia (looped) and grant the microphone without a prompt. */
export function fakeMicrophoneArgs(file: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}`];
}
