import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_BACKOFF, ExponentialBackoff, validateBackoff, type BackoffOptions } from '../../../src/core/backoff';

const ALMOST_ONE = 1 - Number.EPSILON;

function delays(backoff: ExponentialBackoff, n: number): number[] {
  const out: number[] = [];
  let b = backoff;
  for (let i = 0; i < n; i++) {
    const step = b.next();
    out.push(step.delayMs);
    b = step.backoff;
  }
  return out;
}

describe('ExponentialBackoff', () => {
  const options: BackoffOptions = { baseMs: 500, capMs: 30_000, maxAttempts: 8 };

  it('with random() just below 1 hands out the full ceilings: base·2^n, floored', () => {
    const b = new ExponentialBackoff(options, () => ALMOST_ONE);
    assert.deepEqual(delays(b, 8), [499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999]);
  });

  it('with random() = 0 waits 0 ms every time (the lower jitter bound)', () => {
    const b = new ExponentialBackoff(options, () => 0);
    assert.deepEqual(delays(b, 8), [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('scales the ceiling by random(): 0.5 gives half of each ceiling', () => {
    const b = new ExponentialBackoff({ baseMs: 100, capMs: 1_000, maxAttempts: 10 }, () => 0.5);
    assert.deepEqual(delays(b, 6), [50, 100, 200, 400, 500, 500]);
  });

  it('stops growing at the cap and stays there, even for huge attempt counts', () => {
    const b = new ExponentialBackoff({ baseMs: 1_000, capMs: 5_000, maxAttempts: 2_000 }, () => ALMOST_ONE, 1_500);
    assert.equal(b.ceilingMs, 5_000);
    assert.equal(b.next().delayMs, 4_999);
  });

  it('clamps a random source that strays outside [0, 1)', () => {
    assert.equal(new ExponentialBackoff(options, () => 7).next().delayMs, 500);
    assert.equal(new ExponentialBackoff(options, () => -3).next().delayMs, 0);
  });

  it('is exhausted after maxAttempts delays, not before', () => {
    let b = new ExponentialBackoff({ baseMs: 10, capMs: 100, maxAttempts: 3 }, () => 0.5);
    const seen: boolean[] = [b.exhausted];
    for (let i = 0; i < 3; i++) {
      b = b.next().backoff;
      seen.push(b.exhausted);
    }
    assert.deepEqual(seen, [false, false, false, true]);
    assert.equal(b.attempt, 3);
  });

  it('is a value: next() returns a new backoff and leaves the old one unchanged', () => {
    const b = new ExponentialBackoff(options, () => 0.5);
    const first = b.next();
    assert.notEqual(first.backoff, b);
    assert.equal(b.attempt, 0);
    assert.equal(first.backoff.attempt, 1);
    assert.equal(b.next().delayMs, first.delayMs, 'the same backoff gives the same delay again');
  });

  it('reset() returns to attempt 0 and keeps the options', () => {
    const b = new ExponentialBackoff(options, () => 0.5).next().backoff.next().backoff;
    const r = b.reset();
    assert.equal(r.attempt, 0);
    assert.equal(r.options, options);
    assert.equal(b.attempt, 2, 'reset does not mutate');
    const fresh = new ExponentialBackoff(options, () => 0.5);
    assert.equal(fresh.reset(), fresh, 'resetting a fresh backoff is a no-op');
  });

  it('validates its options, naming the field', () => {
    assert.equal(validateBackoff(DEFAULT_BACKOFF), undefined);
    assert.match(validateBackoff({ ...DEFAULT_BACKOFF, baseMs: 0 }) ?? '', /baseMs/);
    assert.match(validateBackoff({ ...DEFAULT_BACKOFF, capMs: 100, baseMs: 200 }) ?? '', /capMs/);
    assert.match(validateBackoff({ ...DEFAULT_BACKOFF, maxAttempts: 0 }) ?? '', /maxAttempts/);
    assert.match(validateBackoff({ ...DEFAULT_BACKOFF, maxAttempts: 1.5 }) ?? '', /maxAttempts/);
  });

  it('property: 0 ≤ delay ≤ min(cap, base·2^n) for any options, attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraCap, attempt, r) => {
          const opts = { baseMs, capMs: baseMs + extraCap, maxAttempts: 10 };
          const { delayMs } = new ExponentialBackoff(opts, () => r, attempt).next();
          const ceiling = Math.min(opts.capMs, baseMs * 2 ** attempt);
          assert.ok(Number.isInteger(delayMs), `integer delay, got ${delayMs}`);
          assert.ok(delayMs >= 0 && delayMs <= ceiling, `delay ${delayMs} outside [0, ${ceiling}]`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
