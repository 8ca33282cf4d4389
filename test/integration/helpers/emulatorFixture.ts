import type { EmulatorOptions } from '../../../src/emulator/emulatorOptions';
import { LiveEmulator } from '../../../src/emulator/liveEmulator';
import type { LiveTestClient } from '../support/liveTestClient';

/**
 * Emulators and raw clients that a describe block starts, torn down after each test.
 * Call inside a `describe` callback: it registers the block's `afterEach`.
 */
export function useEmulators(): {
  start(options?: Partial<EmulatorOptions>): Promise<{ emulator: LiveEmulator; baseUrl: string }>;
  track(c: LiveTestClient): LiveTestClient;
} {
  let emulators: LiveEmulator[] = [];
  let clients: LiveTestClient[] = [];
  afterEach(async () => {
    for (const c of clients) c.terminate();
    clients = [];
    await Promise.all(emulators.map((e) => e.stop()));
    emulators = [];
  });
  return {
    async start(options = {}) {
      const emulator = new LiveEmulator({ replyChunkDelayMs: 5, pongDelayMs: 10, ...options });
      emulators.push(emulator);
      const { baseUrl } = await emulator.start();
      return { emulator, baseUrl };
    },
    track(c) {
      clients.push(c);
      return c;
    },
  };
}
