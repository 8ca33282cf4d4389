/**
 * One Voice Chat panel: its HTML, the version handshake, and both directions of
 * the host<->webview protocol (src/protocol/messages.ts).
 *
 * @remarks
 * Ready race: the webview's script may not be listening yet when the host wants to
 * post, and a hidden panel (retainContextWhenHidden is off) has no document at all.
 * So nothing is posted until the webview says `ready`; `init` then carries the full
 * state, which makes anything posted in between redundant (state is sent as state,
 * not as a log of changes). Hiding the panel resets `ready`; showing it again reloads
 * the document, which sends `ready` again.
 */
import * as vscode from 'vscode';
import type { Clock } from '../common/clock';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import { MAX_HISTORY_LISTED, MAX_HISTORY_MARKDOWN_CHARS, PROTOCOL_VERSION, isProtocolError, parseToHost, type FullState, type ToHost, type ToWebview } from '../protocol/messages';
import { assertValid } from './assertValid';
import type { WebviewAudioCapture } from './audioCapture';
import { Commands, type CommandId } from './constants';
import type { HistoryStore } from './history/historyStore';
import { Disposable } from './lifecycle';
import type { ToolService } from './tools/toolService';
import type { ListeningController } from './listeningController';
import { PanelLoadWatchdog } from './panelLoadWatchdog';
import { panelResourceRoots } from './panelHtml';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import { toSettingsView, type Settings } from './settings';
import type { UserMessage } from './userMessages';
import { WebviewMessageGuard, checkMessageValues } from './webviewMessageGuard';

export interface PanelHostDeps {
  extensionUri: vscode.Uri;
  session: SessionController;
  listening: ListeningController;
  capture: WebviewAudioCapture;
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
  /** The panel's HTML with `state` as bootstrap (renderPanelHtml). */
  renderHtml: (webview: vscode.Webview, state: FullState) => string;
}

export class PanelHost extends Disposable {
  private ready = false;
  /** A version mismatch re-renders once; a second mismatch is a broken install, not a stale cache. */
  private rerendered = false;
  private hasApiKey = false;
  private invalidOutgoingCount = 0;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** The panel was closed (or the host disposed). */
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;
  private readonly stuckEmitter = this._register(new vscode.EventEmitter<void>());
  /** The panel was visible for the load timeout and its webview never said `ready` (panelLoadWatchdog.ts). */
  readonly onDidGetStuck: vscode.Event<void> = this.stuckEmitter.event;
  private readonly loadWatchdog: PanelLoadWatchdog;
  private readonly log: Logger;
  /** Rate limits per message type from the panel (webviewMessageGuard.ts). */
  private readonly guard: WebviewMessageGuard;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelHostDeps,
  ) {
    super();
    this.log = deps.logger.child('panel');
    this.guard = this._register(new WebviewMessageGuard(deps.clock, this.log));
    this.loadWatchdog = this._register(
      new PanelLoadWatchdog(deps.clock, deps.loadTimeoutMs, () => {
        this.log.warn(`the panel's webview did not say ready within ${Math.round(deps.loadTimeoutMs() / 1000)} s`);
        this.stuckEmitter.fire();
      }),
    );
    panel.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(deps.extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
          this.loadWatchdog.stop();
        } else if (!this.ready) {
          // Shown again: the document reloads and says ready.
          this.loadWatchdog.expectReady();
        }
      }),
    );
    const { session, listening, settings, secrets } = deps;
    this._register(session.onDidChangeSession((view) => this.post({ type: 'session/stateChanged', session: view })));
    this._register(session.onDidChangeToken((token) => this.post({ type: 'token/statusChanged', token })));
    this._register(
      session.onDidChangeTranscript((c) => this.post(c.type === 'cleared' ? { type: 'transcript/cleared' } : { type: c.type === 'appended' ? 'transcript/appended' : 'transcript/updated', entry: c.entry })),
    );
    this._register(session.onDidReceiveAudio((a) => this.post({ type: 'audio/play', seq: a.seq, pcm: a.pcm })));
    this._register(session.onDidInterrupt(() => this.post({ type: 'audio/interrupted' })));
    this._register(session.onDidReport((r) => this.postError(r.message)));
    this._register(listening.onDidChange((audio) => this.post({ type: 'audio/statusChanged', audio })));
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

  /** True between the webview's `ready` and the panel being hidden (tests). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Outgoing messages dropped by assertValid: a host bug when not 0 (tests). */
  get invalidOutgoing(): number {
    return this.invalidOutgoingCount;
  }

  reveal(): void {
    if (!this.panel.active) this.panel.reveal(undefined, false);
  }

  fullState(): FullState {
    const { session, listening, settings } = this.deps;
    return {
      session: session.sessionView,
      token: session.tokenView,
      settings: toSettingsView(settings.current),
      transcript: session.transcriptEntries(),
      audio: listening.status,
      hasApiKey: this.hasApiKey,
      toolConfirmations: this.deps.tools.confirmations(),
    };
  }

  /** (Re)writes the HTML with the current state as bootstrap; the webview reloads and says `ready` again. */
  private async render(): Promise<void> {
    this.hasApiKey = await this.deps.secrets.hasApiKey().catch(() => false);
    if (this.isDisposed) return;
    this.ready = false;
    this.panel.webview.html = this.deps.renderHtml(this.panel.webview, this.fullState());
    if (this.panel.visible) this.loadWatchdog.expectReady();
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
    void this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log.debug(`postMessage failed: ${errorMessage(err)}`));
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
        this.log.debug(`panel ready (client ${msg.clientId})`);
        this.post({ type: 'init', version: PROTOCOL_VERSION, state: this.fullState() });
        this.postHistoryList();
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
        const pcm = msg.pcm instanceof ArrayBuffer ? new Uint8Array(msg.pcm) : new Uint8Array((msg.pcm as ArrayBufferView).buffer, (msg.pcm as ArrayBufferView).byteOffset, (msg.pcm as ArrayBufferView).byteLength);
        capture.acceptChunk(pcm);
        return;
      }
      case 'audio/captureFailed':
        capture.acceptFailure(msg.message);
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
        if (!this.deps.tools.answer(msg.id, msg.allow)) this.log.info(`an answer came for tool call ${msg.id}, which no longer waits (cancelled or answered)`);
        return;
      default: {
        const never: never = msg;
        this.log.warn(`unhandled panel message ${(never as { type: string }).type}`);
      }
    }
  }
}
