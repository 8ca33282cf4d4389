/**
 * Owns the Live session of this window: builds the LiveClient (createLiveClient) for
 * the chosen backend and auth, bridges the core's events to vscode.EventEmitters in
 * this one place, keeps the transcript view model, and maps state and tokens to the
 * panel's view models.
 *
 * @remarks
 * Settings apply without a reload: compression goes to the live session through
 * `updateCompressionConfig` and a planned refresh (it only enters a `setup` frame);
 * everything else marks the client stale, and the next connect from an idle, closed
 * or failed state builds a new client, carrying the conversation (ledger and handle)
 * over when backend, base URL and model are unchanged.
 *
 * Errors never escape as exceptions from the public methods: they are turned into
 * user text once (userMessages.ts) and fired through {@link onDidReport}.
 */
import * as vscode from 'vscode';
import { systemClock, type Clock } from '../common/clock';
import { DisposableStore } from '../common/disposable';
import { errorMessage, isMoonTalkError, MoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Redactor } from '../common/redact';
import type { LiveEmulator } from '../emulator/liveEmulator';
import type { CompressionConfig } from '../core/compression';
import type { SetupOptions } from '../core/messages';
import type { SessionEvent, SessionState } from '../core/sessionEvents';
import type { TokenEvent, TokenStatus } from '../core/tokens';
import { DEFAULT_SESSION_OPTIONS } from '../core/liveSession';
import { modelProfile, shutDownModel, speaksOnly } from '../core/models';
import { GEMINI_API_BASE_URL } from '../live/endpoints';
import { createLiveClient, type LiveClient } from '../live/liveClient';
import type { SessionView, TokenView, TranscriptEntry } from '../protocol/messages';
import { acceptsInput, isLive } from '../protocol/sessionState';
import { expectedAuthMode, resolveAuth, type AuthMode } from './authResolver';
import type { EmulatorHost } from './emulatorHost';
import type { HistoryStore } from './history/historyStore';
import type { RecorderIds } from './history/historyRecorder';
import { decideRestore, type ResumptionRecord } from './persistence/resumptionRecord';
import type { SessionPersistence } from './persistence/sessionPersistence';
import { planRebuild } from './rebuildPlan';
import type { ToolCallRecord } from './tools/toolCallCoordinator';
import type { ToolService } from './tools/toolService';
import { Disposable } from './lifecycle';
import type { Secrets } from './secrets';
import { toSessionView, toTokenView } from './sessionView';
import type { BackendKind, Settings, SettingsChange, SettingsArea } from './settings';
import { Transcript, type TranscriptChange } from './transcript';
import { describeError, leaseLost, modelShutDown, resumeFellBack, type UserMessage } from './userMessages';

export interface SessionControllerDeps {
  settings: Settings;
  secrets: Secrets;
  emulators: EmulatorHost;
  redactor: Redactor;
  logger: Logger;
  clock?: Clock;
  /** For the debug info. */
  extensionVersion: string;
  /** Keeps the session across window reloads (SecretStorage) and one window per conversation (lease). */
  persistence?: SessionPersistence;
  /** The per-workspace conversation history. */
  history?: HistoryStore;
  /** The editor as tools (function calling). */
  tools?: ToolService;
}

/** A problem to tell the user about; `notify` = also as a VS Code notification (the panel always shows it). */
export interface SessionReport {
  message: UserMessage;
  notify: boolean;
}

/** A chunk of model audio: 24 kHz PCM16 LE mono. */
export interface ModelAudio {
  seq: number;
  pcm: ArrayBuffer;
}

interface ActiveClient {
  live: LiveClient;
  backend: BackendKind;
  baseUrl: string;
  model: string;
  authMode: AuthMode;
  subs: DisposableStore;
  /** Whether this client's session is saved for the next window (off for a second window's own conversation). */
  persist: boolean;
  tools?: ReturnType<ToolService['createCoordinator']>;
  /** Text replies were asked of a model that only speaks: its transcription is shown, its audio not played. */
  muteAudio: boolean;
}

/** Areas whose change needs a new client (they enter the setup, the auth or the transport). */
const REBUILD_AREAS: readonly SettingsArea[] = ['session', 'resumption', 'backend', 'auth', 'reconnect', 'emulator', 'tools'];
const MAX_TOOL_ARGS_SHOWN = 200;
const MAX_RECENT_EVENTS = 100;
const COMPRESSION_REFRESH_DELAY_MS = 300;

export class SessionController extends Disposable {
  private readonly sessionEmitter = this._register(new vscode.EventEmitter<SessionView>());
  /** The session view changed (state, stats, goAway, settings that show in it). */
  readonly onDidChangeSession: vscode.Event<SessionView> = this.sessionEmitter.event;
  private readonly tokenEmitter = this._register(new vscode.EventEmitter<TokenView>());
  readonly onDidChangeToken: vscode.Event<TokenView> = this.tokenEmitter.event;
  private readonly transcriptEmitter = this._register(new vscode.EventEmitter<TranscriptChange>());
  readonly onDidChangeTranscript: vscode.Event<TranscriptChange> = this.transcriptEmitter.event;
  private readonly audioEmitter = this._register(new vscode.EventEmitter<ModelAudio>());
  /** Model audio to play. */
  readonly onDidReceiveAudio: vscode.Event<ModelAudio> = this.audioEmitter.event;
  private readonly interruptEmitter = this._register(new vscode.EventEmitter<void>());
  /** The user barged in: stop playback now and drop queued audio. */
  readonly onDidInterrupt: vscode.Event<void> = this.interruptEmitter.event;
  private readonly speakingEmitter = this._register(new vscode.EventEmitter<boolean>());
  /** The model's voice started or stopped playing in a panel (the `moontalk.speaking` context key). */
  readonly onDidChangeSpeaking: vscode.Event<boolean> = this.speakingEmitter.event;
  private speaking = false;
  /** An answer's audio is still arriving (audio seen, its generationComplete / turnComplete / interrupted not yet). */
  private answerArriving = false;
  /** Stop Speaking came while an answer was arriving: the rest of that answer's audio is dropped. */
  private silencingAnswer = false;
  private readonly reportEmitter = this._register(new vscode.EventEmitter<SessionReport>());
  readonly onDidReport: vscode.Event<SessionReport> = this.reportEmitter.event;

  private client: ActiveClient | undefined;
  /** Settings or secrets changed since the client was built; applies at the next connect. */
  private stale = false;
  private connecting: Promise<boolean> | undefined;
  private goAwayDeadline: number | undefined;
  private lastError: UserMessage | undefined;
  private audioSeq = 0;
  /** Errors already reported through an event, so the rejected connect() does not report them twice. */
  private readonly reported = new WeakSet<object>();
  private readonly recent: Array<{ at: string; event: unknown }> = [];
  /** Coalesces a burst of compression changes (the panel writes four keys) into one refresh. */
  private compressionTimer: vscode.Disposable | undefined;
  /** A compression change arrived while no connection was up: refresh once one is. */
  private refreshOnConnected = false;
  private readonly transcript: Transcript;
  /**
   * Read the stored session at the next build: true at activation (the first connect
   * after a reload resumes) and after another window took the conversation over.
   */
  private restoreFromStorage = true;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly deps: SessionControllerDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger.child('session');
    this.transcript = new Transcript(() => this.clock.now(), vscode.l10n.t);
    this._register(deps.settings.onDidChange((change) => this.onSettingsChanged(change)));
    this._register(
      deps.secrets.onDidChange(() => {
        this.stale = true;
        this.fireSession();
      }),
    );
    if (deps.persistence) {
      this._register(
        deps.persistence.onDidLoseLease(() => {
          const client = this.client;
          if (!client) return;
          // Stop writing at once: the other window's handle is the newer one now.
          client.persist = false;
          this.restoreFromStorage = true;
          this.reportEmitter.fire({ message: leaseLost(vscode.l10n.t), notify: true });
          void client.live.session.close();
        }),
      );
    }
    this._onDispose(() => {
      this.compressionTimer?.dispose();
      if (this.client) this.disposeClient(this.client);
      this.client = undefined;
    });
  }

  // ---------------------------------------------------------------- views

  get state(): SessionState {
    return this.client?.live.session.publicState ?? { kind: 'idle' };
  }

  /** Connected or handing off: the conversation takes input now. */
  get isActive(): boolean {
    return isLive(this.state.kind);
  }

  get sessionView(): SessionView {
    const s = this.deps.settings.current;
    const client = this.client;
    // While a client is in use it is the truth; otherwise the settings say what the next connect does.
    const shown = client && (!this.stale || this.isBusy()) ? client : undefined;
    return toSessionView({
      state: this.state,
      stats: client?.live.session.getSessionStats(),
      model: shown?.model ?? s.model,
      backend: shown?.backend ?? s.backend,
      // The emulator's URL is known once it runs (port 0 until then).
      baseUrl: shown?.baseUrl ?? (s.backend === 'gemini' ? (s.baseUrl ?? GEMINI_API_BASE_URL) : ''),
      authMode: shown?.authMode ?? expectedAuthMode(s),
      goAwayDeadline: this.goAwayDeadline,
      errorMessage: this.lastError?.text,
      now: this.clock.now(),
    }, vscode.l10n.t);
  }

  get tokenView(): TokenView {
    return toTokenView(this.client?.live.tokens?.status());
  }

  /** The current token's status (masked name), or undefined outside token modes. */
  tokenStatus(): TokenStatus | undefined {
    return this.client?.live.tokens?.status();
  }

  /** The compression config the live session will send at its next setup, or undefined before one exists. */
  get compressionConfig(): CompressionConfig | undefined {
    return this.client?.live.session.compressionConfig;
  }

  transcriptEntries(): TranscriptEntry[] {
    return this.transcript.entries();
  }

  /** The emulator serving the current session, if any (tests, debug info). */
  get emulator(): LiveEmulator | undefined {
    return this.deps.emulators.emulator;
  }

  // ---------------------------------------------------------------- actions

  /**
   * Connects (or joins a connect in progress). Resolves true at `setupComplete`,
   * false when it could not connect; the reason has then been reported.
   */
  connect(): Promise<boolean> {
    if (this.isDisposed) return Promise.resolve(false);
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Ends the conversation's connection on purpose. The conversation (turns, handle) is kept for the next connect. */
  async disconnect(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.live.session.close();
  }

  /** A planned reconnect with the newest handle (warm standby). Only while connected. */
  refresh(): boolean {
    const session = this.client?.live.session;
    if (!session || session.publicState.kind !== 'connected') return false;
    session.refresh('refresh');
    return true;
  }

  /**
   * Sends editor context (Ask About Selection / File) as a user turn, so it is answered,
   * after a compact marker line in the transcript and the history.
   */
  async sendContext(message: string, summary: string): Promise<void> {
    if (!this.isBusy() && !(await this.connect())) return;
    this.fireTranscript(this.transcript.note(summary, ['context']));
    this.deps.history?.recorder.contextSent(summary);
    await this.sendText(message);
  }

  /**
   * Before the extension host goes away (deactivate, reload): closes the connection,
   * writes the session for the next window and lets the lease go.
   */
  async shutdown(): Promise<void> {
    // The host may be torn down at any moment (a reload does not wait long): start the
    // writes that need no socket first, then close the socket, then save the final handle.
    const early = Promise.all([this.deps.persistence?.releaseLease(), this.deps.history?.flush()]);
    await this.disconnect().catch(() => undefined);
    await this.deps.persistence?.flush();
    await early;
  }

  /** Sends a user turn, connecting first when needed. */
  async sendText(text: string): Promise<void> {
    if (!this.isBusy() && !(await this.connect())) return;
    try {
      this.client!.live.session.sendText(text);
    } catch (err) {
      this.report(err, true);
    }
  }

  /** One chunk of microphone audio, 16 kHz PCM16 LE mono. Dropped while no session runs. */
  sendAudio(pcm: Uint8Array): void {
    if (!this.isBusy()) return;
    this.client!.live.session.sendAudio(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64'));
  }

  /** The microphone stopped: the server may end the user's turn. */
  endAudioStream(): void {
    if (this.isBusy()) this.client!.live.session.endAudioStream();
  }

  /** Push-to-talk: the user started or stopped speaking. */
  markActivity(kind: 'start' | 'end'): void {
    if (this.isBusy()) this.client!.live.session.markActivity(kind);
  }

  /**
   * Mints an ephemeral token now (Create Ephemeral Token); the next new session uses it.
   * Rejects with a MoonTalkError (reported by the caller): no key, tokens off, mint failed.
   */
  async createToken(): Promise<TokenStatus> {
    let client = this.client;
    if (!client || (this.stale && !this.isBusy())) client = await this.rebuild();
    const tokens = client.live.tokens;
    if (!tokens) throw new MoonTalkError('invalidConfig', 'Ephemeral tokens are turned off (moontalk.tokens.enabled).', { field: 'tokens' });
    await tokens.mint(tokens.current ? 'renewal' : 'first');
    return tokens.status();
  }

  /** Where the active backend listens (starting the emulator if it is the backend); for listing its models. */
  async backendBaseUrl(): Promise<string> {
    const s = this.deps.settings.current;
    if (this.client && this.client.backend === s.backend && this.isBusy()) return this.client.baseUrl;
    return s.backend === 'emulator' ? this.deps.emulators.baseUrl(s.emulator) : (s.baseUrl ?? GEMINI_API_BASE_URL);
  }

  /** Session debug info as pretty JSON, redacted: no key, no token name, no handle. */
  debugInfo(): string {
    const client = this.client;
    const info = {
      extension: this.deps.extensionVersion,
      vscode: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      time: new Date(this.clock.now()).toISOString(),
      session: this.sessionView,
      stats: client?.live.session.getSessionStats(),
      token: this.tokenView,
      settings: { ...this.deps.settings.current, systemInstruction: this.deps.settings.current.systemInstruction ? '<set>' : undefined },
      staleSettings: this.stale,
      transcriptEntries: this.transcript.entries().length,
      emulator: this.deps.emulators.emulator ? { openConnections: this.deps.emulators.emulator.openConnections() } : undefined,
      recentEvents: this.recent,
    };
    return this.deps.redactor.text(JSON.stringify(this.deps.redactor.value(info), null, 2));
  }

  // ---------------------------------------------------------------- internals

  /** Connecting, connected, handing off or reconnecting: the session takes input (buffered if need be). */
  private isBusy(): boolean {
    return acceptsInput(this.state.kind);
  }

  private async doConnect(): Promise<boolean> {
    // A model known to be shut down is refused by the service (1008): say so, with the fix, before connecting.
    const model = this.deps.settings.current.model;
    if (!this.isBusy() && shutDownModel(model)) {
      this.log.warn(`not connecting: the model ${model} is shut down`);
      this.reportEmitter.fire({ message: modelShutDown(model, vscode.l10n.t), notify: true });
      return false;
    }
    let fresh = false;
    const persistence = this.deps.persistence;
    if (persistence && this.deps.settings.current.resumption && !this.isBusy()) {
      // One window per conversation: ask before taking it from another window.
      const claim = await persistence.claim();
      if (this.isDisposed || claim === 'cancelled') return false;
      fresh = claim === 'newConversation';
    }
    let client = this.client;
    if (!client || fresh || (this.stale && !this.isBusy())) {
      try {
        client = await this.rebuild({ fresh });
      } catch (err) {
        this.report(err, true);
        return false;
      }
    }
    this.lastError = undefined;
    try {
      await client.live.session.connect();
      return true;
    } catch (err) {
      if (!(err instanceof Error && this.reported.has(err)) && !isMoonTalkError(err, 'closed')) this.report(err, true);
      return false;
    }
  }

  private async rebuild(options: { fresh?: boolean } = {}): Promise<ActiveClient> {
    const s = this.deps.settings.current;
    const baseUrl = s.backend === 'emulator' ? await this.deps.emulators.baseUrl(s.emulator) : (s.baseUrl ?? GEMINI_API_BASE_URL);
    const auth = await resolveAuth(s, this.deps.secrets);
    if (this.isDisposed) throw new MoonTalkError('closed', 'MoonTalk is shutting down.');
    if (s.backend === 'gemini') void this.deps.emulators.stop();
    const old = this.client;
    const fresh = options.fresh === true;
    const plan = planRebuild({
      fresh,
      restoreFromStorage: this.restoreFromStorage,
      resumption: s.resumption,
      hasPersistence: !!this.deps.persistence,
      old: old && { backend: old.backend, baseUrl: old.baseUrl, model: old.model },
      next: { backend: s.backend, baseUrl, model: s.model },
    });
    const carry = plan.source === 'carryOver';
    let restored = carry ? old?.live.session.resumptionSnapshot() : undefined;
    let continueIds: RecorderIds | undefined;
    let expired = false;
    if (plan.source === 'storage' && this.deps.persistence) {
      const decision = decideRestore(await this.deps.persistence.load(), { backend: s.backend, baseUrl, model: s.model }, this.clock.now(), DEFAULT_SESSION_OPTIONS.handleLifetimeMs);
      if (decision.kind === 'none') {
        if (decision.why === 'otherTarget') this.log.info('the stored session belongs to another backend, endpoint or model; a new conversation starts');
      } else {
        restored = decision.restored;
        continueIds = { conversationId: decision.record.conversationId, sessionId: decision.record.sessionId };
        // After a reload the panel starts empty: show what this conversation already said.
        const earlier = this.deps.history?.get(decision.record.conversationId);
        if (earlier && this.transcript.entries().length === 0) {
          this.fireTranscript(this.transcript.restore(earlier.entries, vscode.l10n.t('Earlier in this conversation, before the window reloaded.')));
        }
        expired = decision.kind === 'fresh' && decision.expired;
        this.log.info(decision.kind === 'resume' ? 'resuming the stored session' : `the stored session ${expired ? 'has expired' : 'has no handle'}; a fresh one starts with its turns as context`);
      }
      if (this.isDisposed) throw new MoonTalkError('closed', 'MoonTalk is shutting down.');
    }
    this.restoreFromStorage = false;
    if (old) {
      this.disposeClient(old);
      this.client = undefined;
      if (plan.announceNewConversation) this.fireTranscript(this.transcript.startConversation(vscode.l10n.t('A new conversation starts ({0}, {1}).', s.model, s.backend)));
    }
    // Models that only speak have no TEXT replies: "text replies" is their output transcription,
    // with the audio not played (the setup never asks such a model for TEXT; it would refuse it).
    const speakOnly = speaksOnly(modelProfile(s.model));
    const toolSource = this.deps.tools;
    const live = createLiveClient({
      baseUrl,
      auth,
      clock: this.clock,
      logger: this.deps.logger,
      redactor: this.deps.redactor,
      restored,
      session: {
        setup: {
          model: s.model,
          responseModality: speakOnly ? 'AUDIO' : s.responseModality,
          ...(speakOnly && s.responseModality === 'TEXT' ? { transcription: true } : {}),
          systemInstruction: s.systemInstruction,
          voiceName: s.voice,
          ...(s.language ? { languageCode: s.language } : {}),
          manualActivity: this.deps.settings.current.audio.mode === 'pushToTalk',
          turnTaking: s.turnTaking,
          // Read at every setup (connect, handoff, reconnect): tools that extensions or MCP
          // servers registered since are declared at the next handoff (lmTools/lmToolService.ts).
          get tools() {
            return toolSource?.declarations();
          },
        },
        resumption: s.resumption,
        compression: s.compression,
        backoff: s.reconnect,
        responseTimeoutMs: s.responseTimeoutMs,
      },
    });
    const subs = new DisposableStore();
    const client: ActiveClient = {
      live,
      backend: s.backend,
      baseUrl,
      model: s.model,
      authMode: auth.mode,
      subs,
      persist: plan.persist,
      muteAudio: speakOnly && s.responseModality === 'TEXT',
    };
    if (this.deps.tools) {
      const tools = this.deps.tools.createCoordinator({
        liveConnection: () => {
          const st = live.session.publicState;
          return st.kind === 'connected' || st.kind === 'handingOff' ? st.connection : undefined;
        },
        send: (r) => live.session.sendToolResponse([r]),
      });
      client.tools = subs.add(tools);
      subs.add(tools.onDidRecord((r) => this.onToolRecord(client, r)));
    }
    subs.add(live.session.onDidEmit((e) => this.onSessionEvent(client, e)));
    if (live.tokens) subs.add(live.tokens.onDidChange((e) => this.onTokenEvent(client, e)));
    this.client = client;
    this.stale = false;
    if (!carry) this.deps.history?.recorder.start(s.backend, s.model, continueIds);
    if (expired) this.resumeFellBack('the stored handle expired');
    this.log.info(
      `new client: backend ${s.backend}, ${auth.mode} auth, model ${s.model}${carry ? ', conversation carried over' : ''}${client.muteAudio ? ', text replies through transcription (audio not played)' : ''}`,
    );
    this.fireSession();
    this.tokenEmitter.fire(this.tokenView);
    return client;
  }

  /**
   * A short-lived session beside the conversation (dictation, a voice sample): the same backend
   * and credentials, its own setup, no resumption, no compression, nothing in the transcript or
   * the history. The caller connects and disposes it.
   */
  async openSideSession(setup: SetupOptions): Promise<LiveClient> {
    const s = this.deps.settings.current;
    const baseUrl = s.backend === 'emulator' ? await this.deps.emulators.baseUrl(s.emulator) : (s.baseUrl ?? GEMINI_API_BASE_URL);
    const auth = await resolveAuth(s, this.deps.secrets);
    if (this.isDisposed) throw new MoonTalkError('closed', 'MoonTalk is shutting down.');
    return createLiveClient({
      baseUrl,
      auth,
      clock: this.clock,
      logger: this.deps.logger,
      redactor: this.deps.redactor,
      session: { setup, resumption: false, compression: { ...s.compression, enabled: false }, backoff: s.reconnect, responseTimeoutMs: s.responseTimeoutMs },
    });
  }

  /** Plays audio that is not the conversation's (a voice sample) in the open panels. */
  playAudio(pcm: ArrayBuffer): void {
    this.audioEmitter.fire({ seq: this.audioSeq++, pcm });
  }

  /** Whether the model's voice is playing in a panel, as the panel last said. */
  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** A panel says its playback started or stopped. */
  setSpeaking(playing: boolean): void {
    if (playing === this.speaking) return;
    this.speaking = playing;
    this.speakingEmitter.fire(playing);
  }

  /**
   * Stop Speaking (command, button, Escape in the panel): the panels drop what they have queued
   * at once (the same `audio/interrupted` a barge-in sends), and audio still coming for that
   * answer is not played. The model is not told: its answer goes on as text in the transcript,
   * and the next turn plays as usual.
   */
  stopSpeaking(): void {
    // Only an answer still arriving has audio to drop; one fully received is silenced by the flush alone.
    if (this.answerArriving) this.silencingAnswer = true;
    this.interruptEmitter.fire();
    this.setSpeaking(false);
  }

  /** The answer being spoken is over (or a new turn starts): its audio, if silenced, is no longer dropped. */
  private endOfAnswer(): void {
    this.answerArriving = false;
    this.silencingAnswer = false;
  }

  private disposeClient(client: ActiveClient): void {
    client.subs.dispose();
    client.live.session.dispose();
    client.live.tokens?.dispose();
  }

  private onSessionEvent(client: ActiveClient, e: SessionEvent): void {
    if (client !== this.client) return;
    this.remember(e);
    this.fireTranscript(this.transcript.apply(e));
    this.deps.history?.recorder.apply(e);
    this.persist(client, e);
    // Where a spoken answer ends for Stop Speaking: its turn completed, a new turn began, or the
    // link went. Not at generationComplete: until turnComplete any audio is still this turn's.
    if (e.type === 'turnComplete' || e.type === 'turnSent' || e.type === 'disconnected' || e.type === 'closed') this.endOfAnswer();
    switch (e.type) {
      case 'stateChanged':
        if (e.state.kind !== 'handingOff') this.goAwayDeadline = undefined;
        if (e.state.kind === 'connecting' && this.lastError) this.lastError = undefined;
        this.fireSession();
        break;
      case 'goAway':
        this.goAwayDeadline = e.deadline;
        this.log.info(`goAway: ${e.timeLeftMs} ms left`);
        this.fireSession();
        break;
      case 'connected':
        if (this.refreshOnConnected) {
          this.refreshOnConnected = false;
          client.live.session.refresh('refresh');
        }
        this.fireSession();
        break;
      case 'handoff':
      case 'usage':
      case 'resumptionUpdate':
      case 'reconnecting':
      case 'disconnected':
      case 'closed':
        this.fireSession();
        break;
      case 'audio': {
        if (client.muteAudio) break;
        this.answerArriving = true;
        // Stop Speaking: the rest of that answer stays silent (the text still reaches the transcript).
        if (this.silencingAnswer) break;
        const bytes = Buffer.from(e.data, 'base64');
        // A fresh ArrayBuffer of exactly these bytes: Buffer.from may share a larger pool.
        const pcm = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        this.audioEmitter.fire({ seq: this.audioSeq++, pcm });
        break;
      }
      case 'interrupted':
        this.endOfAnswer();
        this.interruptEmitter.fire();
        break;
      case 'audioDropped':
        this.log.warn(`dropped ${e.bytes} bytes of microphone audio while no connection could take it`);
        break;
      case 'error':
        this.reported.add(e.error);
        this.report(e.error, e.fatal);
        if (e.fatal) this.fireSession();
        break;
      case 'resumeFailed':
        this.resumeFellBack(e.reason);
        break;
      case 'toolCall': {
        const st = client.live.session.publicState;
        const connection = st.kind === 'connected' || st.kind === 'handingOff' ? st.connection : 0;
        if (client.tools) client.tools.onToolCall(e.turn, connection, e.calls);
        else this.answerToolsOff(client, e.calls);
        break;
      }
      case 'toolCallCancellation':
        client.tools?.onCancellation(e.ids);
        break;
      default:
        break;
    }
  }

  /** A refused or expired handle: a fresh session started with the turns as context. Said once, clearly. */
  private resumeFellBack(reason: string): void {
    this.log.warn(`could not resume (${reason}); a fresh session starts with the earlier turns as context`);
    this.reportEmitter.fire({ message: resumeFellBack(vscode.l10n.t), notify: true });
  }

  /** Writes the session for the next window as it changes; on close, at once, and lets the lease go. */
  private persist(client: ActiveClient, e: SessionEvent): void {
    const persistence = this.deps.persistence;
    if (!persistence || !client.persist) return;
    const save = () => persistence.scheduleSave(() => (client.persist ? this.resumptionRecord(client) : undefined));
    switch (e.type) {
      case 'resumptionUpdate':
        if (e.resumable) save();
        break;
      case 'turnComplete':
      case 'connected':
        save();
        break;
      case 'closed':
        save();
        void persistence.flush().then(() => persistence.releaseLease());
        break;
      case 'error':
        if (e.fatal) void persistence.flush().then(() => persistence.releaseLease());
        break;
      default:
        break;
    }
  }

  private resumptionRecord(client: ActiveClient): ResumptionRecord {
    const ids = this.deps.history?.recorder.current ?? { conversationId: 'unrecorded', sessionId: 'unrecorded' };
    return {
      v: 1,
      backend: client.backend,
      baseUrl: client.baseUrl,
      model: client.model,
      savedAt: this.clock.now(),
      conversationId: ids.conversationId,
      sessionId: ids.sessionId,
      snapshot: client.live.session.resumptionSnapshot(),
    };
  }

  /** Tools are off but the model called one anyway: every call still gets an answer. */
  private answerToolsOff(client: ActiveClient, calls: ReadonlyArray<{ id?: string; name?: string }>): void {
    for (const c of calls) {
      if (!c.id) continue;
      try {
        client.live.session.sendToolResponse([{ id: c.id, name: c.name, response: { error: 'Editor tools are turned off (moontalk.tools.enabled).' } }]);
      } catch (err) {
        this.log.warn(`could not answer tool call ${c.id}: ${errorMessage(err)}`);
      }
    }
  }

  private onToolRecord(client: ActiveClient, r: ToolCallRecord): void {
    if (client !== this.client) return;
    const args = JSON.stringify(r.args);
    const shownArgs = args.length > MAX_TOOL_ARGS_SHOWN ? `${args.slice(0, MAX_TOOL_ARGS_SHOWN - 1)}…` : args;
    const output = typeof r.output === 'string' ? r.output : JSON.stringify(r.output ?? null);
    const shownOutput = output.length > MAX_TOOL_ARGS_SHOWN ? `${output.slice(0, MAX_TOOL_ARGS_SHOWN - 1)}…` : output;
    let status: string;
    switch (r.status) {
      case 'pending':
        status = vscode.l10n.t('waiting for your answer');
        break;
      case 'running':
        status = vscode.l10n.t('running');
        break;
      case 'ok':
        status = vscode.l10n.t('done: {0}', shownOutput);
        break;
      case 'declined':
        status = vscode.l10n.t('declined');
        break;
      case 'cancelled':
        status = vscode.l10n.t('cancelled by Gemini');
        break;
      case 'error':
        status = vscode.l10n.t('failed: {0}', shownOutput);
        break;
      default: {
        const never: never = r.status;
        status = String(never);
      }
    }
    this.fireTranscript(this.transcript.toolCall(r.key, vscode.l10n.t('Tool {0} {1}: {2}', r.name, shownArgs, status)));
    this.deps.history?.recorder.toolCall(r.turn, { callId: r.callId, name: r.name, args: r.args, status: r.status === 'running' ? 'pending' : r.status, output: r.output });
  }

  private onTokenEvent(client: ActiveClient, e: TokenEvent): void {
    if (client !== this.client) return;
    if (e.type === 'minted') this.log.info(`token minted (${e.reason}): ${e.status.name ?? ''}`);
    else if (e.type === 'mintFailed') this.log.warn(`token mint failed: ${e.error.message}`);
    this.tokenEmitter.fire(this.tokenView);
  }

  private onSettingsChanged(change: SettingsChange): void {
    const session = this.client?.live.session;
    if (change.areas.has('compression') && session) {
      try {
        session.updateCompressionConfig(change.settings.compression);
        this.scheduleCompressionRefresh();
      } catch (err) {
        this.report(err, true);
      }
    }
    if (REBUILD_AREAS.some((a) => change.areas.has(a))) {
      this.stale = true;
      if (this.isBusy()) this.log.info(`settings changed (${[...change.areas].join(', ')}); they apply at the next connect`);
    }
    this.fireSession();
  }

  /**
   * The API takes compression only in `setup`, so a planned handoff applies it. Waits
   * a moment first, so that several keys written together make one handoff; when no
   * connection is up then, the next `connected` triggers it (a setup sent before the
   * last change may have carried the old config).
   */
  private scheduleCompressionRefresh(): void {
    this.compressionTimer?.dispose();
    this.compressionTimer = this.clock.setTimeout(() => {
      this.compressionTimer = undefined;
      const session = this.client?.live.session;
      if (!session) return;
      if (session.publicState.kind === 'connected') {
        this.log.info('compression changed; refreshing the connection to apply it');
        session.refresh('refresh');
      } else if (this.isBusy()) {
        this.refreshOnConnected = true;
      }
    }, COMPRESSION_REFRESH_DELAY_MS);
  }

  private report(err: unknown, notify: boolean): void {
    const message = describeError(err, this.deps.redactor, vscode.l10n.t);
    this.log.error(`${isMoonTalkError(err) ? err.reason : 'error'}: ${errorMessage(err)}`);
    if (message.severity === 'error') this.lastError = message;
    this.reportEmitter.fire({ message, notify: notify && message.severity !== 'info' });
  }

  private remember(e: SessionEvent): void {
    if (e.type === 'audio' || e.type === 'text' || e.type === 'inputTranscription') return; // content stays out of debug info
    const event = e.type === 'turnSent' ? { type: e.type, turn: e.turn, chars: e.text.length } : e.type === 'error' ? { type: e.type, reason: e.error.reason, message: e.error.message, fatal: e.fatal } : e;
    this.recent.push({ at: new Date(this.clock.now()).toISOString(), event: this.deps.redactor.value(event) });
    if (this.recent.length > MAX_RECENT_EVENTS) this.recent.shift();
  }

  private fireSession(): void {
    if (!this.isDisposed) this.sessionEmitter.fire(this.sessionView);
  }

  private fireTranscript(changes: TranscriptChange[]): void {
    for (const c of changes) this.transcriptEmitter.fire(c);
  }
}
