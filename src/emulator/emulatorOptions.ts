import { systemClock, type Clock } from '../common/clock';
import { nullLogger, type Logger } from '../common/logger';

/**
 * Options of {@link LiveEmulator}. All times are milliseconds on `clock`, so a
 * `ScaledClock(100)` makes the 10-minute connection lifetime pass in 6 s.
 */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port: number;
  /** Interface to listen on. Default '127.0.0.1'. */
  host: string;
  /** Drives every timer of the emulator. Default: the system clock. */
  clock: Clock;
  logger: Logger;
  /** Uniform random in [0, 1), for the default pong delay. Default Math.random. */
  random: () => number;
  /** The one API key accepted. Default: any non-empty key. */
  apiKey: string | undefined;
  /** A connection ends this long after its setupComplete (real service: about 10 min). Default 600_000. */
  connectionLifetimeMs: number;
  /** `goAway` comes this long before the end of a connection (docs: about a minute). Default 60_000. */
  goAwayLeadMs: number;
  /** Break each connection's TCP this long after setupComplete, without a close frame. Default: never. */
  dropAfterMs: number | undefined;
  /** Delay of every frame, each way, order kept. Default 0. */
  latencyMs: number;
  /** Pong this late. Default: random 8–30 s per ping, the range measured on the real service (sip-to-ai PR 14). */
  pongDelayMs: number | undefined;
  /** Time between streamed reply chunks. Default 30. */
  replyChunkDelayMs: number;
  /** Session time after which a session without compression ends with 1011 (real: about 15 min audio-only). Default 900_000. */
  sessionCapMs: number;
  /** A handle stays valid this long after its session's last connection ended (docs: about 2 h). Default 7_200_000. */
  handleLifetimeMs: number;
  /** Refuse every resumption handle (1007), to test the fresh-session fallback. Default false. */
  staleHandles: boolean;
  /**
   * The key's quota is used up from the start: every setup is closed 1011 with the service's
   * RESOURCE_EXHAUSTED text ({@link QUOTA_CLOSE_REASON}) and token requests get HTTP 429.
   * `LiveEmulator.exhaustQuota()` turns it on (or off) while running. Default false.
   */
  quotaExhausted: boolean;
  /** Input PCM kept per session for inspection (counts go on beyond it). Default 64 MiB, about 35 min at 16 kHz. */
  maxRecordedAudioBytes: number;
  /**
   * Server frames as binary messages holding JSON (default: what the real service sends),
   * text, or alternating. Clients must handle both.
   */
  serverFrames: 'text' | 'binary' | 'mixed';
  /** A connection whose unsent output exceeds this (a client that stopped reading) is cut. Default 8 MiB. */
  maxBufferedBytes: number;
  /**
   * Largest client frame accepted; a bigger one closes the socket 1009. Default 4 MiB.
   * Measured: the project's 40 ms audio frame (1,280 B PCM16) is a 1,781-byte JSON frame;
   * even a 10 s 16 kHz chunk is 426,741 bytes, and a 1080p JPEG video frame about 1.3 MB
   * as base64; 4 MiB takes all of them without letting one frame take unbounded memory.
   */
  maxIncomingFrameBytes: number;
  /** How often (emulator clock) expired handles, ended sessions and expired tokens are evicted. Default 60_000. */
  sweepIntervalMs: number;
}

export const DEFAULT_EMULATOR_OPTIONS: EmulatorOptions = {
  port: 0,
  host: '127.0.0.1',
  clock: systemClock,
  logger: nullLogger,
  random: Math.random,
  apiKey: undefined,
  connectionLifetimeMs: 600_000,
  goAwayLeadMs: 60_000,
  dropAfterMs: undefined,
  latencyMs: 0,
  pongDelayMs: undefined,
  replyChunkDelayMs: 30,
  sessionCapMs: 900_000,
  handleLifetimeMs: 7_200_000,
  staleHandles: false,
  quotaExhausted: false,
  serverFrames: 'binary',
  maxBufferedBytes: 8 * 1024 * 1024,
  maxIncomingFrameBytes: 4 * 1024 * 1024,
  sweepIntervalMs: 60_000,
  maxRecordedAudioBytes: 64 * 1024 * 1024,
};

/**
 * The service's close when a quota is used up (1011), as reported from the field
 * (GoogleCloudPlatform/generative-ai issue 1576: "received 1011 (internal error) Request trace
 * id: …, [ORIGINAL ERROR] generic::resource_exhausted: RESOURCE_EXHAUSTED: Maximum concurrent se",
 * cut at the 123-byte close reason limit, as here).
 */
export const QUOTA_CLOSE_CODE = 1011;
export const QUOTA_CLOSE_REASON = 'Request trace id: 5e0d1f2a3b4c5d6e, [ORIGINAL ERROR] generic::resource_exhausted: RESOURCE_EXHAUSTED: Maximum concurrent sessions exceeded';

/** Measured range of the real service's pong delay (LIVE-PROTOCOL.md field reports). */
export const PONG_DELAY_RANGE_MS: readonly [number, number] = [8_000, 30_000];

export function resolveEmulatorOptions(options: Partial<EmulatorOptions>): EmulatorOptions {
  const resolved: EmulatorOptions = { ...DEFAULT_EMULATOR_OPTIONS };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (resolved as unknown as Record<string, unknown>)[k] = v;
  }
  const nonNegative: Array<keyof EmulatorOptions> = ['connectionLifetimeMs', 'goAwayLeadMs', 'latencyMs', 'replyChunkDelayMs', 'sessionCapMs', 'handleLifetimeMs', 'maxRecordedAudioBytes', 'maxBufferedBytes', 'maxIncomingFrameBytes'];
  for (const key of nonNegative) {
    const v = resolved[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`emulator option ${key} must be a non-negative number, got ${String(v)}`);
  }
  for (const key of ['dropAfterMs', 'pongDelayMs'] as const) {
    const v = resolved[key];
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new RangeError(`emulator option ${key} must be a non-negative number, got ${String(v)}`);
  }
  if (!(resolved.sweepIntervalMs > 0) || !Number.isFinite(resolved.sweepIntervalMs)) throw new RangeError(`emulator option sweepIntervalMs must be a positive number, got ${String(resolved.sweepIntervalMs)}`);
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) throw new RangeError(`emulator option port must be 0..65535, got ${resolved.port}`);
  if (resolved.apiKey !== undefined && resolved.apiKey === '') throw new RangeError('emulator option apiKey must not be empty');
  return resolved;
}
