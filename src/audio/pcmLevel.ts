/** Level of a chunk of audio, for meters: no I/O, no vscode. */

/** RMS of little-endian PCM16 samples on a 0..1 scale (full-scale square wave = 1). */
export function pcm16Rms(pcm: Uint8Array): number {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const n = Math.floor(pcm.byteLength / 2);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = view.getInt16(i * 2, true) / 32768;
    sum += s * s;
  }
  return Math.min(1, Math.sqrt(sum / n));
}
