/**
 * The session core's data: one state value, the inputs that move it, and the effects a
 * driver carries out. No sockets, timers or promises here: links and timers are named by id,
 * and `LiveSession` (the driver) maps those ids to the real things.
 */
import type { MoonTalkError } from '../common/errors';
import type { ExponentialBackoff } from './backoff';
import type { CompressionConfig } from './compression';
import type { ClientMessage, FunctionResponse, ServerFrame } from './messages';
import type { ModelProfile } from './models';
import type { CloseInfo, Credential, CredentialPurpose } from './ports';
import type { HandoffReason, SessionEvent, SessionState, SessionStats } from './sessionEvents';
import type { TurnLedger } from './turnLedger';
import type { LiveSessionOptions } from './sessionOptions';

/** One WebSocket, from the moment we ask for it. */
export type LinkId = number;

/** Every timer the session runs; at most one of each at a time. */
export const TIMER_NAMES = ['setup', 'reconnect', 'deadline', 'handleGrace', 'standbyWait', 'uptime', 'response', 'toolReply'] as const;
export type TimerName = (typeof TIMER_NAMES)[number];

/** A handoff in progress, carried by the connecting state that follows the old socket. */
export interface HandoffInfo {
  readonly reason: HandoffReason;
  readonly startedAt: number;
}

export type Standby =
  | { readonly status: 'warming'; readonly link: LinkId }
  | { readonly status: 'ready'; readonly link: LinkId }
  /** Backing off (goAways faster than turns complete): opened when the 'reconnect' timer fires. */
  | { readonly status: 'deferred' }
  | { readonly status: 'none' };

/** The socket a connecting state works with: still opening, or upgraded with its setup out. */
export interface Attempt {
  readonly link: LinkId;
  readonly opened: boolean;
  /** The handle in its setup, if it resumes. */
  readonly handle: string | undefined;
  /** Whether a warm standby was used (reported in the handoff event). */
  readonly warm: boolean;
}

export interface LiveLink {
  readonly link: LinkId;
  readonly connection: number;
  readonly since: number;
  readonly resumed: boolean;
  /** A turn completed on it: a link that works. */
  readonly proven: boolean;
  /** It replaced a link the server sent away: a goAway on it before any turn completes is a storm. */
  readonly afterGoAway: boolean;
}

export type Phase =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'connecting';
      readonly attempt?: Attempt;
      readonly handoff?: HandoffInfo;
      readonly credentialRetried: boolean;
      /** The refusal that made us retry with a fresh credential, for the message if that fails too. */
      readonly refusal?: CloseInfo;
      /** The socket a handoff left; `closed` once its close completed. A 1011 to our resume waits for it. */
      readonly old?: { readonly link: LinkId; readonly closed: boolean };
      /** What this connecting state waits for before it opens anything. */
      readonly waiting?: 'oldClose' | 'oldCloseThenRetry' | 'standby';
      /** The standby to use once it (or the old socket's close) is ready. */
      readonly standby?: Standby;
    }
  | ({ readonly kind: 'connected' } & LiveLink)
  | ({
      readonly kind: 'handingOff';
      readonly reason: HandoffReason;
      readonly deadline?: number;
      readonly standby: Standby;
      /** The grace for the covering handle ran out (or was never needed). */
      readonly graceOver: boolean;
      readonly graceRunning: boolean;
    } & LiveLink)
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  /** `closing`: our sockets whose close handshake is still running; `closed` is emitted when none is left. */
  | { readonly kind: 'closed'; readonly closing: readonly LinkId[]; readonly finished: boolean }
  | { readonly kind: 'failed'; readonly error: MoonTalkError };

export interface AudioItem {
  readonly message: ClientMessage;
  readonly bytes: number;
}

export interface Stats {
  readonly startTime: number | undefined;
  readonly connections: number;
  readonly handoffs: number;
  readonly reconnects: number;
  readonly resumeFailures: number;
  readonly lastGoAway: { timeLeftMs: number; at: number } | undefined;
  readonly lastUsageTotal: number | undefined;
  readonly lastHandoffGapMs: number | undefined;
}

/** Where the in-flight turn stands beyond the ledger. */
export interface TurnFlags {
  /** An interrupted turn was ended early; a turnComplete before new output belongs to it. */
  readonly strayTurnComplete: boolean;
  /** The server said turnComplete with interactionStatus IN_PROGRESS: the turn ends at IDLE. */
  readonly awaitingIdle: boolean;
  /** Response-timeout strikes for the turn in flight (a second one gives up). */
  readonly silentStrikes: number;
  /** A frame arrived since the response timer was armed. */
  readonly heard: boolean;
  /**
   * The response timer is running. It is armed when a turn goes out and left running across
   * turns (it stops itself when it fires with nothing in flight): arming and clearing a Node
   * timer on every turn cost 0.45 µs per server frame in the CPU bench.
   */
  readonly watching: boolean;
  /**
   * Spoken results still to come: a final response to a NON_BLOCKING call that is not SILENT
   * makes the model speak about it as a turn of its own (at once, or when idle). User turns wait
   * behind it, or that speech and its turnComplete would be taken for their answer.
   */
  readonly toolReplies: number;
}

/** A tool call not answered yet: the link it came on (its answer goes there only), and whether it blocks the turn. */
export interface PendingCall {
  readonly link: LinkId;
  /** Declared (or by the model's default) BLOCKING: the model waits for it, so it holds the turn boundary. */
  readonly blocking: boolean;
}

export interface State {
  readonly phase: Phase;
  /** A value: the transition copies it before changing it. */
  readonly ledger: TurnLedger;
  readonly backoff: ExponentialBackoff;
  readonly compression: CompressionConfig;
  /** Realtime input held while no connection can take it, oldest first. */
  readonly audio: readonly AudioItem[];
  readonly audioBytes: number;
  /** Tool calls not answered yet, with the link they came on. */
  readonly pendingCalls: ReadonlyMap<string, PendingCall>;
  readonly turn: TurnFlags;
  /** Model text for the turn in flight not yet written into the ledger (see `settledLedger`). */
  readonly streamed: string;
  readonly lastConnectionEndedAt: number | undefined;
  readonly nextLink: LinkId;
  readonly stats: Stats;
}

/** Everything that happens to a session. */
export type Input =
  | { readonly type: 'connect' }
  | { readonly type: 'close' }
  | { readonly type: 'sendText'; readonly text: string }
  | { readonly type: 'sendRealtime'; readonly message: ClientMessage; readonly bytes: number }
  | { readonly type: 'toolResponse'; readonly responses: readonly FunctionResponse[] }
  | { readonly type: 'refresh'; readonly reason: HandoffReason; readonly deadline?: number }
  | { readonly type: 'setCompression'; readonly config: CompressionConfig }
  | { readonly type: 'opened'; readonly link: LinkId }
  /** `stage`: where it failed: getting a credential, replacing a refused one, or the upgrade. */
  | { readonly type: 'openFailed'; readonly link: LinkId; readonly stage: 'credential' | 'replace' | 'open'; readonly error: unknown }
  | { readonly type: 'frame'; readonly link: LinkId; readonly frame: ServerFrame }
  | { readonly type: 'badFrame'; readonly link: LinkId; readonly error: string; readonly bytes: number }
  | { readonly type: 'linkClosed'; readonly link: LinkId; readonly info: CloseInfo }
  /** Our own close of a link completed (acknowledged, or timed out and destroyed). */
  | { readonly type: 'closeDone'; readonly link: LinkId }
  | { readonly type: 'timer'; readonly name: TimerName }
  /** Something threw while handling an input or running its effects. */
  | { readonly type: 'crashed'; readonly error: unknown };

/** Everything the driver does. */
export type Effect =
  /** Get a credential (or replace the one `replacing` was opened with) and open a socket with it. */
  | { readonly type: 'open'; readonly link: LinkId; readonly purpose: CredentialPurpose; readonly replacing?: LinkId }
  | { readonly type: 'send'; readonly link: LinkId; readonly message: ClientMessage }
  /** Close with a close frame; feed back `closeDone` when it completes. */
  | { readonly type: 'close'; readonly link: LinkId; readonly code: number; readonly reason: string }
  /** Abandon a socket at once (no handshake). */
  | { readonly type: 'dispose'; readonly link: LinkId }
  | { readonly type: 'startTimer'; readonly name: TimerName; readonly ms: number }
  | { readonly type: 'cancelTimer'; readonly name: TimerName }
  | { readonly type: 'emit'; readonly event: SessionEvent }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string }
  | { readonly type: 'settleConnect'; readonly error?: MoonTalkError }
  | { readonly type: 'settleClose' };

/** What a transition reads besides the state: the time, the options and the model's rules. */
export interface Context {
  readonly now: number;
  readonly options: LiveSessionOptions;
  readonly profile: ModelProfile;
  readonly credentialMode: Credential['kind'];
}

export interface Step {
  readonly state: State;
  readonly effects: readonly Effect[];
}

// ------------------------------------------------------------------ pure reads

/** The ledger with the streamed answer written into its turn in flight: what it would hold now. */
export function settledLedger(state: State): TurnLedger {
  if (!state.streamed) return state.ledger;
  const ledger = state.ledger.clone();
  const t = ledger.inFlight();
  if (t) ledger.appendAnswer(t, state.streamed);
  return ledger;
}

/** The link frames are read from and messages sent on, if any. */
export function currentLink(phase: Phase): LinkId | undefined {
  if (phase.kind === 'connected' || phase.kind === 'handingOff') return phase.link;
  if (phase.kind === 'connecting') return phase.attempt?.link;
  return undefined;
}

/** The state as the UI shows it. */
export function publicState(state: State): SessionState {
  const p = state.phase;
  switch (p.kind) {
    case 'idle':
      return { kind: 'idle' };
    case 'closed':
      return { kind: 'closed' };
    case 'connecting':
      return p.handoff ? { kind: 'handingOff', connection: state.stats.connections, reason: p.handoff.reason } : { kind: 'connecting', attempt: state.backoff.attempt };
    case 'connected':
      return { kind: 'connected', connection: p.connection, since: p.since, resumed: p.resumed };
    case 'handingOff':
      return { kind: 'handingOff', connection: p.connection, reason: p.reason, deadline: p.deadline };
    case 'reconnecting':
      return { kind: 'reconnecting', attempt: p.attempt, delayMs: p.delayMs };
    case 'failed':
      return { kind: 'failed', reason: p.error.reason, message: p.error.message };
    default: {
      const never: never = p;
      return never;
    }
  }
}

/**
 * The handle a connection made at `now` may use: resumption on, a handle known, and either a
 * connection live or the last one ended less than `handleLifetimeMs` ago. A read: dropping an
 * expired handle is the transition's business, at the moment a connection is attempted.
 */
export function usableHandle(state: State, options: LiveSessionOptions, now: number): string | undefined {
  if (!options.resumption) return undefined;
  const handle = state.ledger.handle;
  if (!handle) return undefined;
  const live = state.phase.kind === 'connected' || state.phase.kind === 'handingOff';
  const ended = state.lastConnectionEndedAt;
  if (!live && ended !== undefined && now - ended > options.handleLifetimeMs) return undefined;
  return handle;
}

/** Stats for the UI: a pure read of the state, safe to call on every refresh. */
export function sessionStats(state: State, options: LiveSessionOptions, now: number): SessionStats {
  const s = state.stats;
  const trigger = state.compression.enabled ? state.compression.triggerTokens : undefined;
  const kind = publicState(state).kind;
  return {
    state: kind,
    active: kind === 'connected' || kind === 'handingOff',
    hasValidResumptionData: usableHandle(state, options, now) !== undefined,
    duration: s.startTime === undefined ? 0 : now - s.startTime,
    startTime: s.startTime,
    compressionEnabled: state.compression.enabled,
    resumptionEnabled: options.resumption,
    connections: s.connections,
    handoffs: s.handoffs,
    reconnects: s.reconnects,
    resumeFailures: s.resumeFailures,
    lastGoAway: s.lastGoAway,
    lastUsageTotal: s.lastUsageTotal,
    contextFill: trigger && s.lastUsageTotal !== undefined ? s.lastUsageTotal / trigger : undefined,
    lastHandoffGapMs: s.lastHandoffGapMs,
    turns: { total: state.ledger.lastTurnNumber, queued: state.ledger.queuedCount, coveredThrough: state.ledger.coveredThrough },
    model: options.setup.model,
  };
}
