/**
 * Token mode over hours: 30-minute tokens on an accelerated clock. The token in use is
 * replaced before it expires, through a handoff the conversation does not notice.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScaledClock, sleep } from '../../src/common/clock';
import type { RenewalEvent } from '../../src/core/tokenRenewal';
import { countOf, startHarness, TEST_KEY, type Harness } from './helpers/liveHarness';
import { DEFAULT_MODEL } from '../../src/core/models';

describe('token renewal on the emulator (accelerated)', function () {
  this.timeout(90_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('holds a 2-hour conversation on 30-minute tokens: ≥ 4 minted, every turn answered once, no long gap', async () => {
    const clock = new ScaledClock(400);
    // On a loaded machine the process itself stalls (tens of ms real = tens of emulated
    // seconds here); the bound below allows for the worst stall seen, and nothing more.
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    h = await startHarness({
      clock,
      // Keepalive in emulated time: 30 emulated minutes is a few real seconds at this scale.
      deadAfterMs: 30 * 60_000,
      auth: { mode: 'token', apiKey: TEST_KEY, policy: { lifetimeMs: 30 * 60_000 }, renewal: { leadMs: 120_000 } },
      // Connections live longer than tokens here, so every switch below is a token renewal.
      emulator: { connectionLifetimeMs: 4 * 60 * 60_000, goAwayLeadMs: 60_000, replyChunkDelayMs: 200, pongDelayMs: 10_000 },
      session: {
        setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' },
        setupTimeoutMs: 120_000,
        closeAckTimeoutMs: 60_000,
        // 60 emulated s is 150 ms real here, less than a loaded machine can stall; this test is
        // about tokens, not about taking a silent link for dead.
        responseTimeoutMs: 10 * 60_000,
      },
    });
    const renewals: RenewalEvent[] = [];
    h.client.renewal!.onDidChange((e) => renewals.push(e));
    const minted = new Set<string>();
    h.emulator.onDidEvent((e) => {
      if (e.type === 'tokenMinted') minted.add(e.name);
    });
    await h.client.session.connect();
    const start = clock.now();
    let sent = 0;
    while (clock.now() - start < 2 * 60 * 60_000) {
      const t0 = clock.now();
      const turn = h.client.session.sendText(`renewal turn ${++sent}`);
      await h.waitFor('turnComplete', (e) => e.turn === turn, 20_000);
      const wait = 60_000 - (clock.now() - t0);
      if (wait > 0) await sleep(clock, wait);
    }
    for (let t = 1; t <= sent; t++) {
      assert.equal(countOf(h.events, 'turnComplete', (e) => e.type === 'turnComplete' && e.turn === t), 1, `turn ${t}`);
    }
    assert.ok(minted.size >= 4, `at least 4 tokens minted in 2 h of 30-minute tokens (got ${minted.size})`);
    assert.ok(renewals.filter((r) => r.type === 'renewed').length >= 3);
    assert.equal(renewals.filter((r) => r.type === 'expired' || r.type === 'renewalFailed').length, 0);
    // Never closed for an expired token, never a reconnect: every switch was a planned handoff.
    assert.equal(countOf(h.events, 'disconnected', (e) => e.type === 'disconnected' && e.code === 1008), 0);
    const drops = h.events.filter((e) => e.type === 'disconnected' && e.reason !== 'handoff');
    assert.deepEqual(drops, [], 'no unplanned disconnects');
    assert.equal(countOf(h.events, 'reconnecting'), 0);
    const gaps = h.events.flatMap((e) => (e.type === 'handoff' && e.phase === 'completed' ? [e] : []));
    assert.ok(gaps.length >= 3 && gaps.every((g) => g.reason === 'tokenRenewal' && g.warm));
    // A normal handoff on this clock: two loopback round trips, scaled (≈ 1 ms real → 400 ms
    // emulated); allow 10×, plus the longest stall of this process (a cold or ack-waiting
    // switch would add the close-ack timeout, 60 emulated s, on top of any stall).
    stalls.disable();
    const stallMs = (stalls.max / 1e6) * clock.scale;
    assert.ok(gaps.every((g) => g.gapMs < 5_000 + stallMs), `handoff gaps (emulated ms): ${gaps.map((g) => Math.round(g.gapMs)).join(', ')}; longest stall ${Math.round(stallMs)} emulated ms`);
    process.stderr.write(`      token soak: ${sent} turns, ${minted.size} tokens minted, ${gaps.length} renewal handoffs\n`);
  });

  it('warns before the deadline when the token service fails, and retries', async () => {
    const clock = new ScaledClock(200);
    h = await startHarness({
      clock,
      // Keepalive in emulated time: 30 emulated minutes is a few real seconds at this scale.
      deadAfterMs: 30 * 60_000,
      auth: { mode: 'token', apiKey: TEST_KEY, policy: { lifetimeMs: 10 * 60_000 }, renewal: { leadMs: 120_000, retry: { baseMs: 5_000, capMs: 20_000, maxAttempts: 50 } } },
      session: { setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' }, setupTimeoutMs: 120_000, closeAckTimeoutMs: 60_000 },
    });
    await h.client.session.connect();
    const firstExpiry = h.client.tokens!.current!.expiresAt;
    const events: RenewalEvent[] = [];
    h.client.renewal!.onDidChange((e) => events.push(e));
    // Make the token REST endpoint refuse for a while, by swapping the key the emulator accepts.
    const opts = (h.emulator as unknown as { options: { apiKey: string | undefined } }).options;
    opts.apiKey = 'AIzaSOMEONE-ELSE-0000000000000000000000';
    // The renewal starts 2 emulated minutes before expiry; wait for its failure (a REST round
    // trip, which a loaded machine can stretch past any fixed sleep), bounded by the expiry.
    await sleep(clock, 10 * 60_000 - 120_000);
    const failedEvent = new Promise<RenewalEvent | undefined>((resolve) => {
      const timer = clock.setTimeout(() => resolve(undefined), Math.max(0, firstExpiry - clock.now()));
      h!.client.renewal!.onDidChange((e) => {
        if (e.type !== 'renewalFailed') return;
        timer.dispose();
        resolve(e);
      });
      const seen = events.find((e) => e.type === 'renewalFailed');
      if (seen) resolve(seen);
    });
    const failed = await failedEvent;
    assert.ok(failed && failed.type === 'renewalFailed' && failed.willRetry && failed.timeLeftMs > 0, 'failure surfaced before the deadline, with a retry planned');
    opts.apiKey = TEST_KEY;
    await h.waitFor('handoff', (e) => e.phase === 'completed' && e.reason === 'tokenRenewal', 20_000);
    assert.ok(events.some((e) => e.type === 'renewed'));
    assert.equal(await h.ask('still here?'), 'You said: still here?');
  });
});
