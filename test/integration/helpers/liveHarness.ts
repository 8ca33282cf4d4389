/**
 * Core + emulator over real loopback sockets: starts an emulator on port 0, builds a
 * LiveSession through the same composition root the CLI and extension use, records
 * every event, and waits on them with bounded timeouts.
 */
import { systemClock, type Clock } from '../../../src/common/clock';
import { nullLogger, RedactingLogger, type Logger } from '../../../src/common/logger';
import { Redactor } from '../../../src/common/redact';
import type { SessionEvent } from '../../../src/core/sessionEvents';
import { LiveEmulator } from '../../../src/emulator/liveEmulator';
import type { EmulatorOptions } from '../../../src/emulator/emulatorOptions';
import { createLiveClient, type AuthConfig, type LiveClient, type LiveClientConfig } from '../../../src/live/liveClient';
import { DEFAULT_MODEL } from '../../../src/core/models';

export const TEST_KEY = 'AIzaTEST-integration-key-0123456789abcdefXYZ';

export interface Harness {
  emulator: LiveEmulator;
  baseUrl: string;
  client: LiveClient;
  events: SessionEvent[];
  logLines: string[];
  /** Resolves with the first recorded event (past or future) matching, or rejects after timeoutMs of real time. */
  waitFor<T extends SessionEvent['type']>(type: T, predicate?: (e: Extract<SessionEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<SessionEvent, { type: T }>>;
  /** Sends a turn and waits for its turnComplete. Returns the concatenated answer text. */
  ask(text: string, timeoutMs?: number): Promise<string>;
  answerOf(turn: number): string;
  stop(): Promise<void>;
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<{ emulator: LiveEmulator; baseUrl: string }> {
  const emulator = new LiveEmulator({ apiKey: TEST_KEY, ...options });
  const { baseUrl } = await emulator.start();
  return { emulator, baseUrl };
}

export async function startHarness(
  options: {
    emulator?: Partial<EmulatorOptions>;
    auth?: AuthConfig;
    session?: Partial<LiveClientConfig['session']>;
    clock?: Clock;
    logger?: Logger;
    existing?: { emulator: LiveEmulator; baseUrl: string };
    restored?: LiveClientConfig['restored'];
    /** Keepalive, in the clock's time. Accelerated tests stretch it: a 200 ms event-loop stall is a minute at 300×. */
    deadAfterMs?: number;
    /**
     * Keep the audio of `audio` events (default true). A long run on a model that only speaks
     * records hours of base64 PCM; a memory check would measure the recording, not the client.
     */
    recordAudio?: boolean;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? systemClock;
  const { emulator, baseUrl } = options.existing ?? (await startEmulator({ clock, ...options.emulator }));
  const events: SessionEvent[] = [];
  const logLines: string[] = [];
  const redactor = new Redactor();
  const logger = options.logger ?? new RedactingLogger((level, line) => logLines.push(`[${level}] ${line}`), redactor);
  const client = createLiveClient({
    baseUrl,
    auth: options.auth ?? { mode: 'key', apiKey: TEST_KEY },
    clock,
    logger,
    redactor,
    restored: options.restored,
    deadAfterMs: options.deadAfterMs,
    session: { setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' }, ...options.session },
  });
  const waiters = new Set<() => void>();
  const recordAudio = options.recordAudio ?? true;
  client.session.onDidEmit((e) => {
    events.push(e.type === 'audio' && !recordAudio ? { ...e, data: '' } : e);
    for (const w of [...waiters]) w();
  });

  const waitFor: Harness['waitFor'] = (type, predicate, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find((e) => e.type === type && (!predicate || predicate(e as never)));
        if (found) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found as never);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${type}; last events: ${events.slice(-8).map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const answerOf = (turn: number) => {
    // After a turnRestarted, earlier partial text of that turn is discarded (CLI contract).
    let text = '';
    for (const e of events) {
      if (e.type === 'turnRestarted' && e.turn === turn) text = '';
      if (e.type === 'text' && e.turn === turn) text += e.text;
    }
    return text;
  };

  return {
    emulator,
    baseUrl,
    client,
    events,
    logLines,
    waitFor,
    answerOf,
    async ask(text, timeoutMs = 10_000) {
      const turn = client.session.sendText(text);
      await waitFor('turnComplete', (e) => e.turn === turn, timeoutMs);
      return answerOf(turn);
    },
    async stop() {
      await client.session.close().catch(() => {});
      client.dispose();
      if (!options.existing) await emulator.stop();
    },
  };
}

export function countOf(events: SessionEvent[], type: SessionEvent['type'], predicate: (e: SessionEvent) => boolean = () => true): number {
  return events.filter((e) => e.type === type && predicate(e)).length;
}

export { nullLogger };
