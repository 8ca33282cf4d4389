import assert from 'node:assert/strict';
import { int16ToLeBytes, PcmFramer } from '../../../src/audio/pcmFramer';

describe('PcmFramer', () => {
  it('joins pvrecorder-sized reads (512 samples) into whole 40 ms frames (640 samples), in order, nothing lost', () => {
    const framer = new PcmFramer(1_280);
    const out: Uint8Array[] = [];
    let next = 0;
    for (let read = 0; read < 10; read++) {
      const samples = new Int16Array(512);
      for (let i = 0; i < 512; i++) samples[i] = next++;
      out.push(...framer.push(int16ToLeBytes(samples)));
    }
    assert.equal(out.length, 8); // 5 120 samples = 8 frames of 640, nothing pending
    assert.equal(framer.pendingBytes, 0);
    const joined = new Int16Array(Buffer.concat(out).buffer.slice(0));
    joined.forEach((v, i) => assert.equal(v, i));
  });

  it('cuts a large chunk into several frames and keeps the remainder', () => {
    const framer = new PcmFramer(4);
    assert.deepEqual(framer.push(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])).map((f) => [...f]), [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    assert.equal(framer.pendingBytes, 1);
    assert.deepEqual(framer.push(Uint8Array.from([10, 11, 12])).map((f) => [...f]), [[9, 10, 11, 12]]);
    framer.push(Uint8Array.from([1]));
    framer.reset();
    assert.equal(framer.pendingBytes, 0);
  });

  it('hands out copies: the caller may keep a frame after the source reuses its buffer', () => {
    const framer = new PcmFramer(2);
    const chunk = Uint8Array.from([1, 2]);
    const [frame] = framer.push(chunk);
    chunk[0] = 9;
    assert.equal(frame![0], 1);
  });

  it('refuses an odd frame size', () => {
    assert.throws(() => new PcmFramer(3), RangeError);
  });
});
