import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatProtoDuration, parseInt64, parseProtoDuration } from '../../../src/emulator/protoDuration';

describe('emulator protobuf helpers', () => {
  it('formats durations as protobuf JSON strings', () => {
    assert.equal(formatProtoDuration(60_000), '60s');
    assert.equal(formatProtoDuration(1_500), '1.5s');
    assert.equal(formatProtoDuration(150), '0.15s');
    assert.equal(formatProtoDuration(1), '0.001s');
    assert.equal(formatProtoDuration(0), '0s');
    assert.equal(formatProtoDuration(-5), '0s');
  });

  it('parses what it formats (to the microsecond)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400_000_000 }), (us) => {
        const ms = us / 1000;
        assert.ok(Math.abs(parseProtoDuration(formatProtoDuration(ms))! - ms) < 1e-6);
      }),
    );
    assert.equal(parseProtoDuration('10'), undefined);
  });

  it('reads int64 fields given as strings or numbers', () => {
    assert.equal(parseInt64('25000'), 25000);
    assert.equal(parseInt64(12500), 12500);
    for (const bad of ['-1', '1.5', 'x', 1.5, -3, null, '99999999999999999999']) assert.equal(parseInt64(bad), undefined);
  });
});
