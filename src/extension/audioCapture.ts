/**
 * Where microphone audio comes from. Two implementations:
 *
 * - {@link WebviewAudioCapture} (here): the panel captures with getUserMedia and an
 *   AudioWorklet and posts 16 kHz PCM16 frames (`audio/chunk`). Works in code-server
 *   and browsers.
 * - {@link HostAudioCapture} (hostAudioCapture.ts): the built-in microphone (pvrecorder,
 *   shipped in the .vsix), else a system recorder (sox/rec, arecord, ffmpeg): needed in
 *   desktop VS Code, whose webviews cannot open the microphone (microsoft/vscode issue
 *   113916; E2E-CODE-SERVER.md).
 */
import * as vscode from 'vscode';
import type { AudioStatus } from '../protocol/messages';
import { Disposable } from './lifecycle';

export interface AudioCapture extends vscode.Disposable {
  readonly backend: AudioStatus['captureBackend'];
  /** Why this capture cannot run here and what to do about it, or undefined when it can. */
  readonly problem: string | undefined;
  /** Begins capturing; frames arrive through {@link onDidCapture}. Rejects with a reason the user can act on. */
  start(): Promise<void>;
  stop(): void;
  /** 16 kHz PCM16 LE mono frames. */
  readonly onDidCapture: vscode.Event<Uint8Array>;
  /** Capture ended on its own (permission denied, device lost); the text says why. */
  readonly onDidFail: vscode.Event<string>;
}

/**
 * Capture in the panel, for one user of the panel's microphone: the conversation (Start
 * Listening) and dictation each have one. Starting reveals a page (the chat view, without
 * focus) when none is up; the page opens its microphone when its `audio/statusChanged`
 * says a user needs it (`listening`, or `dictating`), and the panel host hands each frame
 * to every running one.
 */
export class WebviewAudioCapture extends Disposable implements AudioCapture {
  readonly backend = 'webview' as const;
  readonly problem = undefined;
  private readonly captureEmitter = this._register(new vscode.EventEmitter<Uint8Array>());
  readonly onDidCapture: vscode.Event<Uint8Array> = this.captureEmitter.event;
  private readonly failEmitter = this._register(new vscode.EventEmitter<string>());
  readonly onDidFail: vscode.Event<string> = this.failEmitter.event;
  private readonly runningEmitter = this._register(new vscode.EventEmitter<boolean>());
  /** Fires when this user starts or stops needing the microphone. */
  readonly onDidChangeRunning: vscode.Event<boolean> = this.runningEmitter.event;
  private running = false;

  constructor(private readonly revealPanel: () => Thenable<unknown>) {
    super();
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    this.setRunning(true);
    await this.revealPanel();
  }

  stop(): void {
    this.setRunning(false);
  }

  private setRunning(running: boolean): void {
    if (this.running === running) return;
    this.running = running;
    this.runningEmitter.fire(running);
  }

  /** A frame the panel captured (called by the panel host). Ignored while stopped. */
  acceptChunk(pcm: Uint8Array): void {
    if (this.running) this.captureEmitter.fire(pcm);
  }

  /** The panel could not capture (called by the panel host). */
  acceptFailure(message: string): void {
    if (!this.running) return;
    this.setRunning(false);
    this.failEmitter.fire(message);
  }
}
