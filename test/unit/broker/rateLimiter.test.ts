import assert from 'node:assert/strict';
import { RateLimiter } from '../../../src/broker/rateLimiter';
import { FakeClock } from '../../fakes/fakeClock';

describe('RateLimiter', () => {
  it('allows a burst of ratePerMinute, then refuses with the time until the next slot', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, 3);
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('alice'), { ok: true });
    assert.deepEqual(limiter.take('alice'), { ok: false, retryAfterMs: 20_000 });
    clock.advance(5_000);
    assert.deepEqual(limiter.take('alice'), { ok: false, retryAfterMs: 15_000 });
    clock.advance(15_000);
    assert.deepEqual(limiter.take('alice'), { ok: true });
    assert.equal(limiter.take('alice').ok, false);
  });

  it('keeps one bucket per client', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, 1);
    assert.equal(limiter.take('alice').ok, true);
    assert.equal(limiter.take('alice').ok, false);
    assert.equal(limiter.take('bob').ok, true);
  });

  it('refills to the burst and no further', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, 2);
    limiter.take('a');
    limiter.take('a');
    clock.advance(3_600_000);
    assert.equal(limiter.take('a').ok, true);
    assert.equal(limiter.take('a').ok, true);
    assert.equal(limiter.take('a').ok, false);
  });

  it('applies a new rate and forgets removed clients', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, 5);
    limiter.take('a');
    limiter.setRate(1);
    assert.equal(limiter.take('a').ok, true);
    assert.equal(limiter.take('a').ok, false);
    limiter.retain(new Set(['b']));
    assert.equal(limiter.take('a').ok, true, 'a removed client starts over if it is added back');
    assert.throws(() => limiter.setRate(0), RangeError);
  });
});
