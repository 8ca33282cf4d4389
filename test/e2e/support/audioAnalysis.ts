/**
 * Audio checks for the voice specs, in plain TypeScript (no DOM, no native code):
 * reading a PCM16 WAV, and the maximum normalised cross-correlation of a captured
 * stream against its source over every lag, by FFT (a 9 s stream against a 3.7 s
 * source at 16 kHz is three 2^18-point transforms: well under a second).
 */
import { readFileSync } from 'node:fs';

export interface Pcm {
  readonly sampleRate: number;
  /** Mono samples in [-1, 1). */
  readonly samples: Float64Array;
}

/** A mono (or first channel of a) 16-bit PCM WAV file. */
export function readWav(file: string): Pcm {
  const buf = readFileSync(file);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file} is not a RIFF/WAVE file`);
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      const bits = buf.readUInt16LE(body + 14);
      if ((format !== 1 && format !== 0xfffe) || bits !== 16) throw new Error(`${file}: only 16-bit PCM is read (format ${format}, ${bits} bits)`);
    } else if (id === 'data') {
      if (!sampleRate) throw new Error(`${file}: data before fmt`);
      const frames = Math.floor(Math.min(size, buf.length - body) / (2 * channels));
      const samples = new Float64Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = buf.readInt16LE(body + i * 2 * channels) / 32768;
      return { sampleRate, samples };
    }
    offset = body + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/** Base64 PCM16 LE (the emulator's `receivedAudio.pcm`) to samples in [-1, 1). */
export function decodePcm16Base64(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float64Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / 32768;
  return out;
}

/**
 * A model of the high-pass filter in the browser's voice processing (WebRTC's audio
 * processing module, on whenever getUserMedia asks for echo cancellation or noise
 * suppression): a 4th-order high-pass at 80 Hz, as two cascaded biquads (Q = 1/√2).
 * It is a fixed, documented model, not fitted per run: against Chromium 156's output
 * for this fixture it explains the waveform to NCC ≈ 0.99, where the unfiltered
 * source reaches only ≈ 0.81 (measured 2026-11, see the voice spec's header).
 */
export function voiceProcessingHighPass(samples: Float64Array, sampleRate: number): Float64Array {
  let x = samples;
  for (let stage = 0; stage < 2; stage++) x = biquadHighPass(x, sampleRate, 80, Math.SQRT1_2);
  return x;
}

function biquadHighPass(x: Float64Array, sampleRate: number, f0: number, q: number): Float64Array {
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0;
  const b1 = -(1 + cos) / a0;
  const b2 = b0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  const y = new Float64Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const o = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = o;
    y[i] = o;
  }
  return y;
}

/** In-place iterative radix-2 FFT (`inverse` without the 1/N scale). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let uRe = 1;
      let uIm = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const tRe = re[b]! * uRe - im[b]! * uIm;
        const tIm = re[b]! * uIm + im[b]! * uRe;
        re[b] = re[a]! - tRe;
        im[b] = im[a]! - tIm;
        re[a] = re[a]! + tRe;
        im[a] = im[a]! + tIm;
        const nextRe = uRe * wRe - uIm * wIm;
        uIm = uRe * wIm + uIm * wRe;
        uRe = nextRe;
      }
    }
  }
}

export interface Correlation {
  /** Maximum over lags of Σ s[j]·r[j+k] / (‖s‖·‖r[k…k+n)‖), in [-1, 1]. */
  readonly max: number;
  /** The lag (in samples of `received`) where the source lines up best. */
  readonly lag: number;
  /** How many lags were searched. */
  readonly lags: number;
}

/**
 * Normalised cross-correlation of `source` slid along `received`, at every lag where
 * the source fits whole (0 … received.length − source.length). A stream that holds a
 * whole copy of a looped source (received ≥ loop + source) is searched across one
 * full loop, whatever point capture started at. Near-silent windows are skipped.
 */
export function maxNormalizedCrossCorrelation(received: Float64Array, source: Float64Array): Correlation {
  const n = source.length;
  const m = received.length;
  if (n === 0 || m < n) throw new Error(`need at least ${n} received samples, have ${m}`);
  let size = 1;
  while (size < m + n) size <<= 1;
  const rRe = new Float64Array(size);
  const rIm = new Float64Array(size);
  const sRe = new Float64Array(size);
  const sIm = new Float64Array(size);
  rRe.set(received);
  sRe.set(source);
  fft(rRe, rIm, false);
  fft(sRe, sIm, false);
  // R · conj(S): its inverse is c[k] = Σ_j r[j + k] · s[j].
  for (let i = 0; i < size; i++) {
    const re = rRe[i]! * sRe[i]! + rIm[i]! * sIm[i]!;
    const im = rIm[i]! * sRe[i]! - rRe[i]! * sIm[i]!;
    rRe[i] = re;
    rIm[i] = im;
  }
  fft(rRe, rIm, true);
  let sourceEnergy = 0;
  for (let i = 0; i < n; i++) sourceEnergy += source[i]! * source[i]!;
  const prefix = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i]! + received[i]! * received[i]!;
  const lags = m - n + 1;
  let best = -Infinity;
  let bestLag = -1;
  for (let k = 0; k < lags; k++) {
    const windowEnergy = prefix[k + n]! - prefix[k]!;
    if (windowEnergy < sourceEnergy * 1e-6) continue;
    const c = rRe[k]! / size / Math.sqrt(windowEnergy * sourceEnergy);
    if (c > best) {
      best = c;
      bestLag = k;
    }
  }
  if (bestLag < 0) throw new Error('the received audio is silent at every lag');
  return { max: best, lag: bestLag, lags };
}

/** The parts of VoiceChatPanel's AudioProbeRecord the barge-in measurement reads. */
export interface ProbeSamples {
  readonly sampleRate: number;
  /** The analyser's window in samples. */
  readonly window: number;
  /** [performance.now() ms, AudioContext.currentTime s, index of the last non-zero sample (−1: none), peak]. */
  readonly polls: ReadonlyArray<readonly [number, number, number, number]>;
  readonly interrupts: ReadonlyArray<{ readonly t: number; readonly ct: number; readonly source?: 'message' | 'escape'; readonly audio?: AudioClockStop }>;
}

/** See VoiceChatPanel's AudioClockStop: the same interrupt read off the long tap, on the audio clock. */
export interface AudioClockStop {
  readonly wasPlaying?: boolean;
  readonly silentAfterMs?: number | null;
  readonly unknown?: boolean;
}

export interface InterruptMeasurement {
  /** When `audio/interrupted` reached the panel, or Escape was pressed in it (performance.now(), ms). */
  readonly at: number;
  readonly source?: 'message' | 'escape';
  /** The long tap's reading on the audio clock (robust to a late poll), when it was taken. */
  readonly audio?: AudioClockStop;
  /** The analyser's newest render quantum (128 samples) had sound when the message arrived. */
  readonly wasPlaying: boolean;
  /** First sample showing the newest quantum silent, minus `at` (ms): an upper bound, by wall clock. */
  readonly silentByMs?: number;
  /** The last sample that still had sound, minus `at` (ms; 0 if none after it): a lower bound. */
  readonly soundUntilMs?: number;
  /**
   * On the audio clock: the time of the first silent output sample (read off the
   * analyser's window, whose newest sample is taken as the one just before
   * currentTime: the first silent one is window − 1 − lastNonZero samples back) minus
   * currentTime when the message arrived (ms). Unknown when the sample after the
   * change came too late to still hold the last sound in its window.
   */
  readonly silentAfterAudioMs?: number;
  /** How long the output then stayed silent (until sound came back, or the record ended), ms. */
  readonly staysSilentMs?: number;
}

/** Measures each `audio/interrupted` the probe saw: was output playing, and how soon was it silent. */
export function measureInterrupts(probe: ProbeSamples): InterruptMeasurement[] {
  const quantum = 128;
  const sounding = (last: number) => last >= probe.window - quantum;
  const polls = [...probe.polls].sort((a, b) => a[0] - b[0]);
  return probe.interrupts.map(({ t, ct, source, audio }) => {
    const first = polls.findIndex((p) => p[0] >= t);
    if (first < 0) return { at: t, source, audio, wasPlaying: false };
    const wasPlaying = sounding(polls[first]![2]);
    let silent = first;
    while (silent < polls.length && sounding(polls[silent]![2])) silent++;
    if (silent >= polls.length) return { at: t, source, audio, wasPlaying };
    const p = polls[silent]!;
    const soundUntilMs = silent > first ? polls[silent - 1]![0] - t : 0;
    const silentAfterAudioMs = p[2] >= 0 && ct >= 0 ? (p[1] - (probe.window - 1 - p[2]) / probe.sampleRate - ct) * 1000 : undefined;
    let back = silent;
    while (back < polls.length && !sounding(polls[back]![2])) back++;
    const staysSilentMs = (back < polls.length ? polls[back]![0] : polls[polls.length - 1]![0]) - p[0];
    return { at: t, source, audio, wasPlaying, silentByMs: p[0] - t, soundUntilMs, silentAfterAudioMs, staysSilentMs };
  });
}

export interface SegmentCorrelation {
  /** The lag (samples into `received`) at which the whole source matches best. */
  readonly lag: number;
  /** Per voiced segment of the source: its best NCC within ±searchMs of that alignment. */
  readonly values: readonly number[];
  /** Segments left out as near-silent. */
  readonly silentSegments: number;
}

/**
 * NCC per aligned segment: the source is cut into `segmentMs` pieces, each compared with
 * the received stream near the whole source's best alignment (±`searchMs`). A capture
 * that dropped one render quantum (128 samples at 48 kHz, 2.7 ms) shifts everything after
 * the gap, which pulls the whole-source NCC down (0.9794 seen on a busy machine against
 * 1.0000 otherwise) though every sample arrived unaltered; per segment only the one that
 * holds the gap is affected. Voice processing (echo cancellation, noise suppression)
 * changes every segment, so compared with the source as is it still fails a check at 0.98
 * (the "processing off" step); the first voice step compares with the voice-processing
 * model instead, at 0.9.
 */
export function alignedSegmentCorrelation(
  received: Float64Array,
  source: Float64Array,
  options: { sampleRate: number; segmentMs?: number; searchMs?: number },
): SegmentCorrelation {
  const { lag } = maxNormalizedCrossCorrelation(received, source);
  const segment = Math.round(((options.segmentMs ?? 250) / 1000) * options.sampleRate);
  const search = Math.round(((options.searchMs ?? 10) / 1000) * options.sampleRate);
  let sourceEnergy = 0;
  for (const s of source) sourceEnergy += s * s;
  const meanSegmentEnergy = (sourceEnergy / source.length) * segment;
  const values: number[] = [];
  let silentSegments = 0;
  for (let start = 0; start + segment <= source.length; start += segment) {
    let energy = 0;
    for (let i = start; i < start + segment; i++) energy += source[i]! * source[i]!;
    if (energy < meanSegmentEnergy * 0.05) {
      silentSegments++;
      continue;
    }
    let best = -Infinity;
    for (let d = -search; d <= search; d++) {
      const at = lag + start + d;
      if (at < 0 || at + segment > received.length) continue;
      let dot = 0;
      let windowEnergy = 0;
      for (let i = 0; i < segment; i++) {
        const r = received[at + i]!;
        dot += r * source[start + i]!;
        windowEnergy += r * r;
      }
      if (windowEnergy > 0) best = Math.max(best, dot / Math.sqrt(windowEnergy * energy));
    }
    if (best > -Infinity) values.push(best);
  }
  return { lag, values, silentSegments };
}

/** The share of values at or above `threshold` (0 for none). */
export function shareAtLeast(values: readonly number[], threshold: number): number {
  return values.length === 0 ? 0 : values.filter((v) => v >= threshold).length / values.length;
}
