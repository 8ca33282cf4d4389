import assert from 'node:assert/strict';
import { CAPTURE_FRAME_SAMPLES } from '../../../src/protocol/messages';
import { CaptureFramer } from '../../../webview/audio/captureFramer';
import { floatToPcm16, pcm16ToFloat, levelToMeter, rms } from '../../../webview/audio/pcm';
import { StreamingResampler } from '../../../webview/audio/streamingResampler';

describe('CaptureFramer', () => {
  it('cuts 48 kHz render quanta into numbered 640-sample PCM16 frames with nothing lost', () => {
    const input = new Float32Array(48_000);
    for (let i = 0; i < input.length; i++) input[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 48_000);
    const framer = new CaptureFramer(48_000);
    const frames = [];
    for (let o = 0; o < input.length; o += 128) frames.push(...framer.push(input.subarray(o, o + 128)));
    const expected = new StreamingResampler(48_000, 16_000).process(input);
    assert.equal(frames.length, Math.floor(expected.length / CAPTURE_FRAME_SAMPLES));
    frames.forEach((f, i) => {
      assert.equal(f.seq, i);
      assert.equal(f.pcm.byteLength, CAPTURE_FRAME_SAMPLES * 2);
      const want = new Uint8Array(floatToPcm16(expected.subarray(i * CAPTURE_FRAME_SAMPLES, (i + 1) * CAPTURE_FRAME_SAMPLES)));
      assert.deepEqual(new Uint8Array(f.pcm), want);
    });
    const level = frames[10]!.level;
    assert.ok(Math.abs(level - 0.3 / Math.SQRT2) < 0.01, `rms ${level}`);
  });

  it('works at 44.1 kHz with odd block sizes', () => {
    const framer = new CaptureFramer(44_100);
    let total = 0;
    for (let i = 0; i < 400; i++) total += framer.push(new Float32Array(111).fill(0.1)).length;
    // 44 400 samples → ~16 108 at 16 kHz, minus filter latency → 25 frames.
    assert.equal(total, 25);
  });
});

describe('PCM16 conversion', () => {
  it('round-trips little-endian samples and clamps out-of-range input', () => {
    const pcm = floatToPcm16(new Float32Array([0, 1, -1, 0.5, 2, -2]));
    const view = new DataView(pcm);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => view.getInt16(i * 2, true)), [0, 32_767, -32_768, 16_384, 32_767, -32_768]);
    const back = pcm16ToFloat(pcm);
    assert.ok(Math.abs(back[3]! - 0.5) < 1e-4);
    assert.equal(back[2], -1);
  });

  it('reads views at an offset and ignores a trailing odd byte', () => {
    const bytes = new Uint8Array([9, 0x00, 0x40, 0xff]);
    assert.deepEqual(Array.from(pcm16ToFloat(bytes.subarray(1))), [0.5]);
  });

  it('measures RMS and maps it to a dB meter', () => {
    assert.equal(rms(new Float32Array(0)), 0);
    assert.equal(rms(new Float32Array([0.5, -0.5])), 0.5);
    assert.equal(levelToMeter(0), 0);
    assert.equal(levelToMeter(1), 1);
    assert.equal(levelToMeter(0.001), 0);
    assert.ok(Math.abs(levelToMeter(10 ** (-30 / 20)) - 0.5) < 1e-9);
  });
});
