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
 * Every decision is made by the pure `transition` (sessionTransition.ts); this class is its
 * driver. It keeps the one state value, maps link ids to sockets and timer names to timers,
 * carries out the effects, and feeds what the outside world answers back in as inputs. All
 * I/O comes in through ports (TransportFactory, CredentialSource, Clock, Random, Logger), so
 * tests drive hours of session time with a fake clock and fake sockets.
 *
 * @example
 * const session = new LiveSession(options, deps);
 * session.onDidEmit((e) => console.log(e.type));
 * await session.connect();
 * session.sendText('hello');
 */
import { DisposableStore, type Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { MoonTalkError, errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import { validateBackoff } from './backoff';
import { validateCompression, type CompressionConfig } from './compression';
import { buildActivity, buildAudioStreamEnd, buildRealtimeAudio, type ClientMessage, type FunctionResponse, type ServerFrame } from './messages';
import { modelProfile } from './models';
import type { Clock } from '../common/clock';
import type { Credential, CredentialSource, Random, Transport, TransportFactory } from './ports';
import type { HandoffReason, SessionEvent, SessionState, SessionStats } from './sessionEvents';
import { publicState, sessionStats, settledLedger, type Context, type Effect, type Input, type LinkId, type State, type TimerName } from './sessionState';
import { appendOutput, initialState, outputEvents, plainOutput, transition } from './sessionTransition';
import type { TurnRecord } from './turnLedger';
import type { LiveSessionOptions, ResumptionSnapshot } from './sessionOptions';

export { DEFAULT_SESSION_OPTIONS, type LiveSessionOptions, type ResumptionSnapshot } from './sessionOptions';

export interface LiveSessionDeps {
  transports: TransportFactory;
  credentials: CredentialSource;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Resumption data saved by an earlier process (state file, SecretStorage). */
  restored?: ResumptionSnapshot;
}

/** A socket we asked for: its credential once known, its transport once upgraded. */
interface LinkRecord {
  credential?: Credential;
  transport?: Transport;
  readonly subs: DisposableStore;
}

/**
 * The transition's functions the driver calls for every frame, read once. Under tsx (the bench
 * and the tests run the sources through it) each use of an imported name is a getter call on
 * the module object, about 10 ns; the bundled build calls them directly either way.
 */
const pure = { transition, plainOutput, appendOutput, outputEvents };

export class LiveSession implements Disposable {
  private readonly emitter: Emitter<SessionEvent>;
  /** Every event of the session, in order. */
  readonly onDidEmit: Event<SessionEvent>;

  private state: State;
  /** Read by every transition. */
  private readonly context: Context;
  private readonly links = new Map<LinkId, LinkRecord>();
  /** The credential of the socket that closed last: a refused one is replaced from it. */
  private retired: { link: LinkId; credential: Credential } | undefined;
  private readonly timers = new Map<TimerName, Disposable>();
  private connectWaiters: Array<{ resolve: () => void; reject: (e: MoonTalkError) => void }> = [];
  private closeWaiters: Array<() => void> = [];
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
    const clock = deps.clock;
    // `now` is read from the clock only when a transition asks for it: most frames never do,
    // and reading the system clock is a measurable share of a frame's cost.
    this.context = {
      get now() {
        return clock.now();
      },
      options,
      profile: modelProfile(options.setup.model),
      credentialMode: deps.credentials.mode,
    };
    this.state = initialState(options, deps.random, deps.restored);
  }

  // ---------------------------------------------------------------- public API

  /** The state as the UI shows it. */
  get publicState(): SessionState {
    return publicState(this.state);
  }

  /**
   * Opens the conversation. Resolves at the first `setupComplete` (like the SDK's
   * `live.connect`); rejects with a MoonTalkError when it cannot start (bad key,
   * reconnects exhausted). Calling it while already connecting or connected joins
   * the same attempt.
   */
  connect(): Promise<void> {
    const kind = this.state.phase.kind;
    if (kind === 'connected' || kind === 'handingOff') return Promise.resolve();
    const waiter = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    this.dispatch({ type: 'connect' });
    return waiter;
  }

  /**
   * Queues a user text turn and returns its number (1-based). Turns go one at a time:
   * the next is sent after the previous one's turnComplete, and a turn cut off by a
   * drop is sent again. Throws a 'queueFull' MoonTalkError rather than dropping input.
   */
  sendText(text: string): number {
    const { phase, ledger } = this.state;
    if (phase.kind === 'closed' || phase.kind === 'failed') throw new MoonTalkError('closed', 'The session is closed; connect again before sending.');
    const max = this.options.ledger.maxQueuedTurns;
    if (ledger.queuedCount >= max) throw new MoonTalkError('queueFull', `Too many turns are waiting (${max}); wait for answers before sending more.`);
    const turn = ledger.lastTurnNumber + 1;
    this.dispatch({ type: 'sendText', text });
    return turn;
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
    this.dispatch({ type: 'sendRealtime', message, bytes });
  }

  /**
   * Answers tool calls on the live connection; throws when there is none. Entries may carry
   * `scheduling` and `willContinue` (a `willContinue: true` entry leaves its call pending).
   * Each answer goes to the connection its call came on; for a background (NON_BLOCKING) call
   * made on a connection since left, the result reaches the model as content instead.
   */
  sendToolResponse(responses: FunctionResponse[]): void {
    const kind = this.state.phase.kind;
    if (kind !== 'connected' && kind !== 'handingOff') throw new MoonTalkError('network', 'Not connected; the message was not sent.');
    this.dispatch({ type: 'toolResponse', responses });
  }

  /**
   * A planned reconnect with the newest handle, through the warm-standby handoff
   * (for "Refresh Session", settings that apply at the next connection, token renewal).
   * With a `deadline` (epoch ms) the switch happens before it even mid-turn, as for goAway.
   */
  refresh(reason: HandoffReason = 'refresh', deadline?: number): void {
    this.dispatch({ type: 'refresh', reason, deadline });
  }

  /**
   * Validates and stores a compression config; it takes effect at the next
   * connection (setup is the only place the API takes it). Throws 'invalidConfig'.
   */
  updateCompressionConfig(config: CompressionConfig): void {
    const error = config.enabled ? validateCompression(config, this.options.setup.model) : undefined;
    if (error) throw new MoonTalkError('invalidConfig', error, { field: 'compression' });
    this.dispatch({ type: 'setCompression', config });
  }

  /** True while a turn is waiting for (or receiving) its answer, background reasoning included. */
  get isAnswering(): boolean {
    return this.state.ledger.inFlight() !== undefined;
  }

  get compressionConfig(): CompressionConfig {
    return { ...this.state.compression };
  }

  /** Ends the conversation on purpose: closes the socket with 1000 and emits `closed`. */
  close(): Promise<void> {
    const phase = this.state.phase;
    if (phase.kind === 'closed' && phase.finished) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (phase.kind !== 'closed') this.dispatch({ type: 'close' });
    return closed;
  }

  /** Resumption data for persistence; contains the handle, so store it as a secret. */
  resumptionSnapshot(): ResumptionSnapshot {
    const { startTime, connections, handoffs, reconnects } = this.state.stats;
    return { ledger: settledLedger(this.state).snapshot(), lastConnectionEndedAt: this.state.lastConnectionEndedAt, startTime, connections, handoffs, reconnects };
  }

  /** A pure read: safe to call on every view refresh. */
  getSessionStats(): SessionStats {
    return sessionStats(this.state, this.options, this.deps.clock.now());
  }

  dispose(): void {
    if (this.state.phase.kind !== 'closed') void this.close();
    this.emitter.dispose();
  }

  // ---------------------------------------------------------------- the driver

  /**
   * The one way anything happens: run the transition, store its state, carry out its effects.
   * A listener that calls back in (an `emit` effect) runs a nested dispatch from the stored
   * state. Anything that throws in here becomes a fatal `error` event and a failed state,
   * never a silent hang.
   */
  private dispatch(input: Input): void {
    let effects: readonly Effect[];
    try {
      const next = pure.transition(this.state, input, this.context);
      this.state = next.state;
      effects = next.effects;
    } catch (error) {
      this.crashed(input, error);
      return;
    }
    for (const effect of effects) {
      try {
        this.run(effect);
      } catch (error) {
        this.crashed(input, error);
      }
    }
  }

  /**
   * A server frame. Most frames of an answer are plain model output (text, audio, output
   * transcription), and the transition says which (`plainOutput`) and what such a frame does
   * (`appendOutput`, `outputEvents`): those are applied here without a whole transition, which
   * halves the session core's cost per frame. Every other frame is dispatched.
   */
  private onFrame(link: LinkId, frame: ServerFrame): void {
    if (!pure.plainOutput(this.state, link, frame)) {
      this.dispatch({ type: 'frame', link, frame });
      return;
    }
    const next = pure.appendOutput(this.state, frame);
    this.state = next;
    // Built from `next`, as a transition's events are: a listener that calls back in changes
    // this.state, not what this frame already said.
    pure.outputEvents(next, frame, this.fire);
  }

  /** Hands one event to the listeners (bound once: the fast path passes it per frame). */
  private readonly fire = (event: SessionEvent): void => this.emitter.fire(event);

  private crashed(input: Input, error: unknown): void {
    this.log.error(`handling ${input.type} threw: ${errorMessage(error)}`);
    if (input.type !== 'crashed') this.dispatch({ type: 'crashed', error });
  }

  private run(e: Effect): void {
    switch (e.type) {
      case 'open':
        void this.openLink(e.link, e.purpose, e.replacing);
        return;
      case 'send': {
        const transport = this.links.get(e.link)?.transport;
        try {
          transport?.send(e.message);
        } catch (err) {
          // A socket that closed an instant ago: its close event, not the sender, decides what follows.
          this.log.debug(`send on a closing socket skipped: ${errorMessage(err)}`);
        }
        return;
      }
      case 'close': {
        const transport = this.links.get(e.link)?.transport;
        const done = transport ? transport.close(e.code, e.reason, this.options.closeAckTimeoutMs) : Promise.resolve();
        void done.then(() => this.dispatch({ type: 'closeDone', link: e.link }));
        return;
      }
      case 'dispose':
        this.links.get(e.link)?.transport?.dispose();
        return;
      case 'startTimer': {
        this.timers.get(e.name)?.dispose();
        const timer = this.deps.clock.setTimeout(() => {
          if (this.timers.get(e.name) !== timer) return;
          this.timers.delete(e.name);
          this.dispatch({ type: 'timer', name: e.name });
        }, e.ms);
        this.timers.set(e.name, timer);
        return;
      }
      case 'cancelTimer':
        this.timers.get(e.name)?.dispose();
        this.timers.delete(e.name);
        return;
      case 'emit':
        this.emitter.fire(e.event);
        return;
      case 'log':
        this.log[e.level](e.message);
        return;
      case 'settleConnect': {
        const waiters = this.connectWaiters;
        this.connectWaiters = [];
        for (const w of waiters) (e.error ? w.reject(e.error) : w.resolve());
        return;
      }
      case 'settleClose': {
        const waiters = this.closeWaiters;
        this.closeWaiters = [];
        for (const w of waiters) w();
        return;
      }
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  /** Credential, then upgrade: the one place a socket is opened. Feeds `opened` or `openFailed` back. */
  private async openLink(link: LinkId, purpose: 'newSession' | 'resume', replacing: LinkId | undefined): Promise<void> {
    const record: LinkRecord = { subs: new DisposableStore() };
    this.links.set(link, record);
    let stage: 'credential' | 'replace' | 'open' = replacing === undefined ? 'credential' : 'replace';
    try {
      if (replacing === undefined) {
        record.credential = await this.deps.credentials.get(purpose);
      } else {
        const refused = this.retired?.link === replacing ? this.retired.credential : this.links.get(replacing)?.credential;
        record.credential = refused ? await this.deps.credentials.replaceRefused(refused) : undefined;
        if (!record.credential) throw new Error('no fresh credential to retry with');
      }
      stage = 'open';
      const transport = await this.deps.transports.open(record.credential);
      record.transport = transport;
      record.subs.add(transport.onFrame((frame) => this.onFrame(link, frame)));
      record.subs.add(transport.onBadFrame(({ error, bytes }) => this.dispatch({ type: 'badFrame', link, error, bytes })));
      record.subs.add(
        transport.onClose((info) => {
          this.forget(link);
          this.dispatch({ type: 'linkClosed', link, info });
        }),
      );
    } catch (error) {
      this.forget(link);
      this.dispatch({ type: 'openFailed', link, stage, error });
      return;
    }
    this.dispatch({ type: 'opened', link });
  }

  private forget(link: LinkId): void {
    const record = this.links.get(link);
    if (!record) return;
    this.links.delete(link);
    record.subs.dispose();
    if (record.credential) this.retired = { link, credential: record.credential };
  }
}

export type { TurnRecord };
