/**
 * Reads and writes RIFF/WAVE files: PCM16 and float32, any rate, any channel count
 * (mixed down to mono on read). Pure: bytes in, samples out.
 */

export interface MonoAudio {
  sampleRate: number;
  /** Samples in [-1, 1]. */
  samples: Float32Array;
}

export class WavFormatError extends Error {}

export function parseWav(bytes: Uint8Array): MonoAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a WAV file (no RIFF/WAVE header)');
  let offset = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let data: { start: number; length: number } | undefined;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('WAV fmt chunk is too short');
      let audioFormat = view.getUint16(body, true);
      if (audioFormat === 0xfffe && size >= 40) audioFormat = view.getUint16(body + 24, true); // WAVE_FORMAT_EXTENSIBLE: sub-format GUID starts with the format code
      format = { audioFormat, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bitsPerSample: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      // Streams written by recorders may put 0 or 0xFFFFFFFF here: take what is there.
      const length = size === 0 || size === 0xffffffff || body + size > bytes.byteLength ? bytes.byteLength - body : size;
      data = { start: body, length };
      break;
    }
    offset = body + size + (size % 2);
  }
  if (!format) throw new WavFormatError('WAV file has no fmt chunk');
  if (!data) throw new WavFormatError('WAV file has no data chunk');
  const { audioFormat, channels, sampleRate, bitsPerSample } = format;
  if (channels < 1 || sampleRate < 1) throw new WavFormatError('WAV file has no channels or no sample rate');
  const isPcm16 = audioFormat === 1 && bitsPerSample === 16;
  const isFloat32 = audioFormat === 3 && bitsPerSample === 32;
  if (!isPcm16 && !isFloat32) throw new WavFormatError(`unsupported WAV encoding (format ${audioFormat}, ${bitsPerSample}-bit); use 16-bit PCM or 32-bit float`);
  const bytesPerFrame = (bitsPerSample / 8) * channels;
  const frames = Math.floor(data.length / bytesPerFrame);
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = data.start + i * bytesPerFrame + c * (bitsPerSample / 8);
      sum += isPcm16 ? view.getInt16(at, true) / 32768 : view.getFloat32(at, true);
    }
    samples[i] = sum / channels;
  }
  return { sampleRate, samples };
}

/** A mono PCM16 WAV file around little-endian PCM16 bytes. */
export function encodeWavPcm16(pcm: Uint8Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + pcm.byteLength);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + pcm.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, pcm.byteLength, true);
  out.set(pcm, 44);
  return out;
}

/** Float samples to PCM16 little-endian bytes, clamped. */
export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(i * 2, s < 0 ? Math.round(s * 32768) : Math.round(s * 32767), true);
  }
  return out;
}

export function pcm16ToFloat(pcm: Uint8Array): Float32Array {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Float32Array(Math.floor(pcm.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}
