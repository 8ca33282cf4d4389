/**
 * PCM16 little-endian <-> float conversion and levels. No DOM: shared by the
 * worklets, the controllers and the unit tests.
 */

/** Float samples in [-1, 1] (clamped) to PCM16 LE, in a fresh ArrayBuffer (transferable). */
export function floatToPcm16(samples: Float32Array): ArrayBuffer {
  const buffer = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(i * 2, s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff), true);
  }
  return buffer;
}

/** PCM16 LE to float samples in [-1, 1). A trailing odd byte is ignored. */
export function pcm16ToFloat(pcm: ArrayBuffer | ArrayBufferView): Float32Array {
  const view = ArrayBuffer.isView(pcm)
    ? new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength)
    : new DataView(pcm);
  const n = Math.floor(view.byteLength / 2);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true) / 0x8000;
  return out;
}

/** Root mean square of a block, 0 for an empty one. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/**
 * Maps an RMS level to a 0..1 meter position on a dB scale (-60 dB → 0, 0 dB → 1),
 * which reads like a VU meter: speech sits in the middle instead of near zero.
 */
export function levelToMeter(level: number, floorDb = -60): number {
  if (!(level > 0)) return 0;
  const db = 20 * Math.log10(level);
  return Math.max(0, Math.min(1, 1 - db / floorDb));
}
