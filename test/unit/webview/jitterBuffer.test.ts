import assert from 'node:assert/strict';
import { JitterBuffer } from '../../../webview/audio/jitterBuffer';

const quantum = () => new Float32Array(128);
const ramp = (n: number, start = 1) => Float32Array.from({ length: n }, (_, i) => start + i);

describe('JitterBuffer', () => {
  it('stays silent until the prime threshold is queued, then plays in order', () => {
    const jb = new JitterBuffer({ primeFrames: 300, maxWaitFrames: 10_000, maxFrames: 100_000 });
    jb.push(ramp(200));
    const out = quantum();
    assert.equal(jb.pull(out), 0);
    assert.ok(out.every((v) => v === 0));
    jb.push(ramp(200, 201));
    const got: number[] = [];
    for (let i = 0; i < 3; i++) {
      jb.pull(out);
      got.push(...out);
    }
    assert.deepEqual(got.slice(0, 384), Array.from(ramp(384)));
  });

  it('plays a short last chunk after the maximum wait', () => {
    const jb = new JitterBuffer({ primeFrames: 1_000, maxWaitFrames: 256, maxFrames: 100_000 });
    jb.push(ramp(50));
    const out = quantum();
    assert.equal(jb.pull(out), 0);
    assert.equal(jb.pull(out), 0);
    assert.equal(jb.pull(out), 50);
    assert.equal(out[49], 50);
    assert.equal(out[50], 0);
    assert.equal(jb.underruns, 1);
  });

  it('flush silences the very next quantum', () => {
    const jb = new JitterBuffer({ primeFrames: 128, maxWaitFrames: 128, maxFrames: 100_000 });
    jb.push(ramp(10_000));
    const out = quantum();
    assert.equal(jb.pull(out), 128);
    jb.flush();
    assert.equal(jb.bufferedFrames, 0);
    assert.equal(jb.pull(out), 0);
    assert.ok(out.every((v) => v === 0));
  });

  it('drops the oldest audio beyond its limit, and counts it', () => {
    const jb = new JitterBuffer({ primeFrames: 1, maxWaitFrames: 1, maxFrames: 300 });
    jb.push(ramp(200));
    jb.push(ramp(200, 201));
    assert.equal(jb.bufferedFrames, 300);
    assert.equal(jb.droppedFrames, 100);
    const out = quantum();
    jb.pull(out);
    assert.equal(out[0], 101);
  });
});
