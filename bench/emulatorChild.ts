/**
 * The emulator in a process of its own, driven over IPC (handoffAnalysis.ts): the real
 * service does its work elsewhere, while an emulator in the benchmark's process runs its
 * close and setup handling on the client's event loop.
 *
 * Messages in: {goAwayAll: timeLeftMs}, {stop: true}. Out: {ready: baseUrl}.
 */
import { LiveEmulator } from '../src/emulator/liveEmulator';

async function main(): Promise<void> {
  const emulator = new LiveEmulator({ apiKey: process.env.BENCH_KEY ?? '', pongDelayMs: 10_000 });
  const started = await emulator.start();
  process.on('message', (m: { goAwayAll?: number; stop?: boolean }) => {
    if (typeof m.goAwayAll === 'number') emulator.goAwayAll(m.goAwayAll);
    if (m.stop) void emulator.stop().then(() => process.exit(0));
  });
  // The benchmark going away ends this process too: no orphan emulator.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: started.baseUrl });
}

void main();
