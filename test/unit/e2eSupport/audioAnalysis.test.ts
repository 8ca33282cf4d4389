import assert from 'node:assert/strict';
import path from 'node:path';
import { median } from '../../../bench/stats';
import { alignedSegmentCorrelation, maxNormalizedCrossCorrelation, readWav, shareAtLeast, voiceProcessingHighPass } from '../../e2e/support/audioAnalysis';

/** The e2e voice spec's source utterance (espeak-ng, 16 kHz). */
const source = readWav(path.join(__dirname, '../../fixtures/speech-16k.wav'));

/** What the emulator would receive: half a second of silence, then the source, with `edit` applied. */
function received(edit: (samples: Float64Array) => Float64Array = (s) => s): Float64Array {
  const lead = new Float64Array(Math.round(source.sampleRate / 2));
  const body = edit(source.samples);
  const out = new Float64Array(lead.length + body.length + source.sampleRate);
  out.set(body, lead.length);
  return out;
}

/** A capture that lost one 48 kHz render quantum (128 samples → 43 at 16 kHz) in the middle. */
function dropQuantum(samples: Float64Array): Float64Array {
  const at = Math.floor(samples.length / 2);
  const out = new Float64Array(samples.length - 43);
  out.set(samples.subarray(0, at));
  out.set(samples.subarray(at + 43), at);
  return out;
}

describe('e2e audio analysis: NCC per aligned segment', () => {
  it('an unaltered capture matches in every voiced segment', () => {
    const result = alignedSegmentCorrelation(received(), source.samples, { sampleRate: source.sampleRate });
    assert.ok(result.values.length >= 8, `voiced segments: ${result.values.length}`);
    assert.ok(Math.min(...result.values) > 0.999, `min ${Math.min(...result.values)}`);
  });

  it('a dropped render quantum pulls the whole-source NCC under 0.98 but leaves all segments but one at ≥ 0.98', () => {
    const capture = received(dropQuantum);
    const whole = maxNormalizedCrossCorrelation(capture, source.samples);
    assert.ok(whole.max < 0.98, `whole-source NCC ${whole.max.toFixed(4)} should show the misalignment`);
    const result = alignedSegmentCorrelation(capture, source.samples, { sampleRate: source.sampleRate });
    const below = result.values.filter((v) => v < 0.98).length;
    assert.ok(below <= 1, `${below} segments below 0.98: ${result.values.map((v) => v.toFixed(3)).join(' ')}`);
    assert.ok(shareAtLeast(result.values, 0.98) >= 0.8);
  });

  it('a processed capture (the voice-processing high-pass plus noise) still fails the segment check', () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.05;
    const capture = received((s) => voiceProcessingHighPass(s, source.sampleRate).map((v) => v * 0.7 + noise()));
    const result = alignedSegmentCorrelation(capture, source.samples, { sampleRate: source.sampleRate });
    assert.ok(shareAtLeast(result.values, 0.98) < 0.5, `share ≥ 0.98: ${shareAtLeast(result.values, 0.98)}`);
  });

  it('the first voice check: a dropped quantum in a voice-processed capture fails the whole-source NCC 0.9 but its median segment passes; noise fails both', () => {
    const model = voiceProcessingHighPass(source.samples, source.sampleRate);
    // Two dropped quanta near the middle: the whole source cannot align with both halves.
    const twoDrops = (s: Float64Array) => dropQuantum(dropQuantum(s)).map((v) => v * 0.8);
    const processed = received((s) => twoDrops(voiceProcessingHighPass(s, source.sampleRate)));
    const whole = maxNormalizedCrossCorrelation(processed, model);
    const segments = alignedSegmentCorrelation(processed, model, { sampleRate: source.sampleRate });
    assert.ok(median(segments.values) >= 0.9, `median segment ${median(segments.values).toFixed(4)}`);
    let seed = 11;
    const noise = new Float64Array(processed.length).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5);
    assert.ok(maxNormalizedCrossCorrelation(noise, model).max < 0.9);
    assert.ok(median(alignedSegmentCorrelation(noise, model, { sampleRate: source.sampleRate }).values) < 0.9);
    assert.ok(whole.max < 0.9, `whole-source NCC ${whole.max.toFixed(4)} should show the misalignment`);
  });

  it('median: the middle value, the mean of the middle two, NaN for none', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});
