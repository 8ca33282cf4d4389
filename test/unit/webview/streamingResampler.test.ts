import assert from 'node:assert/strict';
import { resample } from '../../../src/audio/resample';
import { StreamingResampler } from '../../../webview/audio/streamingResampler';

function sine(freqHz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / rate);
  return out;
}

/** Feeds `input` in blocks of the given sizes (cycled), as an AudioWorklet would. */
function streamInBlocks(r: StreamingResampler, input: Float32Array, sizes: number[]): Float32Array {
  const parts: Float32Array[] = [];
  let offset = 0;
  let k = 0;
  while (offset < input.length) {
    const size = sizes[k++ % sizes.length]!;
    parts.push(r.process(input.subarray(offset, offset + size)));
    offset += size;
  }
  return concat(parts);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Amplitude of the `freqHz` component (single-bin DFT). */
function amplitudeAt(x: Float32Array, freqHz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    const ph = (2 * Math.PI * freqHz * i) / rate;
    re += x[i]! * Math.cos(ph);
    im -= x[i]! * Math.sin(ph);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('StreamingResampler', () => {
  for (const inRate of [48_000, 44_100]) {
    it(`keeps a 1 kHz sine's frequency and amplitude (within 1 dB) from ${inRate} Hz to 16 kHz`, () => {
      const out = streamInBlocks(new StreamingResampler(inRate, 16_000), sine(1_000, inRate, 1), [128]);
      // Steady state: skip the filter's start-up, measure 0.5 s (500 whole periods).
      const window = out.subarray(1_600, 1_600 + 8_000);
      const amp = amplitudeAt(window, 1_000, 16_000);
      assert.ok(Math.abs(db(amp / 0.5)) < 1, `gain ${db(amp / 0.5).toFixed(3)} dB`);
      // The energy is at 1 kHz, not beside it.
      assert.ok(amplitudeAt(window, 1_000, 16_000) > 10 * amplitudeAt(window, 1_100, 16_000));
      let crossings = 0;
      for (let i = 1; i < window.length; i++) if (window[i - 1]! < 0 !== window[i]! < 0) crossings++;
      assert.ok(Math.abs(crossings - 1_000) <= 2, `${crossings} zero crossings in 0.5 s`);
    });

    it(`attenuates a 10 kHz tone by more than 40 dB (anti-aliasing) from ${inRate} Hz`, () => {
      const input = sine(10_000, inRate, 1);
      const out = streamInBlocks(new StreamingResampler(inRate, 16_000), input, [128]);
      const steady = out.subarray(1_600, out.length - 100);
      const attenuation = db(rms(steady) / rms(input));
      assert.ok(attenuation < -40, `only ${attenuation.toFixed(1)} dB`);
    });
  }

  it('gives identical output whatever the block sizes (no sample lost or repeated at boundaries)', () => {
    const input = new Float32Array(20_000);
    let seed = 7;
    for (let i = 0; i < input.length; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      input[i] = seed / 2 ** 30 - 1;
    }
    for (const rate of [48_000, 44_100, 22_050]) {
      const whole = new StreamingResampler(rate, 16_000).process(input);
      const quanta = streamInBlocks(new StreamingResampler(rate, 16_000), input, [128]);
      const ragged = streamInBlocks(new StreamingResampler(rate, 16_000), input, [1, 127, 500, 3, 128, 64]);
      assert.deepEqual(quanta, whole);
      assert.deepEqual(ragged, whole);
    }
  });

  it('emits exactly ceil(N × to / from) samples once flushed', () => {
    for (const [from, to, n] of [[48_000, 16_000, 4_801], [44_100, 16_000, 44_100], [24_000, 48_000, 2_401], [24_000, 44_100, 1_000]] as const) {
      const r = new StreamingResampler(from, to);
      const body = streamInBlocks(r, new Float32Array(n).fill(0.25), [128]);
      const tail = r.flush();
      assert.equal(body.length + tail.length, Math.ceil((n * to) / from), `${from} -> ${to}, ${n} samples`);
    }
  });

  it('matches the one-shot reference resampler away from the edges', () => {
    const input = sine(440, 44_100, 0.5).map((v, i) => v + 0.2 * Math.sin(i / 7));
    const ref = resample(input, 44_100, 16_000);
    const ours = streamInBlocks(new StreamingResampler(44_100, 16_000), input, [128]);
    for (let i = 100; i < ours.length - 100; i++) assert.ok(Math.abs(ours[i]! - ref[i]!) < 1e-4, `sample ${i}: ${ours[i]} vs ${ref[i]}`);
  });

  it('upsamples 24 kHz model audio to 48 kHz keeping a 1 kHz tone at unit gain', () => {
    const out = streamInBlocks(new StreamingResampler(24_000, 48_000), sine(1_000, 24_000, 0.5), [480]);
    const amp = amplitudeAt(out.subarray(960, 960 + 19_200), 1_000, 48_000);
    assert.ok(Math.abs(db(amp / 0.5)) < 0.5);
  });

  it('passes audio through unchanged at equal rates, and forgets history on reset', () => {
    const x = sine(300, 16_000, 0.01);
    assert.deepEqual(new StreamingResampler(16_000, 16_000).process(x), x);
    const r = new StreamingResampler(48_000, 16_000);
    const first = r.process(x);
    r.reset();
    assert.deepEqual(r.process(x), first);
  });
});
