/**
 * One MoonTalk page (the chat view in the side bar, or the editor panel): its HTML,
 * the version handshake, and both directions of the host<->webview protocol
 * (src/protocol/messages.ts). The page's kind is a {@link ChatSurface} adapter, so the
 * WebviewView and the WebviewPanel share all of this.
 *
 * @remarks
 * Ready race: the webview's script may not be listening yet when the host wants to
 * post, and a hidden page whose context is not retained has no document at all.
 * So nothing is posted until the webview says `ready`; `init` then carries the full
 * state, which makes anything posted in between redundant (state is sent as state,
 * not as a log of changes). Hiding such a page resets `ready`; showing it again reloads
 * the document, which sends `ready` again. The model's voice is the one stream that
 * state cannot carry: it goes through the surface hub (surfaceHub.ts), which picks
 * the page that speaks and replays an answer no page could play.
 */
import * as vscode from 'vscode';
import type { Clock } from '../common/clock';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import { MAX_HISTORY_LISTED, MAX_HISTORY_MARKDOWN_CHARS, PROTOCOL_VERSION, isProtocolError, parseToHost, type AudioStatus, type FullState, type ToHost, type ToWebview } from '../protocol/messages';
import { AnswerActions } from './answerActions';
import { assertValid } from './assertValid';
import type { WebviewAudioCapture } from './audioCapture';
import { Commands, type CommandId } from './constants';
import type { HistoryStore } from './history/historyStore';
import { Disposable } from './lifecycle';
import type { ToolService } from './tools/toolService';
import type { ListeningController } from './listeningController';
import { PanelLoadWatchdog } from './panelLoadWatchdog';
import { panelResourceRoots } from './panelHtml';
import type { AnswerChunk } from './answerAudioBuffer';
import type { HubSurface, SurfaceHub } from './surfaceHub';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import { toSettingsView, type Settings } from './settings';
import type { UserMessage } from './userMessages';
import { WebviewMessageGuard, checkMessageValues } from './webviewMessageGuard';

export interface PanelHostDeps {
  extensionUri: vscode.Uri;
  session: SessionController;
  listening: ListeningController;
  /** The page's microphone as the conversation uses it (Start Listening). */
  capture: WebviewAudioCapture;
  /** The page's microphone as dictation uses it (MoonTalk: Dictate in a browser). */
  dictationCapture: WebviewAudioCapture;
  settings: Settings;
  secrets: Secrets;
  logger: Logger;
  /** Validate every outgoing message (development and tests). */
  validateOutgoing: boolean;
  runCommand: (command: CommandId, ...args: unknown[]) => Thenable<unknown>;
  history: HistoryStore;
  tools: ToolService;
  clock: Clock;
  /** How long a visible panel may load before it counts as stuck (PANEL_LOAD_TIMEOUT_MS). */
  loadTimeoutMs: () => number;
  /** The page's HTML with `state` as bootstrap (renderPanelHtml). */
  renderHtml: (webview: vscode.Webview, state: FullState, surface: SurfaceKind) => string;
  /** The pages open now; the one that speaks (surfaceHub.ts). */
  hub: SurfaceHub;
}

export type SurfaceKind = 'view' | 'panel';

/** What differs between the side bar view and the editor panel. */
export interface ChatSurface {
  readonly kind: SurfaceKind;
  readonly webview: vscode.Webview;
  readonly visible: boolean;
  /** The page keeps its document while hidden (retainContextWhenHidden). */
  readonly retainsContext: boolean;
  readonly onDidChangeVisibility: vscode.Event<void>;
  readonly onDidDispose: vscode.Event<void>;
  /** Brings the page into sight; `preserveFocus` leaves the keyboard where it is. */
  reveal(preserveFocus: boolean): void;
}

/** The editor panel as a surface. */
export function panelSurface(panel: vscode.WebviewPanel): ChatSurface {
  return {
    kind: 'panel',
    webview: panel.webview,
    get visible() {
      return panel.visible;
    },
    retainsContext: false,
    onDidChangeVisibility: (listener, thisArg, disposables) => panel.onDidChangeViewState(() => listener.call(thisArg, undefined), undefined, disposables),
    onDidDispose: panel.onDidDispose,
    reveal: (preserveFocus) => {
      if (!panel.active) panel.reveal(undefined, preserveFocus);
    },
  };
}

/** The side bar chat view as a surface. */
export function viewSurface(view: vscode.WebviewView, retainsContext: boolean): ChatSurface {
  return {
    kind: 'view',
    webview: view.webview,
    get visible() {
      return view.visible;
    },
    retainsContext,
    onDidChangeVisibility: view.onDidChangeVisibility,
    onDidDispose: view.onDidDispose,
    reveal: (preserveFocus) => view.show(preserveFocus),
  };
}

export class SurfaceHost extends Disposable implements HubSurface {
  private ready = false;
  /** A version mismatch re-renders once; a second mismatch is a broken install, not a stale cache. */
  private rerendered = false;
  private hasApiKey = false;
  private invalidOutgoingCount = 0;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private readonly postEmitter = this._register(new vscode.EventEmitter<ToWebview>());
  /** Each message this host posted to its page (tests: both pages stay in step). */
  readonly onDidPost: vscode.Event<ToWebview> = this.postEmitter.event;
  /** The page closed (or the host disposed). */
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;
  private readonly stuckEmitter = this._register(new vscode.EventEmitter<void>());
  /** The panel was visible for the load timeout and its webview never said `ready` (panelLoadWatchdog.ts). */
  readonly onDidGetStuck: vscode.Event<void> = this.stuckEmitter.event;
  private readonly loadWatchdog: PanelLoadWatchdog;
  private readonly log: Logger;
  /** Rate limits per message type from the panel (webviewMessageGuard.ts). */
  private readonly guard: WebviewMessageGuard;
  /** Copy, Insert at Cursor and links of the answers (answerActions.ts). */
  private readonly answers = this._register(new AnswerActions());

  constructor(
    readonly surface: ChatSurface,
    private readonly deps: PanelHostDeps,
  ) {
    super();
    this.log = deps.logger.child(surface.kind);
    this.guard = this._register(new WebviewMessageGuard(deps.clock, this.log));
    this.loadWatchdog = this._register(
      new PanelLoadWatchdog(deps.clock, deps.loadTimeoutMs, () => {
        this.log.warn(`the ${surface.kind}'s webview did not say ready within ${Math.round(deps.loadTimeoutMs() / 1000)} s`);
        this.stuckEmitter.fire();
      }),
    );
    surface.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(deps.extensionUri) };
    this._register(surface.onDidDispose(() => this.dispose()));
    this._register(surface.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    this._register(
      surface.onDidChangeVisibility(() => {
        if (!surface.visible) {
          this.loadWatchdog.stop();
          // Without a retained context the document is gone; with one it still plays and listens.
          if (!surface.retainsContext) this.ready = false;
        } else if (!this.ready) {
          // Shown again: the document reloads and says ready.
          this.loadWatchdog.expectReady();
        }
        deps.hub.update();
      }),
    );
    this._register(deps.hub.add(this));
    const { session, listening, settings, secrets } = deps;
    this._register(session.onDidChangeSession((view) => this.post({ type: 'session/stateChanged', session: view })));
    this._register(session.onDidChangeToken((token) => this.post({ type: 'token/statusChanged', token })));
    this._register(
      session.onDidChangeTranscript((c) => this.post(c.type === 'cleared' ? { type: 'transcript/cleared' } : { type: c.type === 'appended' ? 'transcript/appended' : 'transcript/updated', entry: c.entry })),
    );
    this._register(session.onDidReport((r) => this.postError(r.message)));
    this._register(listening.onDidChange(() => this.refreshAudioStatus()));
    this._register(deps.dictationCapture.onDidChangeRunning(() => this.refreshAudioStatus()));
    this._register(listening.onDidMeasureLevel((level) => this.post({ type: 'audio/inputLevel', level })));
    this._register(listening.onDidReport((m) => this.postError(m)));
    this._register(settings.onDidChange((c) => this.post({ type: 'settings/changed', settings: toSettingsView(c.settings) })));
    this._register(deps.history.onDidChange(() => this.postHistoryList()));
    this._register(deps.tools.onDidChangeConfirmations((confirmations) => this.post({ type: 'tools/confirmationsChanged', confirmations })));
    this._register(
      secrets.onDidChange(async () => {
        this.hasApiKey = await secrets.hasApiKey();
        // hasApiKey travels only in the full state: send it again.
        this.post({ type: 'init', version: PROTOCOL_VERSION, state: this.fullState() });
      }),
    );
    this._onDispose(() => {
      this.disposeEmitter.fire();
      this.disposeEmitter.dispose();
    });
    void this.render();
  }

  get kind(): SurfaceKind {
    return this.surface.kind;
  }

  /** True between the webview's `ready` and the page losing its document (hidden without a retained context). */
  get isReady(): boolean {
    return this.ready;
  }

  get visible(): boolean {
    return this.surface.visible;
  }

  playAudio(chunk: AnswerChunk): boolean {
    return this.post({ type: 'audio/play', seq: chunk.seq, pcm: chunk.pcm });
  }

  interruptAudio(): void {
    this.post({ type: 'audio/interrupted' });
  }

  refreshAudioStatus(): void {
    this.post({ type: 'audio/statusChanged', audio: this.audioStatus() });
  }

  /** The listening status as this page sees it: whether it is the one that speaks and captures. */
  private audioStatus(): AudioStatus {
    const status: AudioStatus = { ...this.deps.listening.status, thisSurface: this.deps.hub.isAudioSurface(this) };
    return this.deps.dictationCapture.isRunning ? { ...status, dictating: true } : status;
  }

  /** Outgoing messages dropped by assertValid: a host bug when not 0 (tests). */
  get invalidOutgoing(): number {
    return this.invalidOutgoingCount;
  }

  reveal(preserveFocus = false): void {
    this.surface.reveal(preserveFocus);
  }

  fullState(): FullState {
    const { session, settings } = this.deps;
    return {
      session: session.sessionView,
      token: session.tokenView,
      settings: toSettingsView(settings.current),
      transcript: session.transcriptEntries(),
      audio: this.audioStatus(),
      hasApiKey: this.hasApiKey,
      toolConfirmations: this.deps.tools.confirmations(),
    };
  }

  /** (Re)writes the HTML with the current state as bootstrap; the webview reloads and says `ready` again. */
  private async render(): Promise<void> {
    this.hasApiKey = await this.deps.secrets.hasApiKey().catch(() => false);
    if (this.isDisposed) return;
    this.ready = false;
    this.surface.webview.html = this.deps.renderHtml(this.surface.webview, this.fullState(), this.surface.kind);
    if (this.surface.visible) this.loadWatchdog.expectReady();
  }

  /** Posts when the webview is ready; returns false when the message was not sent. */
  private post(message: ToWebview): boolean {
    if (!this.ready || this.isDisposed) return false;
    if (this.deps.validateOutgoing) {
      try {
        assertValid(message);
      } catch (err) {
        this.invalidOutgoingCount++;
        this.log.error(errorMessage(err));
        return false;
      }
    }
    void this.surface.webview.postMessage(message).then(undefined, (err: unknown) => this.log.debug(`postMessage failed: ${errorMessage(err)}`));
    this.postEmitter.fire(message);
    return true;
  }

  private postHistoryList(): void {
    if (!this.ready) return;
    void this.deps.history.ready().then(() => this.post({ type: 'history/listed', conversations: this.deps.history.list().slice(0, MAX_HISTORY_LISTED) }));
  }

  private postError(message: UserMessage): void {
    this.post({ type: 'error', message: message.text.slice(0, 2_000), ...(message.webviewAction ? { action: message.webviewAction } : {}) });
  }

  /** Panel messages dropped by the rate limit (tests). */
  get droppedIncoming(): number {
    return this.guard.droppedCount;
  }

  private async onMessage(raw: unknown): Promise<void> {
    // Before parsing: a flood costs no more than a counter per message.
    if (!this.guard.admit(typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined)) return;
    const msg = parseToHost(raw);
    if (isProtocolError(msg)) {
      const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type.slice(0, 50) : typeof raw;
      this.log.warn(`dropped a bad message from the panel (type ${type}): ${msg.message}`);
      this.post({ type: 'error', message: vscode.l10n.t('The panel sent a message MoonTalk could not read ({0}); it was ignored.', msg.field) });
      return;
    }
    const valueError = checkMessageValues(msg);
    if (valueError) {
      // Well-formed but out of the settings' bounds: write nothing, say why, and show the panel the settings as they are.
      this.log.warn(`refused ${msg.type} from the panel: ${valueError}`);
      this.post({ type: 'error', message: vscode.l10n.t('The change from the panel was not applied: {0}. Nothing was changed.', valueError) });
      this.post({ type: 'settings/changed', settings: toSettingsView(this.deps.settings.current) });
      return;
    }
    try {
      await this.handle(msg);
    } catch (err) {
      // A handler bug must never break the listener: log, tell the panel, go on.
      this.log.error(`handling ${msg.type} failed: ${errorMessage(err)}`);
      this.post({ type: 'error', message: vscode.l10n.t('MoonTalk could not do that ({0}). Details are in the log.', msg.type), action: 'showLogs' });
    }
  }

  private async handle(msg: ToHost): Promise<void> {
    const { session, listening, capture, settings, runCommand } = this.deps;
    switch (msg.type) {
      case 'ready':
        if (msg.version !== PROTOCOL_VERSION) {
          this.log.warn(`panel speaks protocol ${msg.version}, the host ${PROTOCOL_VERSION}`);
          if (!this.rerendered) {
            this.rerendered = true;
            await this.render();
          } else {
            void vscode.window.showErrorMessage(vscode.l10n.t('The MoonTalk panel does not match the extension (protocol {0} vs {1}). Reinstall the extension; your conversation is kept.', msg.version, PROTOCOL_VERSION));
          }
          return;
        }
        this.ready = true;
        this.loadWatchdog.stop();
        this.log.debug(`${this.surface.kind} ready (client ${msg.clientId})`);
        // The hub first: it may make this page the one that speaks, which `init` then says.
        this.deps.hub.prefer(this);
        this.post({ type: 'init', version: PROTOCOL_VERSION, state: this.fullState() });
        this.postHistoryList();
        this.deps.hub.ready(this);
        return;
      case 'session/connect':
        await session.connect();
        return;
      case 'session/disconnect':
        listening.stop();
        await session.disconnect();
        return;
      case 'session/refresh':
        session.refresh();
        return;
      case 'chat/send':
        // Sending connects when needed (SessionController.sendText); the reply is heard here.
        this.deps.hub.prefer(this);
        await session.sendText(msg.text);
        return;
      case 'token/create':
        await runCommand(Commands.createEphemeralToken);
        return;
      case 'settings/update':
        await settings.update(msg.settings);
        return;
      case 'debug/copy':
        await runCommand(Commands.copyDebugInfo);
        this.post({ type: 'debug/info', json: session.debugInfo().slice(0, 200_000) });
        return;
      case 'audio/start':
        // This page opened its microphone: it captures and speaks.
        this.deps.hub.prefer(this);
        await listening.start();
        return;
      case 'audio/stop':
        listening.stop();
        return;
      case 'audio/setMuted':
        listening.setMuted(msg.muted);
        return;
      case 'audio/stopSpeaking':
        session.stopSpeaking();
        return;
      case 'audio/speaking':
        session.setSpeaking(msg.playing);
        return;
      case 'audio/chunk': {
        // Only the page that speaks captures (surfaceHub.ts): a chunk from another page (one
        // that has not yet heard it lost the microphone) would send the same words twice.
        if (!this.deps.hub.isAudioSurface(this)) return;
        const pcm = msg.pcm instanceof ArrayBuffer ? new Uint8Array(msg.pcm) : new Uint8Array((msg.pcm as ArrayBufferView).buffer, (msg.pcm as ArrayBufferView).byteOffset, (msg.pcm as ArrayBufferView).byteLength);
        capture.acceptChunk(pcm);
        this.deps.dictationCapture.acceptChunk(pcm);
        return;
      }
      case 'audio/captureFailed':
        if (!this.deps.hub.isAudioSurface(this)) {
          this.log.info(`a page that does not capture reported a microphone failure, ignored: ${msg.message}`);
          return;
        }
        capture.acceptFailure(msg.message);
        this.deps.dictationCapture.acceptFailure(msg.message);
        return;
      case 'audio/level':
        return; // the panel draws its own meter; the host has no use for levels yet
      case 'logs/show':
        await runCommand(Commands.showLogs);
        return;
      case 'apiKey/set':
        await runCommand(Commands.setApiKey);
        return;
      case 'history/list':
        this.postHistoryList();
        return;
      case 'history/show': {
        const { history } = this.deps;
        await history.ready();
        const conversation = history.list().find((c) => c.id === msg.id);
        const markdown = history.markdown(msg.id);
        if (!conversation || markdown === undefined) {
          this.post({ type: 'error', message: vscode.l10n.t('That conversation is no longer in the history.') });
          this.postHistoryList();
          return;
        }
        this.post({ type: 'history/shown', id: msg.id, title: conversation.title.slice(0, 200), markdown: markdown.slice(0, MAX_HISTORY_MARKDOWN_CHARS) });
        return;
      }
      case 'history/export':
        await runCommand(Commands.exportConversation, msg.id);
        return;
      case 'tools/confirm':
        if (!this.deps.tools.answer(msg.id, msg.allow, msg.always === true)) this.log.info(`an answer came for tool call ${msg.id}, which no longer waits (cancelled or answered)`);
        return;
      case 'code/copy':
        await this.answers.copy(msg.text);
        return;
      case 'code/insert': {
        const result = await this.answers.insert(msg.code);
        if (result.kind === 'noEditor') this.post({ type: 'error', message: vscode.l10n.t('There is no text editor to insert the code into. Open a file, put the cursor where the code goes, then choose Insert at Cursor again.') });
        else if (result.kind === 'failed') this.post({ type: 'error', message: vscode.l10n.t('The editor did not accept the code (it may be read-only). Nothing was changed.') });
        return;
      }
      case 'link/open':
        if (!(await this.answers.openLink(msg.url))) this.log.info('a link from the panel was not opened (declined, or not http/https)');
        return;
      default: {
        const never: never = msg;
        this.log.warn(`unhandled panel message ${(never as { type: string }).type}`);
      }
    }
  }
}

/** The editor panel (Open in Editor). */
export class PanelHost extends SurfaceHost {
  constructor(
    readonly panel: vscode.WebviewPanel,
    deps: PanelHostDeps,
  ) {
    super(panelSurface(panel), deps);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
  }
}
