/**
 * Streaming sample-rate conversion: a polyphase windowed-sinc FIR (Blackman window)
 * that keeps its history across calls, so audio arriving in 128-sample render quanta
 * converts exactly as if it had arrived in one piece — no sample is lost, repeated or
 * clicked at a block boundary.
 *
 * The kernel is the one in src/audio/resample.ts (the one-shot reference): cutoff =
 * 0.95 × min(1, to/from) × Nyquist of the input, 16 zero crossings a side. When
 * downsampling (48 kHz microphone → 16 kHz) this is the anti-aliasing low-pass;
 * when upsampling (24 kHz model audio → 48 kHz) it is the interpolation filter.
 *
 * Output time is tracked as an exact fraction (integer numerator over the reduced
 * output rate), so the ratio never drifts, however long the stream runs.
 *
 * No DOM, no AudioWorklet globals: runs in the worklet, on the main thread and in
 * unit tests alike.
 */

export interface StreamingResamplerOptions {
  /** Zero crossings of the sinc on each side of the centre tap. Default 16. */
  readonly zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency. Default 0.95. */
  readonly cutoffFraction?: number;
  /**
   * Most filter phases to tabulate. When the reduced output rate is no larger, the
   * filter is an exact polyphase FIR; otherwise the nearest of this many phases is
   * used (timing error ≤ 1/maxPhases of an input sample). Default 2048.
   */
  readonly maxPhases?: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window on x in [-1, 1]. */
function blackman(x: number): number {
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Input samples of look-ahead the filter needs: the delay it adds, in input samples. */
  readonly latencyInputSamples: number;

  private readonly passthrough: boolean;
  /** Reduced ratio: each output advances the input clock by m / l input samples. */
  private readonly l: number;
  private readonly m: number;
  private readonly stepInt: number;
  private readonly stepFrac: number;
  private readonly half: number;
  private readonly taps: number;
  private readonly phases: number;
  private readonly table: Float32Array;

  /** buf[0] holds the input sample with global index bufStart. */
  private buf: Float32Array;
  private bufLen = 0;
  private bufStart = 0;
  /** Next output's position on the input clock: ti + tf / l. */
  private ti = 0;
  private tf = 0;

  constructor(fromRate: number, toRate: number, options: StreamingResamplerOptions = {}) {
    const from = Math.round(fromRate);
    const to = Math.round(toRate);
    if (!(from > 0) || !(to > 0)) throw new RangeError('sample rates must be positive');
    this.fromRate = from;
    this.toRate = to;
    this.passthrough = from === to;
    const g = gcd(from, to);
    this.l = to / g;
    this.m = from / g;
    this.stepInt = Math.floor(this.m / this.l);
    this.stepFrac = this.m % this.l;

    const zeroCrossings = options.zeroCrossings ?? 16;
    const cutoff = (options.cutoffFraction ?? 0.95) * Math.min(1, to / from);
    const halfWidth = zeroCrossings / cutoff;
    this.half = this.passthrough ? 0 : Math.ceil(halfWidth);
    this.taps = 2 * this.half;
    this.phases = this.passthrough ? 1 : Math.min(this.l, options.maxPhases ?? 2048);
    this.latencyInputSamples = this.half;

    // table[p * taps + j] weighs input (ti - half + 1 + j) for an output at ti + p / phases.
    this.table = new Float32Array(this.phases * this.taps);
    for (let p = 0; p < this.phases && !this.passthrough; p++) {
      const frac = p / this.phases;
      let sum = 0;
      for (let j = 0; j < this.taps; j++) {
        const d = j - this.half + 1 - frac;
        const w = Math.abs(d) <= halfWidth ? cutoff * sinc(cutoff * d) * blackman(d / halfWidth) : 0;
        this.table[p * this.taps + j] = w;
        sum += w;
      }
      // Unit DC gain on every phase, as the reference normalises by its tap sum.
      for (let j = 0; j < this.taps; j++) this.table[p * this.taps + j]! /= sum;
    }
    this.buf = new Float32Array(Math.max(1024, this.taps * 4));
    this.reset();
  }

  /** Forgets all history (e.g. after playback is interrupted). */
  reset(): void {
    // Start with half-1 zeros before input 0, so output 0 sits on input 0.
    const lead = Math.max(0, this.half - 1);
    this.buf.fill(0, 0, lead);
    this.bufLen = lead;
    this.bufStart = -lead;
    this.ti = 0;
    this.tf = 0;
  }

  /** Converts the next block of input; returns every output sample it completes. */
  process(input: Float32Array): Float32Array {
    if (this.passthrough) return input.slice();
    this.append(input);
    const available = this.bufStart + this.bufLen; // one past the last global index held
    const maxOut = Math.ceil(((input.length + this.taps + 2) * this.l) / this.m) + 2;
    const out = new Float32Array(maxOut);
    let n = 0;
    const { taps, half, table, l, phases } = this;
    while (this.ti + half < available) {
      const p = phases === l ? this.tf : Math.floor((this.tf * phases) / l);
      const base = this.ti - half + 1 - this.bufStart;
      const row = p * taps;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += this.buf[base + j]! * table[row + j]!;
      out[n++] = acc;
      this.ti += this.stepInt;
      this.tf += this.stepFrac;
      if (this.tf >= l) {
        this.tf -= l;
        this.ti += 1;
      }
    }
    this.discardBefore(this.ti - half + 1);
    return out.slice(0, n);
  }

  /** Pushes silence through the filter to release the last `latencyInputSamples` of input. */
  flush(): Float32Array {
    return this.passthrough ? new Float32Array(0) : this.process(new Float32Array(this.half));
  }

  private append(input: Float32Array): void {
    if (this.bufLen + input.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.bufLen + input.length));
      bigger.set(this.buf.subarray(0, this.bufLen));
      this.buf = bigger;
    }
    this.buf.set(input, this.bufLen);
    this.bufLen += input.length;
  }

  private discardBefore(globalIndex: number): void {
    const drop = Math.min(this.bufLen, globalIndex - this.bufStart);
    if (drop <= 0) return;
    this.buf.copyWithin(0, drop, this.bufLen);
    this.bufLen -= drop;
    this.bufStart += drop;
  }
}
