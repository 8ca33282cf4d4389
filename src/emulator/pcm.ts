/** PCM16 helpers: the Live API's audio is 16-bit little-endian mono, base64 on the wire. */

export const OUTPUT_SAMPLE_RATE = 24_000;
export const DEFAULT_INPUT_SAMPLE_RATE = 16_000;

/** Decodes base64 PCM16 LE into samples (an odd trailing byte is ignored). */
export function decodePcm16(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  const n = bytes.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** Encodes samples as base64 PCM16 LE. */
export function encodePcm16(samples: Int16Array): string {
  const buf = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, i * 2);
  return buf.toString('base64');
}

/** Reads `rate=N` from a mime type like `audio/pcm;rate=16000`; undefined when absent or malformed. */
export function sampleRateFromMimeType(mimeType: string | undefined): number | undefined {
  if (!mimeType) return undefined;
  const m = /(?:^|;)\s*rate=(\d+)\s*(?:;|$)/i.exec(mimeType);
  if (!m) return undefined;
  const rate = Number(m[1]);
  return rate > 0 ? rate : undefined;
}

/** Root mean square of a block of samples, on the int16 scale (0..32768). */
export function rms(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  return Math.sqrt(sum / (end - start));
}

/** Concatenates sample blocks. */
export function concatPcm(blocks: readonly Int16Array[]): Int16Array {
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * A reply "voice": a two-tone pattern (440 Hz and 660 Hz alternating every 120 ms)
 * at a quarter of full scale, with a 5 ms fade at both ends so chunks never click.
 * Real, audible 24 kHz PCM16 so playback paths can be tested end to end. A chosen voice
 * (`prebuiltVoiceConfig.voiceName`) moves both tones by a factor from 0.6 to 1.4 decided by its
 * name, so voice samples heard offline differ from one another; no voice keeps 440/660 Hz.
 */
export function synthesizeReplyAudio(durationMs: number, sampleRate = OUTPUT_SAMPLE_RATE, voiceName?: string): Int16Array {
  const pitch = voiceName ? voicePitch(voiceName) : 1;
  const n = Math.max(0, Math.round((durationMs / 1000) * sampleRate));
  const out = new Int16Array(n);
  const segment = Math.round(0.12 * sampleRate);
  const fade = Math.max(1, Math.round(0.005 * sampleRate));
  for (let i = 0; i < n; i++) {
    const freq = (Math.floor(i / segment) % 2 === 0 ? 440 : 660) * pitch;
    const env = Math.min(1, i / fade, (n - 1 - i) / fade);
    out[i] = Math.round(Math.sin((2 * Math.PI * freq * i) / sampleRate) * 8192 * Math.max(0, env));
  }
  return out;
}

/** 0.6 … 1.4 in steps of 0.1, the same for the same name. */
function voicePitch(voiceName: string): number {
  let hash = 0;
  for (let i = 0; i < voiceName.length; i++) hash = (hash * 31 + voiceName.charCodeAt(i)) >>> 0;
  return 0.6 + (hash % 9) * 0.1;
}
