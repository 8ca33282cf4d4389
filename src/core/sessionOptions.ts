/**
 * What a LiveSession is configured with and what it leaves behind for a later process:
 * plain data, shared by the driver (liveSession.ts) and the pure transition.
 */
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { DEFAULT_COMPRESSION, type CompressionConfig } from './compression';
import type { SetupOptions } from './messages';
import { DEFAULT_LEDGER_LIMITS, type LedgerLimits, type LedgerSnapshot } from './turnLedger';

export interface LiveSessionOptions {
  setup: SetupOptions;
  /** Use session resumption handles. Default true. */
  resumption: boolean;
  compression: CompressionConfig;
  backoff: BackoffOptions;
  /** A setup not answered within this is treated as a broken connection. Default 15 000. */
  setupTimeoutMs: number;
  /** How long to wait for the server to acknowledge our close frame. Default 2 000. */
  closeAckTimeoutMs: number;
  /** Switch connections at the latest this long before a goAway deadline. Default 2 000. */
  handoffMarginMs: number;
  /**
   * How a handoff closes the old socket before the new setup: 'ack' waits for the server to
   * acknowledge the close (the service refuses a resume while the old socket is open);
   * 'frame' sends setup right behind the close frame and retries once on 1011. Default 'frame':
   * one round trip shorter (1.07× the resume round trip at 5 ms each way against 2.02× for
   * 'ack', with 0 of 20 resumes refused: `npm run bench`).
   */
  handoffCloseWait: 'ack' | 'frame';
  /** Open the next socket as soon as a goAway arrives. Default true; false measures the cold path. */
  warmStandby: boolean;
  /** After a turn, wait this long for the handle that covers it before switching. Default 500. */
  handleGraceMs: number;
  /** A connection that stays up this long resets the backoff (reconnecting-websocket's minUptime). Default 10 000. */
  minUptimeMs: number;
  /** Realtime audio held while no connection can take it, in bytes. Default 320 000 (10 s at 16 kHz). */
  maxBufferedAudioBytes: number;
  /** A handle is valid this long after the last connection ended. Default 2 h (LIVE-PROTOCOL.md). */
  handleLifetimeMs: number;
  /**
   * A turn in flight on a link that stays silent this long is taken for a dead link: reconnect
   * and send it again; a second silence on the same turn fails with 'noResponse'. Silence is
   * noticed between one and two of these after the last frame. Default 60 000; 0 turns it off.
   */
  responseTimeoutMs: number;
  ledger: LedgerLimits;
}

export const DEFAULT_SESSION_OPTIONS: Omit<LiveSessionOptions, 'setup'> = {
  resumption: true,
  compression: DEFAULT_COMPRESSION,
  backoff: DEFAULT_BACKOFF,
  setupTimeoutMs: 15_000,
  closeAckTimeoutMs: 2_000,
  handoffMarginMs: 2_000,
  warmStandby: true,
  handoffCloseWait: 'frame',
  handleGraceMs: 500,
  minUptimeMs: 10_000,
  maxBufferedAudioBytes: 320_000,
  handleLifetimeMs: 2 * 60 * 60 * 1000,
  responseTimeoutMs: 60_000,
  ledger: DEFAULT_LEDGER_LIMITS,
};

/** What a later process needs to go on with this session; holds the handle, so it is a secret. */
export interface ResumptionSnapshot {
  ledger: LedgerSnapshot;
  lastConnectionEndedAt?: number;
  /**
   * When the session's first connection was made, and how many connections, handoffs and
   * reconnects it has had: a resumed session goes on counting (duration, connection number)
   * instead of starting at 0:00, #1.
   */
  startTime?: number;
  connections?: number;
  handoffs?: number;
  reconnects?: number;
}
