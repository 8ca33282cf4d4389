import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import { concatPcm } from './pcm';
import type { TokenModality } from './tokenAccounting';

/**
 * Sessions and their resumption handles. A session spans connections; each
 * handle maps to a SNAPSHOT of the session's history when it was issued, so
 * resuming with an older handle loses the turns after it, as on the real service.
 */

export interface StoredTurn {
  role: 'user' | 'model';
  text: string;
  modality: TokenModality;
  tokens: number;
}

export class EmulatedSession {
  history: StoredTurn[] = [];
  connectionCount = 0;
  resumeCount = 0;
  /** Sum of `totalTokenCount` over answered turns. */
  tokensUsed = 0;
  /** Connected time of connections that have ended. */
  closedConnectedMs = 0;
  /** Id of the connection currently serving the session (after its setup was accepted). */
  activeConnectionId: string | undefined;
  activeSince: number | undefined;
  lastConnectionEndedAt: number | undefined;
  /** Ended for good by the session cap: its handles are refused. */
  capped = false;
  private keptAudioBytes = 0;
  readonly audio = { bytes: 0, samples: 0, sampleRate: 16_000, blocks: [] as Int16Array[] };

  constructor(
    readonly id: string,
    private readonly maxRecordedAudioBytes = Infinity,
  ) {}

  /** Session time so far: connected time of all its connections. */
  connectedMs(now: number): number {
    return this.closedConnectedMs + (this.activeSince !== undefined ? now - this.activeSince : 0);
  }

  /** Counts every sample; keeps the PCM itself only up to `maxRecordedAudioBytes` (long soaks must not grow without bound). */
  recordAudio(samples: Int16Array, sampleRate: number): void {
    const room = Math.max(0, Math.floor((this.maxRecordedAudioBytes - this.keptAudioBytes) / 2));
    if (room > 0) {
      const kept = samples.length <= room ? samples : samples.slice(0, room);
      this.audio.blocks.push(kept);
      this.keptAudioBytes += kept.byteLength;
    }
    this.audio.bytes += samples.length * 2;
    this.audio.samples += samples.length;
    this.audio.sampleRate = sampleRate;
  }

  /** Every input sample received, concatenated (one copy; blocks are merged once). */
  receivedPcm(): Int16Array {
    if (this.audio.blocks.length !== 1) this.audio.blocks = [concatPcm(this.audio.blocks)];
    return this.audio.blocks[0]!;
  }
}

interface HandleRecord {
  sessionId: string;
  snapshot: StoredTurn[];
  issuedAt: number;
}

export type HandleLookup = { ok: true; session: EmulatedSession; snapshot: StoredTurn[] } | { ok: false; reason: 'unknown' | 'expired' | 'capped' };

export class SessionStore {
  private readonly sessions = new Map<string, EmulatedSession>();
  private readonly handles = new Map<string, HandleRecord>();
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly handleLifetimeMs: number,
    private readonly maxRecordedAudioBytes = Infinity,
    private readonly newHandleId: () => string = () => randomBytes(24).toString('base64url'),
  ) {}

  create(): EmulatedSession {
    const session = new EmulatedSession(`session-${this.nextId++}`, this.maxRecordedAudioBytes);
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): EmulatedSession | undefined {
    return this.sessions.get(id);
  }

  list(): EmulatedSession[] {
    return [...this.sessions.values()];
  }

  /** Issues a handle covering the session's history as it is now. */
  issueHandle(session: EmulatedSession): string {
    const handle = this.newHandleId();
    this.handles.set(handle, { sessionId: session.id, snapshot: session.history.map((t) => ({ ...t })), issuedAt: this.clock.now() });
    return handle;
  }

  /**
   * Finds the session a handle belongs to. A handle is valid while its session
   * has a connection, and for `handleLifetimeMs` after the session's last
   * connection ended; never after the session was capped.
   */
  lookup(handle: string): HandleLookup {
    const record = this.handles.get(handle);
    const session = record ? this.sessions.get(record.sessionId) : undefined;
    if (!record || !session) return { ok: false, reason: 'unknown' };
    if (session.capped) return { ok: false, reason: 'capped' };
    if (session.activeConnectionId === undefined && session.lastConnectionEndedAt !== undefined) {
      if (this.clock.now() >= session.lastConnectionEndedAt + this.handleLifetimeMs) return { ok: false, reason: 'expired' };
    }
    return { ok: true, session, snapshot: record.snapshot.map((t) => ({ ...t })) };
  }
}
