import assert from 'node:assert/strict';
import { DelayLine } from '../../../src/emulator/delayLine';
import { FakeClock } from '../../fakes/fakeClock';

describe('emulator delay line', () => {
  it('delays every action and keeps their order', () => {
    const clock = new FakeClock();
    const line = new DelayLine(clock, 100);
    const seen: number[] = [];
    line.push(() => seen.push(1));
    clock.advance(50);
    line.push(() => seen.push(2));
    clock.advance(49);
    assert.deepEqual(seen, []);
    clock.advance(1);
    assert.deepEqual(seen, [1]);
    clock.advance(50);
    assert.deepEqual(seen, [1, 2]);
  });

  it('runs at once with no delay, and drops pending actions on dispose', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    new DelayLine(clock, 0).push(() => seen.push('now'));
    const line = new DelayLine(clock, 10);
    line.push(() => seen.push('never'));
    line.dispose();
    clock.advance(100);
    assert.deepEqual(seen, ['now']);
  });
});
