/**
 * Sample-rate conversion with a windowed-sinc low-pass (Blackman window), so
 * downsampling 44.1/48 kHz microphone audio to 16 kHz does not alias: content above
 * the new Nyquist frequency is filtered out instead of folding back as noise.
 * Cutoff = 0.95 × min(1, to/from) × Nyquist; 16 zero crossings a side.
 */

const ZERO_CROSSINGS = 16;
const CUTOFF_FRACTION = 0.95;

function blackman(x: number): number {
  // x in [-1, 1]
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Resamples a whole buffer. Same rate returns a copy. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError('sample rates must be positive');
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  const cutoff = CUTOFF_FRACTION * Math.min(1, ratio);
  // Kernel half-width in input samples: wider when the cutoff is lower.
  const halfWidth = ZERO_CROSSINGS / cutoff;
  const outLength = Math.floor(input.length * ratio);
  const out = new Float32Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const center = n / ratio;
    const first = Math.max(0, Math.ceil(center - halfWidth));
    const last = Math.min(input.length - 1, Math.floor(center + halfWidth));
    let acc = 0;
    let norm = 0;
    for (let k = first; k <= last; k++) {
      const d = k - center;
      const w = cutoff * sinc(cutoff * d) * blackman(d / halfWidth);
      acc += input[k]! * w;
      norm += w;
    }
    // Normalising by the tap sum keeps DC gain at exactly 1, including at the edges.
    out[n] = norm !== 0 ? acc / norm : 0;
  }
  return out;
}
