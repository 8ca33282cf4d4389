/**
 * Heap after a 2-hour emulated session against heap at its start: goAway every 10
 * emulated minutes, compression on, one turn a minute; both sides on one ScaledClock.
 */
import { ScaledClock, sleep } from '../src/common/clock';
import { startHarness } from '../test/integration/helpers/liveHarness';
import { DEFAULT_MODEL } from '../src/core/models';

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

export async function benchSoakHeap(scale = 600): Promise<{ startMb: number; endMb: number; turns: number }> {
  const clock = new ScaledClock(scale);
  const h = await startHarness({
    clock,
    deadAfterMs: 30 * 60_000,
    emulator: { connectionLifetimeMs: 10 * 60_000, goAwayLeadMs: 60_000, replyChunkDelayMs: 200, pongDelayMs: 10_000 },
    session: {
      setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' },
      compression: { enabled: true, triggerTokens: 2_000, compressionRatio: 0.5, useSlidingWindow: true },
      setupTimeoutMs: 120_000,
      closeAckTimeoutMs: 60_000,
    },
  });
  // The harness keeps every event for assertions; the bench must not measure that list.
  h.events.length = 0;
  const { session } = h.client;
  await session.connect();
  const start = clock.now();
  let turns = 0;
  let startMb = 0;
  while (clock.now() - start < 2 * 60 * 60 * 1000) {
    const t0 = clock.now();
    const turn = session.sendText(`soak turn ${++turns} ${'y'.repeat(200)}`);
    await h.waitFor('turnComplete', (e) => e.turn === turn, 20_000);
    h.events.length = 0;
    if (turns === 5) startMb = heapMb();
    const wait = 60_000 - (clock.now() - t0);
    if (wait > 0) await sleep(clock, wait);
  }
  const endMb = heapMb();
  await h.stop();
  return { startMb, endMb, turns };
}
