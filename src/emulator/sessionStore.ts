import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import { concatPcm } from './pcm';
import type { TokenModality } from './tokenAccounting';

/**
 * Sessions and their resumption handles. A session spans connections. Its history
 * is stored ONCE; a handle is a POSITION in it (how many turns it covers), so
 * resuming with an older handle cuts the turns after that position, as on the real
 * service, and a long session costs one history, not one copy per handle (issue 14:
 * per-handle snapshots grew memory with the square of the turns).
 *
 * Compression drops turns from the front; `droppedTurns` keeps positions absolute.
 * A handle whose position lies before the compressed front restores what is left.
 */

export interface StoredTurn {
  role: 'user' | 'model';
  text: string;
  modality: TokenModality;
  tokens: number;
  /** A function result the client sent, kept as context (not something the user said). */
  toolResult?: boolean;
}

/** Handles kept per session; older ones are forgotten first (one is issued per turn, so a day-long session must not keep them all). */
export const MAX_HANDLES_PER_SESSION = 1_000;

export class EmulatedSession {
  /** The context as the model sees it now (compression drops from the front). */
  history: StoredTurn[] = [];
  /** Turns dropped from the front by compression: the absolute position of `history[0]`. */
  droppedTurns = 0;
  /** Handles issued for this session, oldest first. */
  readonly handles: string[] = [];
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

  /** Absolute position of the end of the history: what a handle issued now covers. */
  get position(): number {
    return this.droppedTurns + this.history.length;
  }

  /** Drops the oldest `n` turns (compression). */
  dropFront(n: number): void {
    this.history.splice(0, n);
    this.droppedTurns += n;
  }

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
  /** Turns covered: the session's `position` when the handle was issued. */
  position: number;
}

export type HandleLookup = { ok: true; session: EmulatedSession; position: number } | { ok: false; reason: 'unknown' | 'expired' | 'capped' };

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

  /** Handles held, all sessions together. */
  get handleCount(): number {
    return this.handles.size;
  }

  /** Issues a handle covering the session's history as it is now (a position, not a copy). */
  issueHandle(session: EmulatedSession): string {
    const handle = this.newHandleId();
    this.handles.set(handle, { sessionId: session.id, position: session.position });
    session.handles.push(handle);
    if (session.handles.length > MAX_HANDLES_PER_SESSION) {
      for (const old of session.handles.splice(0, session.handles.length - MAX_HANDLES_PER_SESSION)) this.handles.delete(old);
    }
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
    if (this.expired(session)) return { ok: false, reason: 'expired' };
    return { ok: true, session, position: record.position };
  }

  /**
   * Resumes `session` at `position`: the turns after it are gone, and so are the
   * handles that covered them (their positions would name turns that no longer exist).
   */
  restore(session: EmulatedSession, position: number): void {
    const keep = Math.max(0, position - session.droppedTurns);
    if (keep < session.history.length) session.history.length = keep;
    const kept: string[] = [];
    for (const h of session.handles) {
      const r = this.handles.get(h);
      if (r && r.position <= position) kept.push(h);
      else this.handles.delete(h);
    }
    session.handles.length = 0;
    session.handles.push(...kept);
  }

  /**
   * Forgets sessions whose handles have expired (no connection for `handleLifetimeMs`),
   * with their handles; returns the ids evicted. Runs on the emulator's clock.
   */
  evictExpired(): string[] {
    const evicted: string[] = [];
    for (const session of this.sessions.values()) {
      if (!this.expired(session)) continue;
      for (const h of session.handles) this.handles.delete(h);
      this.sessions.delete(session.id);
      evicted.push(session.id);
    }
    return evicted;
  }

  private expired(session: EmulatedSession): boolean {
    return session.activeConnectionId === undefined && session.lastConnectionEndedAt !== undefined && this.clock.now() >= session.lastConnectionEndedAt + this.handleLifetimeMs;
  }
}
