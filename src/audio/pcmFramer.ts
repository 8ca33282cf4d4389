/**
 * Cuts and joins PCM16 chunks of any length into whole frames of a fixed size: native
 * recorders read in their own frame length (pvrecorder's `frameLength`, a pipe's chunk
 * size), the voice path wants 40 ms. Pure.
 */
export class PcmFramer {
  private pending = new Uint8Array(0);

  constructor(private readonly frameBytes: number) {
    if (!(frameBytes > 0) || frameBytes % 2 !== 0) throw new RangeError('frameBytes must be a positive even number');
  }

  /** Bytes held for the next frame. */
  get pendingBytes(): number {
    return this.pending.byteLength;
  }

  /** Appends a chunk; returns the frames it completes, each a copy the caller may keep. */
  push(chunk: Uint8Array): Uint8Array[] {
    const data = this.pending.byteLength > 0 ? concat(this.pending, chunk) : chunk;
    const frames: Uint8Array[] = [];
    let at = 0;
    for (; at + this.frameBytes <= data.byteLength; at += this.frameBytes) frames.push(data.slice(at, at + this.frameBytes));
    this.pending = data.slice(at);
    return frames;
  }

  /** Drops a partial frame (capture stopped: a fragment is not worth sending). */
  reset(): void {
    this.pending = new Uint8Array(0);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** An Int16Array's samples as little-endian bytes (a view on little-endian hosts, a copy otherwise). */
export function int16ToLeBytes(samples: Int16Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}
