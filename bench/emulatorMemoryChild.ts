/**
 * The emulator alone in a child process, so its RSS is measured without the driving
 * client's memory (emulatorMemory.ts). IPC in: {rss: true} → {rss: bytes, connections};
 * {stop: true}. Out: {ready: baseUrl}. The parent going away ends this process too.
 */
import { LiveEmulator } from '../src/emulator/liveEmulator';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.EMULATOR_OPTIONS ?? '{}') as Record<string, unknown>;
  const emulator = new LiveEmulator({ pongDelayMs: 10_000, ...options });
  const started = await emulator.start();
  process.on('message', (m: { rss?: boolean; stop?: boolean }) => {
    if (m.rss) {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ rss: process.memoryUsage().rss, connections: emulator.openConnections() });
    }
    if (m.stop) void emulator.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: started.baseUrl });
}

void main();
