/**
 * Voice path costs, measured side by side in one run:
 * - capture: CPU per second of audio for the webview capture path (48 kHz blocks of 128 →
 *   anti-aliased resampling to 16 kHz → 40 ms PCM16 frames), as a real-time factor;
 * - playback: CPU per second of 24 kHz model audio (resampling to 48 kHz, jitter buffer,
 *   128-sample render quanta);
 * - capture-to-socket: from a frame being complete to the emulator receiving it (protocol
 *   validation, base64, session, ws, loopback), against the 5 ms budget beyond the frame;
 * - interrupted-to-silence: render quanta that still carry sound after a flush.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resample } from '../src/audio/resample';
import { parseWav } from '../src/audio/wav';
import { LiveEmulator } from '../src/emulator/liveEmulator';
import { isProtocolError, parseToHost } from '../src/protocol/messages';
import { CaptureFramer } from '../webview/audio/captureFramer';
import { JitterBuffer } from '../webview/audio/jitterBuffer';
import { StreamingResampler } from '../webview/audio/streamingResampler';
import { benchClient } from './benchClient';
import { median } from './stats';
import { DEFAULT_MODEL } from '../src/core/models';

const QUANTUM = 128;
const CONTEXT_RATE = 48_000;

function speechAt(rate: number, seconds: number): Float32Array {
  const wav = parseWav(readFileSync(path.join(__dirname, '../test/fixtures/speech-16k.wav')));
  const up = resample(wav.samples, wav.sampleRate, rate);
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = up[i % up.length]!;
  return out;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

export function benchCaptureCpu(seconds = 20): number {
  const input = speechAt(CONTEXT_RATE, seconds);
  const framer = new CaptureFramer(CONTEXT_RATE);
  let frames = 0;
  const t0 = process.cpuUsage();
  for (let i = 0; i + QUANTUM <= input.length; i += QUANTUM) frames += framer.push(input.subarray(i, i + QUANTUM)).length;
  const used = cpuMs(t0);
  if (frames < seconds * 24) throw new Error(`capture produced only ${frames} frames`);
  return used / (seconds * 1000);
}

export function benchPlaybackCpu(seconds = 20): number {
  const input = speechAt(24_000, seconds);
  const resampler = new StreamingResampler(24_000, CONTEXT_RATE);
  const buffer = new JitterBuffer({ primeFrames: 2_880, maxWaitFrames: 4_800, maxFrames: CONTEXT_RATE * 30 });
  const out = new Float32Array(QUANTUM);
  const chunk = 2_400; // 100 ms network chunks, as the service streams them
  let produced = 0;
  const t0 = process.cpuUsage();
  for (let i = 0; i < input.length; i += chunk) {
    buffer.push(resampler.process(input.subarray(i, i + chunk)));
    // Render what 100 ms of wall time consumes: 37.5 quanta at 48 kHz.
    for (let q = 0; q < (CONTEXT_RATE * 0.1) / QUANTUM; q++) {
      buffer.pull(out);
      produced += QUANTUM;
    }
  }
  const used = cpuMs(t0);
  if (produced < seconds * CONTEXT_RATE * 0.9) throw new Error('playback rendered too little');
  return used / (seconds * 1000);
}

/** Quanta that still carry sound after flush (0 means silence from the very next quantum). */
export function benchInterruptToSilence(): { quantaAfterFlush: number; msAtMost: number } {
  const buffer = new JitterBuffer({ primeFrames: 2_880, maxWaitFrames: 4_800, maxFrames: CONTEXT_RATE * 30 });
  buffer.push(speechAt(CONTEXT_RATE, 2));
  const out = new Float32Array(QUANTUM);
  for (let q = 0; q < 20; q++) buffer.pull(out);
  buffer.flush();
  let loud = 0;
  for (let q = 0; q < 10; q++) {
    buffer.pull(out);
    if (out.some((s) => s !== 0)) loud++;
  }
  return { quantaAfterFlush: loud, msAtMost: ((loud + 1) * QUANTUM * 1000) / CONTEXT_RATE };
}

export async function benchCaptureToSocket(frames = 300): Promise<{ medianMs: number; p95Ms: number }> {
  const KEY = 'AIzaBENCH-voice-key-0000000000000000000000';
  const emulator = new LiveEmulator({ apiKey: KEY, pongDelayMs: 10_000 });
  const { baseUrl } = await emulator.start();
  const client = benchClient(baseUrl, KEY, { setup: { model: DEFAULT_MODEL, responseModality: 'AUDIO' } });
  await client.session.connect();
  const input = speechAt(CONTEXT_RATE, (frames * 0.04) + 1);
  const framer = new CaptureFramer(CONTEXT_RATE);
  const latencies: number[] = [];
  let pending: number | undefined;
  let arrived!: () => void;
  emulator.onDidEvent((e) => {
    if (e.type === 'clientMessage' && e.kind === 'realtimeInput' && pending !== undefined) {
      latencies.push(performance.now() - pending);
      pending = undefined;
      arrived();
    }
  });
  try {
    for (let i = 0; i + QUANTUM <= input.length && latencies.length < frames; i += QUANTUM) {
      for (const frame of framer.push(input.subarray(i, i + QUANTUM))) {
        const got = new Promise<void>((r) => (arrived = r));
        pending = performance.now();
        // The host's path for a webview frame: validate the message, base64, send.
        const msg = parseToHost({ type: 'audio/chunk', seq: frame.seq, pcm: frame.pcm });
        if (isProtocolError(msg) || msg.type !== 'audio/chunk') throw new Error('frame rejected');
        client.session.sendAudio(Buffer.from(msg.pcm as ArrayBuffer).toString('base64'));
        await got;
      }
    }
  } finally {
    await client.session.close();
    client.dispose();
    await emulator.stop();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { medianMs: median(latencies), p95Ms: sorted[Math.floor(sorted.length * 0.95)]! };
}
