import assert from 'node:assert/strict';
import { ScaledClock } from '../../../src/common/clock';
import { parseEmulatorFlags, runEmulatorCommand } from '../../../src/cli/emulatorCommand';

describe('moontalk-live emulator flags', () => {
  it('maps the contract flags to options', () => {
    const o = parseEmulatorFlags([
      '--port', '0', '--connection-lifetime-s', '30', '--go-away-lead-s', '5', '--clock-scale', '10', '--drop-after-s', '2.5',
      '--latency-ms', '40', '--pong-delay-s', '20', '--api-key', 'k', '--stale-handles', '--session-cap-s', '60', '--reply-chunk-delay-ms', '1', '--text-frames',
    ]);
    assert.equal(o.connectionLifetimeMs, 30_000);
    assert.equal(o.goAwayLeadMs, 5_000);
    assert.ok(o.clock instanceof ScaledClock && o.clock.scale === 10);
    assert.equal(o.dropAfterMs, 2_500);
    assert.equal(o.latencyMs, 40);
    assert.equal(o.pongDelayMs, 20_000);
    assert.equal(o.apiKey, 'k');
    assert.equal(o.staleHandles, true);
    assert.equal(o.sessionCapMs, 60_000);
    assert.equal(o.replyChunkDelayMs, 1);
    assert.equal(o.serverFrames, 'text');
    assert.equal(parseEmulatorFlags([]).serverFrames, undefined, 'binary frames (the service default) unless asked');
  });

  it('names the flag in every error', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'x'], /--port/],
      [['--port', '70000'], /--port/],
      [['--clock-scale', '0'], /--clock-scale/],
      [['--latency-ms', '-1'], /--latency-ms/],
      [['--bogus'], /--bogus/],
      [['--api-key', ''], /--api-key/],
    ];
    for (const [argv, re] of cases) assert.throws(() => parseEmulatorFlags(argv), re);
  });

  it('prints one listening line on stdout and never the key', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const key = 'AIzaSyEmulatorSecretKey0123456789';
    const running = await runEmulatorCommand(['--port', '0', '--api-key', key], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    try {
      assert.equal(out.length, 1);
      const line = JSON.parse(out[0]!);
      assert.equal(line.type, 'listening');
      assert.match(line.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(Object.keys(line), ['type', 'baseUrl']);
      assert.ok(![...out, ...err].some((l) => l.includes(key.slice(0, 8)) || l.includes(key.slice(-8))));
    } finally {
      await running.stop();
    }
  });
});
