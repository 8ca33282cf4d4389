/**
 * The facade UI code calls to talk to the extension host (STYLE.md §3): typed
 * commands out (`host.connect()`), validated notifications in. Nothing else in the
 * webview calls postMessage or acquireVsCodeApi.
 *
 * Every incoming message goes through parseToWebview; a bad one is logged with the
 * field that failed, counted (shown in the debug view) and dropped — the listener
 * never throws.
 */
import {
  MAX_LINK_CHARS,
  MAX_TRANSCRIPT_TEXT_CHARS,
  PROTOCOL_VERSION,
  isProtocolError,
  isWebUrl,
  parseToWebview,
  type SettingsView,
  type ToHost,
  type ToWebview,
} from '../src/protocol/messages';
import { toDisposable, type Disposable } from '../src/common/disposable';
import { Emitter, type Event } from '../src/common/event';
import { ReadyHandshake, type Schedule } from './readyHandshake';
import { readUiState, trimForCache, type UiState } from './uiState';

/** The part of the webview API we use (acquireVsCodeApi()). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

export interface RejectedMessage {
  readonly field: string;
  readonly message: string;
  readonly count: number;
}

const browserSchedule: Schedule = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};

/** One throwing view must not starve the others; the error still reaches the devtools console. */
const logListenerError = (err: unknown) => console.error('[panel] listener failed', err);

function randomId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return `wv-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class HostChannel implements Disposable {
  private readonly onDidReceiveEmitter = new Emitter<ToWebview>(logListenerError);
  private readonly onDidRejectEmitter = new Emitter<RejectedMessage>(logListenerError);
  /** A validated message from the host. */
  readonly onDidReceive: Event<ToWebview> = this.onDidReceiveEmitter.event;
  /** A message that failed validation (already logged). */
  readonly onDidReject: Event<RejectedMessage> = this.onDidRejectEmitter.event;

  private ui: UiState;
  private rejected = 0;
  private listening: Disposable | undefined;
  private readonly handshake: ReadyHandshake;

  constructor(
    private readonly api: VsCodeApi,
    private readonly target: Window = window,
    schedule: Schedule = browserSchedule,
  ) {
    this.ui = readUiState(api.getState(), randomId);
    this.api.setState(this.ui);
    this.handshake = new ReadyHandshake(() => this.post({ type: 'ready', version: PROTOCOL_VERSION, clientId: this.ui.clientId }), schedule);
  }

  get rejectedCount(): number {
    return this.rejected;
  }

  /** Persisted UI state (restored after the panel was hidden). */
  get uiState(): UiState {
    return this.ui;
  }

  /** Merges and persists UI state. `lastState` is trimmed to keep every write small. */
  updateUiState(patch: Partial<Omit<UiState, 'v' | 'clientId'>>): void {
    const next = { ...this.ui, ...patch };
    if (patch.lastState) next.lastState = trimForCache(patch.lastState);
    this.ui = next;
    this.api.setState(next);
  }

  /** Starts listening and sends the `ready` handshake. Call once, after views subscribed. */
  start(): void {
    if (this.listening) return;
    const onMessage = (event: MessageEvent) => this.receive(event.data);
    this.target.addEventListener('message', onMessage);
    this.listening = toDisposable(() => this.target.removeEventListener('message', onMessage));
    this.handshake.start();
  }

  /** Validates one raw message; exposed for tests. Never throws. */
  receive(raw: unknown): void {
    let parsed: ReturnType<typeof parseToWebview>;
    try {
      parsed = parseToWebview(raw);
    } catch (err) {
      parsed = { kind: 'protocolError', field: 'message', message: String(err) };
    }
    if (isProtocolError(parsed)) {
      this.rejected++;
      // Log the type and the failing field only: payloads may be large or private.
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type) : typeof raw;
      console.warn(`[panel] dropped invalid message (type ${type}): ${parsed.message}`);
      this.onDidRejectEmitter.fire({ field: parsed.field, message: parsed.message, count: this.rejected });
      return;
    }
    if (parsed.type === 'init') this.handshake.answer();
    this.onDidReceiveEmitter.fire(parsed);
  }

  // ---------------------------------------------------------------- commands

  connect(): void {
    this.post({ type: 'session/connect' });
  }
  disconnect(): void {
    this.post({ type: 'session/disconnect' });
  }
  refresh(): void {
    this.post({ type: 'session/refresh' });
  }
  /** Sends a chat turn. Returns false (nothing sent) for blank text. */
  send(text: string): boolean {
    if (text.trim().length === 0) return false;
    this.post({ type: 'chat/send', text });
    return true;
  }
  createToken(): void {
    this.post({ type: 'token/create' });
  }
  updateSettings(settings: Partial<SettingsView>): void {
    this.post({ type: 'settings/update', settings });
  }
  copyDebug(): void {
    this.post({ type: 'debug/copy' });
  }
  startAudio(): void {
    this.post({ type: 'audio/start' });
  }
  setMuted(muted: boolean): void {
    this.post({ type: 'audio/setMuted', muted });
  }

  stopSpeaking(): void {
    this.post({ type: 'audio/stopSpeaking' });
  }
  speaking(playing: boolean): void {
    this.post({ type: 'audio/speaking', playing });
  }
  stopAudio(): void {
    this.post({ type: 'audio/stop' });
  }
  /** 16 kHz PCM16 LE, sent as binary (structured clone of an ArrayBuffer, never a JSON array). */
  sendAudio(seq: number, pcm: ArrayBuffer): void {
    this.post({ type: 'audio/chunk', seq, pcm });
  }
  captureFailed(message: string): void {
    this.post({ type: 'audio/captureFailed', message: message.slice(0, 2_000) });
  }
  inputLevel(input: number): void {
    this.post({ type: 'audio/level', input: Math.max(0, Math.min(1, input)) });
  }
  showLogs(): void {
    this.post({ type: 'logs/show' });
  }
  setApiKey(): void {
    this.post({ type: 'apiKey/set' });
  }
  listHistory(): void {
    this.post({ type: 'history/list' });
  }
  showHistory(id: string): void {
    this.post({ type: 'history/show', id });
  }
  exportHistory(id: string): void {
    this.post({ type: 'history/export', id });
  }
  /** The user's answer to a tool call waiting for confirmation; `always` also allows the tool from now on. */
  answerTool(id: string, allow: boolean, always = false): void {
    this.post(always ? { type: 'tools/confirm', id, allow, always } : { type: 'tools/confirm', id, allow });
  }

  /** A code block's Copy (the host writes the clipboard). */
  copyCode(text: string): void {
    if (text.length > 0) this.post({ type: 'code/copy', text: text.slice(0, MAX_TRANSCRIPT_TEXT_CHARS) });
  }
  /** A code block's Insert at Cursor. */
  insertCode(code: string, language: string): void {
    if (code.length > 0) this.post({ type: 'code/insert', code: code.slice(0, MAX_TRANSCRIPT_TEXT_CHARS), language: language.slice(0, 50) });
  }
  /** Opens an http(s) link from an answer in the browser; anything else is not sent. */
  openLink(url: string): void {
    if (url.length <= MAX_LINK_CHARS && isWebUrl(url)) this.post({ type: 'link/open', url });
  }

  private post(message: ToHost): void {
    this.api.postMessage(message);
  }

  dispose(): void {
    this.handshake.dispose();
    this.listening?.dispose();
    this.onDidReceiveEmitter.dispose();
    this.onDidRejectEmitter.dispose();
  }
}
