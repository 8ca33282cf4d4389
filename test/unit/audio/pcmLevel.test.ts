import assert from 'node:assert/strict';
import { pcm16Rms } from '../../../src/audio/pcmLevel';
import { floatToPcm16 } from '../../../src/audio/wav';

describe('pcm16Rms (host capture level for the panel meter)', () => {
  it('is 0 for silence and for no samples', () => {
    assert.equal(pcm16Rms(new Uint8Array(0)), 0);
    assert.equal(pcm16Rms(new Uint8Array(1_280)), 0);
  });

  it('gives 1/√2 for a full-scale sine and scales with amplitude', () => {
    const sine = (amp: number) => {
      const f = new Float32Array(1_600);
      for (let i = 0; i < f.length; i++) f[i] = amp * Math.sin((2 * Math.PI * 440 * i) / 16_000);
      return floatToPcm16(f);
    };
    assert.ok(Math.abs(pcm16Rms(sine(1)) - Math.SQRT1_2) < 0.005);
    assert.ok(Math.abs(pcm16Rms(sine(0.25)) - 0.25 * Math.SQRT1_2) < 0.005);
  });

  it('reads a view into a larger buffer at its own offset', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setInt16(4, -32768, true);
    new DataView(big.buffer).setInt16(6, -32768, true);
    assert.equal(pcm16Rms(big.subarray(4)), 1);
    assert.equal(pcm16Rms(big.subarray(0, 4)), 0);
  });
});
