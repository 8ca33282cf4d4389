import assert from 'node:assert/strict';
import { FAKE_EPOCH, FakeClock } from '../../fakes/fakeClock';

describe('FakeClock (test fake)', () => {
  it('runs due timers in time order, ties in scheduling order, with now() at each due time', () => {
    const clock = new FakeClock();
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['b', clock.now() - FAKE_EPOCH]), 20);
    clock.setTimeout(() => seen.push(['a', clock.now() - FAKE_EPOCH]), 10);
    clock.setTimeout(() => seen.push(['c', clock.now() - FAKE_EPOCH]), 20);
    clock.setTimeout(() => seen.push(['late', clock.now() - FAKE_EPOCH]), 31);
    clock.advance(30);
    assert.deepEqual(seen, [
      ['a', 10],
      ['b', 20],
      ['c', 20],
    ]);
    assert.equal(clock.now(), FAKE_EPOCH + 30);
    assert.equal(clock.pendingTimers, 1);
  });

  it('also runs timers scheduled by callbacks when they fall inside the window', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now() - FAKE_EPOCH);
      clock.setTimeout(() => seen.push(clock.now() - FAKE_EPOCH), 5);
      clock.setTimeout(() => seen.push(clock.now() - FAKE_EPOCH), 50);
    }, 10);
    clock.advance(20);
    assert.deepEqual(seen, [10, 15]);
    assert.equal(clock.pendingTimers, 1);
  });

  it('disposed timers never run; negative delays run at once', () => {
    const clock = new FakeClock();
    let ran = 0;
    clock.setTimeout(() => ran++, 5).dispose();
    clock.setTimeout(() => ran++, -10);
    clock.advance(0);
    assert.equal(ran, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('is bounded: a timer loop makes advance and runAll throw instead of hanging', () => {
    const clock = new FakeClock(0, 100);
    const loop = () => clock.setTimeout(loop, 0);
    loop();
    assert.throws(() => clock.advance(1), /more than 100 callbacks/);
    assert.throws(() => clock.runAll(50), /more than 50 callbacks/);
  });

  it('runAll jumps to each timer in turn', () => {
    const clock = new FakeClock(0);
    clock.setTimeout(() => clock.setTimeout(() => {}, 1_000), 60_000);
    clock.runAll();
    assert.equal(clock.now(), 61_000);
    assert.equal(clock.pendingTimers, 0);
  });
});
