/**
 * One Live conversation that outlives its connections.
 *
 * A connection to the Live API ends about every 10 minutes (with a `goAway` first),
 * breaks on network trouble, and refuses stale handles. LiveSession keeps the
 * conversation going across all of that: it resumes with the newest handle, hands
 * off to a warm standby socket at a turn boundary, reconnects with backoff, and
 * resends exactly the turns a handle does not cover.
 *
 * @remarks
 * All I/O comes in through ports (TransportFactory, CredentialSource, Clock, Random,
 * Logger), so tests drive hours of session time with a fake clock and fake sockets.
 * State lives in one union (`this.state`); each link's listeners check that their link
 * is still the current one, so a late event from an abandoned socket never acts.
 *
 * @example
 * const session = new LiveSession(options, deps);
 * session.onDidEmit((e) => console.log(e.type));
 * await session.connect();
 * session.sendText('hello');
 */
import type { Clock } from '../common/clock';
import { DisposableStore, type Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { MoonTalkError, errorMessage, isMoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import { DEFAULT_BACKOFF, ExponentialBackoff, validateBackoff, type BackoffOptions } from './backoff';
import { DEFAULT_COMPRESSION, toWireCompression, validateCompression, type CompressionConfig } from './compression';
import { parseDurationMs } from './duration';
import {
  buildActivity,
  buildAudioStreamEnd,
  buildClientContent,
  buildRealtimeAudio,
  buildSetup,
  buildToolResponse,
  userText,
  type ClientMessage,
  type FunctionResponse,
  type ServerFrame,
  type SetupOptions,
} from './messages';
import type { CloseInfo, Credential, CredentialSource, Random, Transport, TransportFactory } from './ports';
import type { HandoffReason, SessionEvent, SessionState, SessionStats } from './sessionEvents';
import { classifySetupRefusal } from './closePolicy';
import { DEFAULT_LEDGER_LIMITS, TurnLedger, type LedgerLimits, type LedgerSnapshot, type TurnRecord } from './turnLedger';

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
  ledger: DEFAULT_LEDGER_LIMITS,
};

export interface LiveSessionDeps {
  transports: TransportFactory;
  credentials: CredentialSource;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Resumption data saved by an earlier process (state file, SecretStorage). */
  restored?: ResumptionSnapshot;
}

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

/** One WebSocket and what we know about it. */
interface Link {
  readonly transport: Transport;
  readonly credential: Credential;
  /** The handle sent in its setup, if it resumed. */
  readonly resumedWith: string | undefined;
  readonly subs: DisposableStore;
  connection?: number;
  liveSince?: number;
  /** Set on the new link of a handoff: when the old socket began to close, and whether the standby was warm. */
  handoff?: { reason: HandoffReason; startedAt: number; warm: boolean };
}

type Standby =
  | { status: 'warming' }
  | { status: 'ready'; transport: Transport; credential: Credential }
  | { status: 'failed'; error: unknown };

/** The one state variable. Sockets live here, so no socket exists outside a state that owns it. */
type InternalState =
  | { kind: 'idle' }
  | { kind: 'connecting'; link?: Link; handoff?: HandoffReason; handoffStartedAt?: number; credentialRetried: boolean }
  | { kind: 'connected'; link: Link }
  | {
      kind: 'handingOff';
      link: Link;
      reason: HandoffReason;
      deadline?: number;
      standby: Standby;
      /** Settles when the standby is ready or failed. */
      standbySettled?: Promise<Standby>;
      timer?: Disposable;
      /** Waiting briefly after a turn for the handle that covers it; expires into a switch. */
      handleGrace?: Disposable;
      handleGraceOver?: boolean;
    }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; timer: Disposable }
  | { kind: 'closed' }
  | { kind: 'failed'; error: MoonTalkError };

export class LiveSession implements Disposable {
  private readonly emitter: Emitter<SessionEvent>;
  /** Every event of the session, in order. */
  readonly onDidEmit: Event<SessionEvent>;

  private state: InternalState = { kind: 'idle' };
  private readonly ledger: TurnLedger;
  private backoff: ExponentialBackoff;
  private compression: CompressionConfig;
  private readonly disposables = new DisposableStore();
  /** Realtime input held while no connection can take it, in order; `bytes` counts PCM bytes. */
  private readonly audioBuffer: Array<{ message: ClientMessage; bytes: number }> = [];
  private audioBufferedBytes = 0;
  private readonly pendingToolCalls = new Set<string>();
  private connectWaiters: Array<{ resolve: () => void; reject: (e: MoonTalkError) => void }> = [];
  private uptimeTimer: Disposable | undefined;
  /** The bounded wait for a standby still opening during a switch. */
  private switchWait: Disposable | undefined;
  /** An interrupted turn was ended early; a turnComplete before new output belongs to it. */
  private strayTurnCompleteExpected = false;
  /** With handoffCloseWait 'frame': the old socket's close, still completing while the new setup is out. */
  private oldSocketClosing: Promise<void> | undefined;
  private lastConnectionEndedAt: number | undefined;
  private readonly stats = {
    startTime: undefined as number | undefined,
    connections: 0,
    handoffs: 0,
    reconnects: 0,
    resumeFailures: 0,
    lastGoAway: undefined as { timeLeftMs: number; at: number } | undefined,
    lastUsageTotal: undefined as number | undefined,
    lastHandoffGapMs: undefined as number | undefined,
  };
  private readonly log: Logger;

  constructor(
    private readonly options: LiveSessionOptions,
    private readonly deps: LiveSessionDeps,
  ) {
    this.log = deps.logger.child('core');
    this.emitter = new Emitter<SessionEvent>((err) => this.log.error(`a session listener threw: ${errorMessage(err)}`));
    this.onDidEmit = this.emitter.event;
    const backoffError = validateBackoff(options.backoff);
    if (backoffError) throw new MoonTalkError('invalidConfig', backoffError);
    const compressionError = options.compression.enabled ? validateCompression(options.compression, options.setup.model) : undefined;
    if (compressionError) throw new MoonTalkError('invalidConfig', compressionError);
    this.compression = options.compression;
    this.backoff = new ExponentialBackoff(options.backoff, deps.random);
    this.ledger = deps.restored ? TurnLedger.fromSnapshot(deps.restored.ledger, options.ledger) : new TurnLedger(options.ledger);
    this.lastConnectionEndedAt = deps.restored?.lastConnectionEndedAt;
    this.stats.startTime = deps.restored?.startTime;
    this.stats.connections = deps.restored?.connections ?? 0;
    this.stats.handoffs = deps.restored?.handoffs ?? 0;
    this.stats.reconnects = deps.restored?.reconnects ?? 0;
  }

  // ---------------------------------------------------------------- public API

  /** The state as the UI shows it. */
  get publicState(): SessionState {
    const s = this.state;
    switch (s.kind) {
      case 'idle':
      case 'closed':
        return { kind: s.kind };
      case 'connecting':
        return s.handoff
          ? { kind: 'handingOff', connection: this.stats.connections, reason: s.handoff }
          : { kind: 'connecting', attempt: this.backoff.attempt };
      case 'connected':
        return { kind: 'connected', connection: s.link.connection ?? 0, since: s.link.liveSince ?? 0, resumed: !!s.link.resumedWith };
      case 'handingOff':
        return { kind: 'handingOff', connection: s.link.connection ?? 0, reason: s.reason, deadline: s.deadline };
      case 'reconnecting':
        return { kind: 'reconnecting', attempt: s.attempt, delayMs: s.delayMs };
      case 'failed':
        return { kind: 'failed', reason: s.error.reason, message: s.error.message };
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  /**
   * Opens the conversation. Resolves at the first `setupComplete` (like the SDK's
   * `live.connect`); rejects with a MoonTalkError when it cannot start (bad key,
   * reconnects exhausted). Calling it while already connecting or connected joins
   * the same attempt.
   */
  connect(): Promise<void> {
    const kind = this.state.kind;
    if (kind === 'connected' || kind === 'handingOff') return Promise.resolve();
    const waiter = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (kind === 'idle' || kind === 'closed' || kind === 'failed') {
      this.backoff = this.backoff.reset();
      this.setState({ kind: 'connecting', credentialRetried: false });
      void this.startAttempt();
    }
    return waiter;
  }

  /**
   * Queues a user text turn and returns its number (1-based). Turns go one at a time:
   * the next is sent after the previous one's turnComplete, and a turn cut off by a
   * drop is sent again. Throws a 'queueFull' MoonTalkError rather than dropping input.
   */
  sendText(text: string): number {
    if (this.state.kind === 'closed' || this.state.kind === 'failed') {
      throw new MoonTalkError('closed', 'The session is closed; connect again before sending.');
    }
    const record = this.ledger.enqueue(text);
    if (!record) throw new MoonTalkError('queueFull', `Too many turns are waiting (${this.options.ledger.maxQueuedTurns}); wait for answers before sending more.`);
    this.pump();
    return record.turn;
  }

  /**
   * Sends one chunk of microphone audio (16 kHz PCM16 LE mono, base64). While no
   * connection can take it (connecting, handing off, reconnecting) it is buffered,
   * bounded by `maxBufferedAudioBytes` (oldest dropped first, reported as `audioDropped`).
   */
  sendAudio(base64Pcm: string): void {
    this.sendRealtime(buildRealtimeAudio(base64Pcm), Math.floor((base64Pcm.length * 3) / 4));
  }

  /**
   * Tells the server the microphone stream ended (it may then end the user's turn).
   * Ordered with the audio: buffered behind it when no connection can take it.
   */
  endAudioStream(): void {
    this.sendRealtime(buildAudioStreamEnd(), 0);
  }

  /**
   * Push-to-talk: marks the start or end of the user's speech. Only meaningful when the
   * setup turned automatic activity detection off (`manualActivity`). Ordered with the audio.
   */
  markActivity(kind: 'start' | 'end'): void {
    this.sendRealtime(buildActivity(kind), 0);
  }

  private sendRealtime(message: ClientMessage, bytes: number): void {
    const link = this.state.kind === 'connected' ? this.state.link : undefined;
    if (link && this.audioBuffer.length === 0) {
      if (this.trySend(link, message)) return;
    }
    this.audioBuffer.push({ message, bytes });
    this.audioBufferedBytes += bytes;
    let dropped = 0;
    while (this.audioBufferedBytes > this.options.maxBufferedAudioBytes && this.audioBuffer.length > 1) {
      const oldest = this.audioBuffer.shift()!;
      this.audioBufferedBytes -= oldest.bytes;
      dropped += oldest.bytes;
    }
    if (dropped > 0) this.emit({ type: 'audioDropped', bytes: dropped });
  }

  /** Sends a raw realtime-input or tool message on the live connection; throws when there is none. */
  sendToolResponse(responses: FunctionResponse[]): void {
    for (const r of responses) if (r.id) this.pendingToolCalls.delete(r.id);
    this.sendNow(buildToolResponse(responses));
    this.maybeSwitchAtBoundary();
  }

  /**
   * A planned reconnect with the newest handle, through the warm-standby handoff
   * (for "Refresh Session", settings that apply at the next connection, token renewal).
   * With a `deadline` (epoch ms) the switch happens before it even mid-turn, as for goAway.
   */
  refresh(reason: HandoffReason = 'refresh', deadline?: number): void {
    if (this.state.kind !== 'connected') return;
    this.beginHandoff(reason, deadline);
  }

  /**
   * Validates and stores a compression config; it takes effect at the next
   * connection (setup is the only place the API takes it). Throws 'invalidConfig'.
   */
  updateCompressionConfig(config: CompressionConfig): void {
    const error = config.enabled ? validateCompression(config, this.options.setup.model) : undefined;
    if (error) throw new MoonTalkError('invalidConfig', error, { field: 'compression' });
    this.compression = { ...config };
  }

  /** True while a turn is waiting for (or receiving) its answer. */
  get isAnswering(): boolean {
    return this.ledger.inFlight() !== undefined;
  }

  get compressionConfig(): CompressionConfig {
    return { ...this.compression };
  }

  /** Ends the conversation on purpose: closes the socket with 1000 and emits `closed`. */
  async close(): Promise<void> {
    const s = this.state;
    if (s.kind === 'closed') return;
    this.setState({ kind: 'closed' });
    this.cancelUptimeTimer();
    this.switchWait?.dispose();
    this.switchWait = undefined;
    const closing: Array<Promise<void>> = [];
    if (s.kind === 'connected' || s.kind === 'handingOff') {
      s.link.subs.dispose();
      closing.push(s.link.transport.close(1000, 'client closed', this.options.closeAckTimeoutMs));
      if (s.kind === 'handingOff') this.disposeStandby(s);
    } else if (s.kind === 'connecting' && s.link) {
      s.link.subs.dispose();
      closing.push(s.link.transport.close(1000, 'client closed', this.options.closeAckTimeoutMs));
    } else if (s.kind === 'reconnecting') {
      s.timer.dispose();
    }
    await Promise.all(closing);
    this.markConnectionEnded();
    this.rejectWaiters(new MoonTalkError('closed', 'The session was closed before it connected.'));
    this.emit({ type: 'closed' });
  }

  /** Resumption data for persistence; contains the handle, so store it as a secret. */
  resumptionSnapshot(): ResumptionSnapshot {
    const { startTime, connections, handoffs, reconnects } = this.stats;
    return { ledger: this.ledger.snapshot(), lastConnectionEndedAt: this.lastConnectionEndedAt, startTime, connections, handoffs, reconnects };
  }

  getSessionStats(): SessionStats {
    const now = this.deps.clock.now();
    const trigger = this.compression.enabled ? this.compression.triggerTokens : undefined;
    const kind = this.publicState.kind;
    return {
      state: kind,
      active: kind === 'connected' || kind === 'handingOff',
      hasValidResumptionData: this.usableHandle() !== undefined,
      duration: this.stats.startTime === undefined ? 0 : now - this.stats.startTime,
      startTime: this.stats.startTime,
      compressionEnabled: this.compression.enabled,
      resumptionEnabled: this.options.resumption,
      connections: this.stats.connections,
      handoffs: this.stats.handoffs,
      reconnects: this.stats.reconnects,
      resumeFailures: this.stats.resumeFailures,
      lastGoAway: this.stats.lastGoAway,
      lastUsageTotal: this.stats.lastUsageTotal,
      contextFill: trigger && this.stats.lastUsageTotal !== undefined ? this.stats.lastUsageTotal / trigger : undefined,
      lastHandoffGapMs: this.stats.lastHandoffGapMs,
      turns: { total: this.ledger.lastTurnNumber, queued: this.ledger.queuedCount, coveredThrough: this.ledger.coveredThrough },
      model: this.options.setup.model,
    };
  }

  dispose(): void {
    if (this.state.kind !== 'closed') void this.close();
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---------------------------------------------------------------- connecting

  private async startAttempt(override?: Credential): Promise<void> {
    const handle = this.usableHandle();
    let credential: Credential | undefined = override;
    let transport: Transport;
    try {
      credential ??= await this.deps.credentials.get(handle ? 'resume' : 'newSession');
      transport = await this.deps.transports.open(credential);
    } catch (err) {
      if (this.state.kind !== 'connecting') return;
      this.onOpenFailed(err, credential);
      return;
    }
    const s = this.state;
    if (s.kind !== 'connecting' || s.link) {
      // Closed (or superseded) while we were opening: this socket is nobody's.
      transport.dispose();
      return;
    }
    // A retry inside a handoff (say, a refused standby token) is still that handoff.
    const handoff = s.handoff ? { reason: s.handoff, startedAt: s.handoffStartedAt ?? this.deps.clock.now(), warm: false } : undefined;
    const link = this.makeLink(transport, credential, handle, handoff);
    this.setState({ ...s, link });
    this.sendSetup(link);
  }

  private makeLink(transport: Transport, credential: Credential, handle: string | undefined, handoff: Link['handoff']): Link {
    const link: Link = { transport, credential, resumedWith: handle, subs: new DisposableStore(), handoff };
    link.subs.add(transport.onFrame((frame) => this.onFrame(link, frame)));
    link.subs.add(
      transport.onBadFrame(({ error, bytes }) => {
        this.log.warn(`dropped a server frame we could not parse (${bytes} bytes): ${error}`);
        this.emit({ type: 'error', error: new MoonTalkError('protocol', `Ignored a malformed server frame: ${error}`), fatal: false });
      }),
    );
    link.subs.add(transport.onClose((info) => this.onLinkClosed(link, info)));
    return link;
  }

  private sendSetup(link: Link): void {
    const resumption = this.options.resumption ? { handle: link.resumedWith } : undefined;
    const frame = buildSetup(this.options.setup, resumption, toWireCompression(this.compression));
    this.log.debug(`sending setup${link.resumedWith ? ' with a resumption handle' : ''}`);
    // If the socket closed under us (a refusal right after the upgrade), its close event
    // decides what follows; the setup timer below still bounds the wait.
    this.trySend(link, frame);
    const timer = this.deps.clock.setTimeout(() => {
      if (this.currentLink() !== link || link.liveSince !== undefined) return;
      this.log.warn(`no setupComplete within ${this.options.setupTimeoutMs} ms`);
      link.subs.dispose();
      link.transport.dispose();
      this.onDrop(link, { code: 1006, reason: 'setup timed out' });
    }, this.options.setupTimeoutMs);
    link.subs.add(timer);
  }

  private onOpenFailed(err: unknown, credential: Credential | undefined): void {
    if (credential === undefined && isMoonTalkError(err, 'badKey')) {
      // The key was refused while minting a token: no token existed, so there is nothing to replace.
      this.fail(err);
      return;
    }
    if (isMoonTalkError(err, 'badKey') || isMoonTalkError(err, 'tokenRefused')) {
      void this.onCredentialRefused(credential, err.details.code ?? 401, err.message);
      return;
    }
    if (isMoonTalkError(err, 'tokenMint')) {
      // The token service refused or failed: that is retryable unless it says the key is bad.
      this.scheduleReconnect({ code: 1006, reason: err.message });
      return;
    }
    this.scheduleReconnect({ code: 1006, reason: errorMessage(err) });
  }

  private async onCredentialRefused(credential: Credential | undefined, code: number, reason: string): Promise<void> {
    const s = this.state;
    if (s.kind !== 'connecting') return;
    const mode = this.deps.credentials.mode;
    const replacement = credential && !s.credentialRetried ? await this.deps.credentials.replaceRefused(credential).catch(() => undefined) : undefined;
    if (this.state !== s) return;
    if (!replacement) {
      const why = mode === 'apiKey' ? 'badKey' : 'tokenRefused';
      const text =
        mode === 'apiKey'
          ? `The server refused the API key (${code}: ${reason}). Check GEMINI_API_KEY.`
          : `The server refused the ephemeral token (${code}: ${reason}), and a fresh one was refused too.`;
      this.fail(new MoonTalkError(why, text, { code }));
      return;
    }
    this.log.info(`credential refused (${code}); retrying once with a fresh token`);
    this.setState({ kind: 'connecting', credentialRetried: true, handoff: s.handoff, handoffStartedAt: s.handoffStartedAt });
    void this.startAttempt(replacement);
  }

  private onSetupComplete(link: Link): void {
    const now = this.deps.clock.now();
    this.oldSocketClosing = undefined;
    const s = this.state;
    if (s.kind !== 'connecting' || s.link !== link) return;
    link.liveSince = now;
    link.connection = ++this.stats.connections;
    this.stats.startTime ??= now;
    const resumed = !!link.resumedWith;
    // Plan and send the replay before anyone hears about the connection: a listener that
    // sends a turn on `connected` must find the ledger already settled, or that turn would
    // be taken for a cut-off one and sent twice.
    const plan = this.ledger.planReconnect(resumed);
    if (plan.context.length > 0) {
      this.log.info(`resending ${plan.context.length} context entries the ${resumed ? 'handle does not cover' : 'fresh session lacks'}`);
      this.trySend(link, buildClientContent(plan.context, false));
    }
    this.pendingToolCalls.clear();
    this.setState({ kind: 'connected', link });
    this.emit({ type: 'connected', resumed, connection: link.connection });
    if (link.handoff) {
      const gapMs = now - link.handoff.startedAt;
      this.stats.handoffs++;
      this.stats.lastHandoffGapMs = gapMs;
      this.emit({ type: 'handoff', phase: 'completed', reason: link.handoff.reason, gapMs, warm: link.handoff.warm });
    }
    for (const t of plan.restarted) this.emit({ type: 'turnRestarted', turn: t.turn });
    this.startUptimeTimer(link);
    // Cut-off turns are first in the queue, then anything typed meanwhile; audio after them.
    this.pump();
    if (this.currentLink() === link) this.flushAudio(link);
    this.resolveWaiters();
  }

  // ---------------------------------------------------------------- frames

  private onFrame(link: Link, frame: ServerFrame): void {
    if (this.currentLink() !== link) return;
    if (frame.setupComplete) {
      this.onSetupComplete(link);
      return;
    }
    if (link.liveSince === undefined) {
      this.log.warn('a server frame arrived before setupComplete; ignored');
      return;
    }
    const content = frame.serverContent;
    if (content) {
      const parts = content.modelTurn?.parts ?? [];
      if (parts.length > 0 || content.outputTranscription || content.inputTranscription || frame.toolCall) this.strayTurnCompleteExpected = false;
      for (const part of parts) {
        if (typeof part.text === 'string' && part.text && !part.thought) {
          const t = this.ledger.turnForOutput();
          this.ledger.appendAnswer(t, part.text);
          this.emit({ type: 'text', turn: t.turn, text: part.text, source: 'model' });
        } else if (part.inlineData?.data) {
          const t = this.ledger.turnForOutput();
          this.emit({ type: 'audio', turn: t.turn, data: part.inlineData.data, mimeType: part.inlineData.mimeType ?? 'audio/pcm;rate=24000' });
        }
      }
      if (content.inputTranscription?.text) {
        const t = this.ledger.turnForOutput();
        this.ledger.appendUserTranscript(t, content.inputTranscription.text);
        this.emit({ type: 'inputTranscription', turn: t.turn, text: content.inputTranscription.text });
      }
      if (content.outputTranscription?.text) {
        const t = this.ledger.turnForOutput();
        this.ledger.appendAnswer(t, content.outputTranscription.text);
        this.emit({ type: 'text', turn: t.turn, text: content.outputTranscription.text, source: 'outputTranscription' });
      }
      if (content.interrupted) {
        const t = this.ledger.inFlight();
        if (t) {
          this.emit({ type: 'interrupted', turn: t.turn });
          this.endInterruptedTurn();
        }
      }
      if (content.generationComplete) {
        const t = this.ledger.inFlight();
        if (t) this.emit({ type: 'generationComplete', turn: t.turn });
      }
    }
    if (frame.usageMetadata) {
      const total = Number(frame.usageMetadata.totalTokenCount ?? 0);
      this.stats.lastUsageTotal = total;
      const t = this.ledger.inFlight();
      this.emit({ type: 'usage', turn: t?.turn ?? this.ledger.lastTurnNumber, totalTokenCount: total, usage: frame.usageMetadata });
    }
    if (content?.turnComplete) this.onTurnComplete();
    if (frame.toolCall) {
      const calls = frame.toolCall.functionCalls ?? [];
      for (const c of calls) if (c.id) this.pendingToolCalls.add(c.id);
      const t = this.ledger.turnForOutput();
      this.emit({ type: 'toolCall', turn: t.turn, connection: link.connection ?? 0, calls: calls.map((c) => ({ id: c.id, name: c.name, args: c.args })) });
    }
    if (frame.toolCallCancellation) {
      const ids = frame.toolCallCancellation.ids ?? [];
      for (const id of ids) this.pendingToolCalls.delete(id);
      this.emit({ type: 'toolCallCancellation', ids });
      // Cancellation happens only when the user interrupts the turn (API reference): with no
      // call left pending, the turn is over.
      if (this.pendingToolCalls.size === 0 && this.ledger.inFlight()) this.endInterruptedTurn();
      else this.maybeSwitchAtBoundary();
    }
    if (frame.sessionResumptionUpdate) {
      const { resumable, newHandle } = frame.sessionResumptionUpdate;
      // Only resumable handles are kept: a `resumable:false` update means resuming now would lose data.
      if (this.options.resumption && resumable && newHandle) {
        const covered = this.ledger.recordHandle(newHandle);
        this.emit({ type: 'resumptionUpdate', resumable: true, coveredThrough: covered });
        this.maybeSwitchAtBoundary();
      } else {
        this.emit({ type: 'resumptionUpdate', resumable: false, coveredThrough: this.ledger.coveredThrough });
      }
    }
    if (frame.goAway) {
      const timeLeftMs = parseDurationMs(frame.goAway.timeLeft) ?? 0;
      this.onGoAway(link, timeLeftMs);
    }
  }

  /**
   * An interrupted turn (barge-in, cancelled tool calls) is over: complete it now, so later
   * turns are not held behind it. Whether the service still sends a turnComplete for it
   * is not documented, so one arriving before any new model output is swallowed: it must
   * not complete the next turn early.
   */
  private endInterruptedTurn(): void {
    const done = this.ledger.complete();
    if (!done) return;
    this.strayTurnCompleteExpected = true;
    this.emit({ type: 'turnComplete', turn: done.turn });
    if (!this.maybeSwitchAtBoundary()) this.pump();
  }

  private onTurnComplete(): void {
    if (this.strayTurnCompleteExpected) {
      this.strayTurnCompleteExpected = false;
      this.log.debug('turnComplete for an interrupted turn; already ended');
      return;
    }
    const done = this.ledger.complete();
    if (done) this.emit({ type: 'turnComplete', turn: done.turn });
    if (!this.maybeSwitchAtBoundary()) this.pump();
  }

  // ---------------------------------------------------------------- handoff

  private onGoAway(link: Link, timeLeftMs: number): void {
    const now = this.deps.clock.now();
    const deadline = now + timeLeftMs;
    this.stats.lastGoAway = { timeLeftMs, at: now };
    this.emit({ type: 'goAway', timeLeftMs, deadline });
    const s = this.state;
    if (s.kind === 'handingOff' && s.link === link) {
      // A second warning (or a goAway during a planned refresh): only the deadline changes.
      this.armDeadline(s, deadline);
      return;
    }
    if (s.kind === 'connected' && s.link === link) this.beginHandoff('goAway', deadline);
  }

  /**
   * Opens the next socket now (warm standby: upgraded, no setup yet), and switches at
   * the next turn boundary or shortly before the deadline, whichever comes first.
   */
  private beginHandoff(reason: HandoffReason, deadline: number | undefined): void {
    const s = this.state;
    if (s.kind !== 'connected') return;
    const next: Extract<InternalState, { kind: 'handingOff' }> = { kind: 'handingOff', link: s.link, reason, standby: { status: 'warming' } };
    this.setState(next);
    this.emit({ type: 'handoff', phase: 'started', reason });
    if (deadline !== undefined) this.armDeadline(next, deadline);
    if (this.options.warmStandby) {
      next.standbySettled = this.warmStandby(next);
    } else {
      next.standby = { status: 'failed', error: new Error('warm standby disabled') };
    }
    this.maybeSwitchAtBoundary();
  }

  private armDeadline(s: Extract<InternalState, { kind: 'handingOff' }>, deadline: number): void {
    s.deadline = deadline;
    s.timer?.dispose();
    const now = this.deps.clock.now();
    const timeLeft = deadline - now;
    const margin = Math.min(this.options.handoffMarginMs, timeLeft / 2);
    s.timer = this.deps.clock.setTimeout(() => {
      if (this.state === s) {
        this.log.info('goAway deadline is near; switching connections without waiting for the turn to end');
        void this.switchConnections(s);
      }
    }, Math.max(0, timeLeft - margin));
  }

  private async warmStandby(s: Extract<InternalState, { kind: 'handingOff' }>): Promise<Standby> {
    try {
      const credential = await this.deps.credentials.get(this.usableHandle() ? 'resume' : 'newSession');
      const transport = await this.deps.transports.open(credential);
      if (s.standby.status !== 'warming') {
        // The handoff was abandoned (session closed or failed) while the socket opened.
        transport.dispose();
        return s.standby;
      }
      s.standby = { status: 'ready', transport, credential };
      // A standby that dies before use is forgotten; the switch then connects cold.
      const sub = transport.onClose(() => {
        if (s.standby.status === 'ready' && s.standby.transport === transport) s.standby = { status: 'failed', error: new Error('standby closed') };
        sub.dispose();
      });
    } catch (error) {
      this.log.warn(`warm standby failed: ${errorMessage(error)}; the switch will connect cold`);
      if (s.standby.status === 'warming') s.standby = { status: 'failed', error };
    }
    if (this.state === s) this.maybeSwitchAtBoundary();
    return s.standby;
  }

  /**
   * Switches when handing off, nothing is in flight, and the standby is settled. Right
   * after a turn it first waits briefly (`handleGraceMs`) for the handle that covers that
   * turn, which the service sends just after turnComplete: resuming with it avoids
   * resending the turn as context. Returns true if it switched.
   */
  private maybeSwitchAtBoundary(): boolean {
    const s = this.state;
    if (s.kind !== 'handingOff') return false;
    if (this.ledger.inFlight() || this.pendingToolCalls.size > 0) return false;
    if (s.standby.status === 'warming') return false;
    if (this.options.resumption && this.ledger.hasUncoveredAnswers() && !s.handleGraceOver) {
      s.handleGrace ??= this.deps.clock.setTimeout(() => {
        s.handleGraceOver = true;
        if (this.state === s) this.maybeSwitchAtBoundary();
      }, this.options.handleGraceMs);
      return false;
    }
    s.handleGrace?.dispose();
    void this.switchConnections(s);
    return true;
  }

  private async switchConnections(s: Extract<InternalState, { kind: 'handingOff' }>): Promise<void> {
    if (this.state !== s) return;
    s.timer?.dispose();
    s.handleGrace?.dispose();
    const old = s.link;
    const startedAt = this.deps.clock.now();
    const connecting: Extract<InternalState, { kind: 'connecting' }> = { kind: 'connecting', handoff: s.reason, handoffStartedAt: startedAt, credentialRetried: false };
    this.setState(connecting);
    this.cancelUptimeTimer();
    // Close the old socket first: the service refuses a resume (1011) while an older socket
    // of the same session is still open. 'ack' waits for the server's acknowledgement of the
    // close; 'frame' sends setup right behind our close frame, one round trip sooner, and
    // retries once after the acknowledgement if the service saw the setup first.
    old.subs.dispose();
    const closing = old.transport.close(1000, 'handoff', this.options.closeAckTimeoutMs).then(() => this.markConnectionEnded());
    if (this.options.handoffCloseWait === 'ack') await closing;
    else this.oldSocketClosing = closing;
    if (!this.isState(connecting)) {
      // Closed (or failed) while the old socket was closing: the standby is nobody's.
      this.disposeStandby(s);
      return;
    }
    this.emit({ type: 'disconnected', code: 1000, reason: 'handoff', willReconnect: true });
    await this.setupOnStandby(s, connecting, startedAt);
  }

  /**
   * The second half of every switch: sends setup on the warm standby (waiting for it,
   * bounded, if the deadline came before it finished opening), or connects cold when
   * there is none. Abandons cleanly if the session moved on meanwhile.
   */
  private async setupOnStandby(s: Extract<InternalState, { kind: 'handingOff' }>, connecting: Extract<InternalState, { kind: 'connecting' }>, startedAt: number): Promise<void> {
    let standby = s.standby;
    if (standby.status === 'warming') standby = await this.waitForStandby(s, connecting);
    if (!this.isState(connecting)) {
      this.disposeStandby(s);
      return;
    }
    if (standby.status === 'ready') {
      const link = this.makeLink(standby.transport, standby.credential, this.usableHandle(), { reason: s.reason, startedAt, warm: true });
      this.setState({ ...connecting, link });
      this.sendSetup(link);
      return;
    }
    this.log.info('no warm standby; connecting cold');
    void this.startAttemptForHandoff(connecting, startedAt, s.reason);
  }

  private async startAttemptForHandoff(connecting: Extract<InternalState, { kind: 'connecting' }>, startedAt: number, reason: HandoffReason): Promise<void> {
    const handle = this.usableHandle();
    try {
      const credential = await this.deps.credentials.get(handle ? 'resume' : 'newSession');
      const transport = await this.deps.transports.open(credential);
      if (!this.isState(connecting)) {
        transport.dispose();
        return;
      }
      const link = this.makeLink(transport, credential, handle, { reason, startedAt, warm: false });
      this.setState({ ...connecting, link });
      this.sendSetup(link);
    } catch (err) {
      if (this.isState(connecting)) this.onOpenFailed(err, undefined);
    }
  }

  /**
   * Waits for a standby still opening, at most `setupTimeoutMs`. The timer is owned by
   * the session (`switchWait`), so close() cancels it; nothing polls.
   */
  private waitForStandby(s: Extract<InternalState, { kind: 'handingOff' }>, connecting: InternalState): Promise<Standby> {
    const settled = s.standbySettled ?? Promise.resolve(s.standby);
    return new Promise<Standby>((resolve) => {
      const timer = this.deps.clock.setTimeout(() => {
        this.switchWait = undefined;
        resolve({ status: 'failed', error: new Error('standby timed out') });
      }, this.options.setupTimeoutMs);
      this.switchWait = timer;
      void settled.then((standby) => {
        timer.dispose();
        if (this.switchWait === timer) this.switchWait = undefined;
        resolve(this.isState(connecting) ? standby : s.standby);
      });
    });
  }

  private disposeStandby(s: Extract<InternalState, { kind: 'handingOff' }>): void {
    s.timer?.dispose();
    s.handleGrace?.dispose();
    if (s.standby.status === 'ready') s.standby.transport.dispose();
    s.standby = { status: 'failed', error: new Error('handoff abandoned') };
  }

  // ---------------------------------------------------------------- closes and drops

  private onLinkClosed(link: Link, info: CloseInfo): void {
    if (this.currentLink() !== link) return;
    link.subs.dispose();
    const s = this.state;
    this.log.info(`connection closed: ${info.code} ${info.reason}`);
    if (s.kind === 'handingOff') {
      // The old socket ended before the switch (deadline reached, or a drop): switch now.
      this.markConnectionEnded();
      this.emit({ type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
      const switching: Extract<InternalState, { kind: 'handingOff' }> = s;
      // Its close is done, so the switch must not wait on it.
      void this.switchAfterServerClose(switching);
      return;
    }
    if (s.kind === 'connecting' && link.liveSince === undefined) {
      this.onSetupRefused(link, info);
      return;
    }
    this.onDrop(link, info);
  }

  private async switchAfterServerClose(s: Extract<InternalState, { kind: 'handingOff' }>): Promise<void> {
    s.timer?.dispose();
    s.handleGrace?.dispose();
    const startedAt = this.deps.clock.now();
    const connecting: Extract<InternalState, { kind: 'connecting' }> = { kind: 'connecting', handoff: s.reason, handoffStartedAt: startedAt, credentialRetried: false };
    this.setState(connecting);
    this.cancelUptimeTimer();
    await this.setupOnStandby(s, connecting, startedAt);
  }

  /** The server closed a socket before accepting its setup. The close code says why (closePolicy.ts). */
  private onSetupRefused(link: Link, info: CloseInfo): void {
    const oldClosing = this.oldSocketClosing;
    this.oldSocketClosing = undefined;
    const action = classifySetupRefusal(info.code, { handoffWithOldSocketClosing: !!(link.handoff && oldClosing), resumedWithHandle: !!link.resumedWith });
    if (action === 'retryAfterOldSocketCloses' && link.handoff && oldClosing) {
      // The service saw our setup before our close frame: retry as soon as the close is done.
      const { reason, startedAt } = link.handoff;
      const connecting: Extract<InternalState, { kind: 'connecting' }> = { kind: 'connecting', handoff: reason, handoffStartedAt: startedAt, credentialRetried: false };
      this.setState(connecting);
      this.log.info('resume refused while the old socket was closing; retrying after its close');
      void oldClosing.then(() => {
        if (this.isState(connecting)) void this.startAttemptForHandoff(connecting, startedAt, reason);
      });
      return;
    }
    if (action === 'replaceCredential') {
      void this.onCredentialRefused(link.credential, info.code, info.reason);
      return;
    }
    if (action === 'startFresh') {
      this.stats.resumeFailures++;
      this.ledger.dropHandle();
      this.log.warn(`resumption handle refused (${info.reason}); starting a fresh session`);
      this.emit({ type: 'resumeFailed', reason: info.reason || 'handle refused' });
      this.emit({ type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
      this.setState({ kind: 'connecting', credentialRetried: false });
      void this.startAttempt();
      return;
    }
    if (action === 'failBadSetup') {
      this.fail(new MoonTalkError('badSetup', `The server rejected the session setup (1007: ${info.reason}).`, { code: 1007 }));
      return;
    }
    this.scheduleReconnect(info);
  }

  private onDrop(link: Link, info: CloseInfo): void {
    if (link.liveSince !== undefined) this.markConnectionEnded();
    this.cancelUptimeTimer();
    this.scheduleReconnect(info);
  }

  private scheduleReconnect(info: CloseInfo): void {
    const s = this.state;
    if (s.kind === 'closed' || s.kind === 'failed') return;
    if (this.backoff.exhausted) {
      this.emit({ type: 'disconnected', code: info.code, reason: info.reason, willReconnect: false });
      this.fail(
        new MoonTalkError('gaveUp', `Could not reconnect after ${this.backoff.attempt} attempts (last: ${info.code} ${info.reason}). Your conversation is kept; connect again to resume.`, {
          code: info.code,
        }),
      );
      return;
    }
    this.emit({ type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
    const { delayMs, backoff } = this.backoff.next();
    this.backoff = backoff;
    this.stats.reconnects++;
    const attempt = backoff.attempt;
    const timer = this.deps.clock.setTimeout(() => {
      if (this.state.kind !== 'reconnecting' || this.state.timer !== timer) return;
      this.setState({ kind: 'connecting', credentialRetried: false });
      void this.startAttempt();
    }, delayMs);
    this.setState({ kind: 'reconnecting', attempt, delayMs, timer });
    this.emit({ type: 'reconnecting', attempt, delayMs });
  }

  private fail(error: MoonTalkError): void {
    const s = this.state;
    if (s.kind === 'connected' || s.kind === 'handingOff') {
      s.link.subs.dispose();
      s.link.transport.dispose();
      if (s.kind === 'handingOff') this.disposeStandby(s);
    } else if (s.kind === 'connecting' && s.link) {
      s.link.subs.dispose();
      s.link.transport.dispose();
    } else if (s.kind === 'reconnecting') {
      s.timer.dispose();
    }
    this.cancelUptimeTimer();
    this.setState({ kind: 'failed', error });
    this.log.error(error.message);
    this.emit({ type: 'error', error, fatal: true });
    this.rejectWaiters(error);
  }

  // ---------------------------------------------------------------- helpers

  /** Sends the next queued turn when a connection is live and nothing is in flight. */
  private pump(): void {
    if (this.state.kind !== 'connected') return;
    const link = this.state.link;
    const next = this.ledger.nextToSend();
    if (!next) return;
    this.ledger.markSent(next);
    // A failed send is a socket that is closing: the drop requeues the turn and resends it.
    if (!this.trySend(link, buildClientContent([userText(next.userText)], true))) return;
    this.emit({ type: 'turnSent', turn: next.turn, text: next.userText });
  }

  private flushAudio(link: Link): void {
    while (this.audioBuffer.length > 0 && this.currentLink() === link && this.state.kind === 'connected') {
      const item = this.audioBuffer[0]!;
      // Keep the chunk buffered if the socket is closing: it goes out on the next connection.
      if (!this.trySend(link, item.message)) return;
      this.audioBuffer.shift();
      this.audioBufferedBytes -= item.bytes;
    }
  }

  /**
   * Sends on a link whose socket may have closed an instant ago (the close event is on its
   * way). Returns false instead of throwing: the close handler, not the sender, decides
   * what happens next, so a send can never become an unhandled rejection.
   */
  private trySend(link: Link, message: ClientMessage): boolean {
    try {
      link.transport.send(message);
      return true;
    } catch (err) {
      this.log.debug(`send on a closing socket skipped: ${errorMessage(err)}`);
      return false;
    }
  }

  private sendNow(message: ClientMessage): void {
    const s = this.state;
    if (s.kind !== 'connected' && s.kind !== 'handingOff') {
      throw new MoonTalkError('network', 'Not connected; the message was not sent.');
    }
    s.link.transport.send(message);
  }

  private currentLink(): Link | undefined {
    const s = this.state;
    if (s.kind === 'connected' || s.kind === 'handingOff') return s.link;
    if (s.kind === 'connecting') return s.link;
    return undefined;
  }

  /** The newest handle while it is still valid (about 2 h after the last connection ended). */
  private usableHandle(): string | undefined {
    if (!this.options.resumption) return undefined;
    const handle = this.ledger.handle;
    if (!handle) return undefined;
    const ended = this.lastConnectionEndedAt;
    if (ended !== undefined && this.currentLink()?.liveSince === undefined && this.deps.clock.now() - ended > this.options.handleLifetimeMs) {
      this.log.info('the resumption handle has expired; a fresh session will start');
      this.ledger.dropHandle();
      this.stats.resumeFailures++;
      this.emit({ type: 'resumeFailed', reason: 'expired: the handle is older than its lifetime' });
      return undefined;
    }
    return handle;
  }

  private markConnectionEnded(): void {
    this.lastConnectionEndedAt = this.deps.clock.now();
  }

  private startUptimeTimer(link: Link): void {
    this.cancelUptimeTimer();
    this.uptimeTimer = this.deps.clock.setTimeout(() => {
      if (this.currentLink() === link) this.backoff = this.backoff.reset();
    }, this.options.minUptimeMs);
  }

  private cancelUptimeTimer(): void {
    this.uptimeTimer?.dispose();
    this.uptimeTimer = undefined;
  }

  /** Compares without narrowing: `this.state` changes across awaits, which TypeScript cannot see. */
  private isState(candidate: InternalState): boolean {
    return this.state === candidate;
  }

  private setState(next: InternalState): void {
    this.state = next;
    this.emit({ type: 'stateChanged', state: this.publicState });
  }

  private emit(event: SessionEvent): void {
    this.emitter.fire(event);
  }

  private resolveWaiters(): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private rejectWaiters(error: MoonTalkError): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.reject(error);
  }
}

export type { TurnRecord };
