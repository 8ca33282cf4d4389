import assert from 'node:assert/strict';
import { checkCompressionRatio, checkTriggerTokens, contextUsage, countdown, formatCount, formatSeconds, stateAnnouncement } from '../../../webview/ui/format';

describe('panel formatters', () => {
  it('formats times left in seconds, minutes and hours', () => {
    assert.equal(formatSeconds(42_000), '42 s');
    assert.equal(formatSeconds(41_001), '42 s');
    assert.equal(formatSeconds(0), '0 s');
    assert.equal(formatSeconds(-5), '0 s');
    assert.equal(formatSeconds(65_000), '1 min 05 s');
    assert.equal(formatSeconds(3_720_000), '1 h 02 min');
    assert.equal(formatSeconds(Number.NaN), '0 s');
  });

  it('computes countdowns from a local deadline', () => {
    assert.deepEqual(countdown(1_000, 31_000, 60_000), { leftMs: 30_000, fraction: 0.5, text: '30 s' });
    assert.deepEqual(countdown(99_000, 31_000, 60_000), { leftMs: 0, fraction: 0, text: '0 s' });
    assert.equal(countdown(0, 10_000, 0).fraction, 0);
    assert.equal(countdown(0, 90_000, 60_000).fraction, 1);
  });

  it('gauges context usage against the trigger', () => {
    assert.equal(formatCount(1_234_567), '1,234,567');
    assert.deepEqual(contextUsage(null, 32_000), { fraction: null, percent: null, text: '– / 32,000 tokens', level: 'ok' });
    assert.deepEqual(contextUsage(16_000, 32_000), { fraction: 0.5, percent: 50, text: '16,000 / 32,000 tokens (50%)', level: 'ok' });
    assert.equal(contextUsage(27_000, 32_000).level, 'warn');
    const over = contextUsage(40_000, 32_000);
    assert.equal(over.fraction, 1);
    assert.equal(over.percent, 125);
    assert.equal(over.level, 'over');
  });

  it('checks the trigger and ratio fields, naming the problem', () => {
    assert.deepEqual(checkTriggerTokens(' 32,000 '), { ok: true, value: 32_000 });
    assert.equal(checkTriggerTokens('999').ok, false, 'below the schema minimum');
    assert.equal(checkTriggerTokens('0').ok, false);
    assert.equal(checkTriggerTokens('1.5').ok, false);
    assert.equal(checkTriggerTokens('abc').ok, false);
    assert.deepEqual(checkCompressionRatio('0.5'), { ok: true, value: 0.5 });
    assert.deepEqual(checkCompressionRatio('.25'), { ok: true, value: 0.25 });
    for (const bad of ['0', '1', '1.5', '-0.2', 'x', '']) assert.equal(checkCompressionRatio(bad).ok, false, bad);
  });

  it('announces state changes in words', () => {
    assert.equal(stateAnnouncement({ state: 'connected', detail: '' }), 'Connected');
    assert.equal(stateAnnouncement({ state: 'handingOff', detail: 'Reconnecting seamlessly in 42 s' }), 'Reconnecting seamlessly. Reconnecting seamlessly in 42 s');
  });
});
