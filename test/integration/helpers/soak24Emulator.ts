/**
 * The emulator of the 24-hour soak (soak24.ts beside it) in a process of its own, on the same
 * scaled time line as the client (AlignedScaledClock: SOAK_CLOCK_SCALE, SOAK_CLOCK_ORIGIN).
 * IPC in: {drop: true} → {dropped: n}; {staleHandles: bool} → {stale: bool};
 * {rss: true} → {rss: bytes, heap: bytes, external: bytes, connections, counts}; {stop: true}.
 * Out: {ready: baseUrl}. The parent going away ends this process too.
 */
import { LiveEmulator } from '../../../src/emulator/liveEmulator';
import { AlignedScaledClock } from './alignedScaledClock';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.EMULATOR_OPTIONS ?? '{}') as Record<string, unknown>;
  const clock = new AlignedScaledClock(Number(process.env.SOAK_CLOCK_SCALE), Number(process.env.SOAK_CLOCK_ORIGIN));
  const emulator = new LiveEmulator({ pongDelayMs: 10_000, ...options, clock });
  const counts: Record<string, number> = {};
  const minted = new Set<string>();
  emulator.onDidEvent((e) => {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (e.type === 'tokenMinted') minted.add(e.name);
  });
  const started = await emulator.start();
  process.on('message', (m: { rss?: boolean; stop?: boolean; drop?: boolean; staleHandles?: boolean }) => {
    if (m.drop) {
      const before = counts['connectionDropped'] ?? 0;
      emulator.dropAll();
      process.send?.({ dropped: (counts['connectionDropped'] ?? 0) - before });
    }
    if (typeof m.staleHandles === 'boolean') {
      emulator.options.staleHandles = m.staleHandles;
      process.send?.({ stale: m.staleHandles });
    }
    if (m.rss) {
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      process.send?.({ rss: mem.rss, heap: mem.heapUsed, external: mem.external, connections: emulator.openConnections(), counts: { ...counts, tokensMintedDistinct: minted.size } });
    }
    if (m.stop) void emulator.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: started.baseUrl });
}

void main();
