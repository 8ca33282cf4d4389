import assert from 'node:assert/strict';
import { formatDuration, parseDurationMs } from '../../../src/core/duration';

describe('parseDurationMs', () => {
  it('reads protobuf duration strings, including fractions', () => {
    assert.equal(parseDurationMs('10s'), 10_000);
    assert.equal(parseDurationMs('1.5s'), 1_500);
    assert.equal(parseDurationMs('0s'), 0);
    assert.equal(parseDurationMs('.25s'), 250);
    assert.ok(Math.abs(parseDurationMs('0.000001s')! - 0.001) < 1e-12);
    assert.equal(parseDurationMs(' 60s '), 60_000);
  });

  it('reads plain numbers as seconds', () => {
    assert.equal(parseDurationMs(10), 10_000);
    assert.equal(parseDurationMs(0.5), 500);
    assert.equal(parseDurationMs(0), 0);
  });

  it('returns undefined for anything that is not a duration', () => {
    for (const v of ['', 's', '10', '10ms', '-1s', '1e3s', 'abc', '1.s', '10 s', '1,5s', null, undefined, {}, [], true, -1, Number.NaN, Infinity]) {
      assert.equal(parseDurationMs(v), undefined, `for ${JSON.stringify(v)}`);
    }
  });

  it('formatDuration is the inverse for ms values', () => {
    for (const ms of [0, 1, 1_500, 10_000, 600_000, 0.001]) assert.equal(parseDurationMs(formatDuration(ms)), ms);
    assert.equal(formatDuration(1_500), '1.5s');
  });
});
