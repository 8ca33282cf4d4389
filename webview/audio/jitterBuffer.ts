/**
 * The playback worklet's queue, without the worklet. Audio arrives in bursts (the
 * model sends faster than real time, over a message port); output is pulled one
 * 128-frame render quantum at a time.
 *
 * - Starts playing once `primeFrames` are queued (about 60 ms), so small network
 *   gaps do not click; a short last chunk still plays after `maxWaitFrames`.
 * - After an underrun it primes again.
 * - `flush()` drops everything at once (barge-in): the next quantum is silence.
 * - Bounded: beyond `maxFrames` the oldest audio is dropped and counted.
 */

export interface JitterBufferOptions {
  readonly primeFrames: number;
  readonly maxWaitFrames: number;
  readonly maxFrames: number;
}

export class JitterBuffer {
  private readonly chunks: Float32Array[] = [];
  private readOffset = 0;
  private queued = 0;
  private waited = 0;
  private playing = false;
  /** Counters for diagnostics. */
  underruns = 0;
  droppedFrames = 0;

  constructor(private readonly options: JitterBufferOptions) {}

  get bufferedFrames(): number {
    return this.queued;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  push(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.queued += samples.length;
    while (this.queued > this.options.maxFrames && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const drop = Math.min(head.length - this.readOffset, this.queued - this.options.maxFrames);
      this.readOffset += drop;
      this.queued -= drop;
      this.droppedFrames += drop;
      if (this.readOffset >= head.length) {
        this.chunks.shift();
        this.readOffset = 0;
      }
    }
  }

  /** Drops all queued audio; playback primes again on the next push. */
  flush(): void {
    this.chunks.length = 0;
    this.readOffset = 0;
    this.queued = 0;
    this.waited = 0;
    this.playing = false;
  }

  /** Fills `out` (silence where nothing is due); returns how many real samples were written. */
  pull(out: Float32Array): number {
    if (!this.playing) {
      if (this.queued === 0) {
        out.fill(0);
        return 0;
      }
      if (this.queued >= this.options.primeFrames || this.waited >= this.options.maxWaitFrames) {
        this.playing = true;
        this.waited = 0;
      } else {
        this.waited += out.length;
        out.fill(0);
        return 0;
      }
    }
    let written = 0;
    while (written < out.length && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const take = Math.min(out.length - written, head.length - this.readOffset);
      out.set(head.subarray(this.readOffset, this.readOffset + take), written);
      written += take;
      this.readOffset += take;
      this.queued -= take;
      if (this.readOffset >= head.length) {
        this.chunks.shift();
        this.readOffset = 0;
      }
    }
    if (written < out.length) {
      out.fill(0, written);
      this.playing = false;
      this.underruns++;
    }
    return written;
  }
}
