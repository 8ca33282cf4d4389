/**
 * Start/Stop Listening: whether the microphone feeds the session. It owns the
 * `listening` flag (mirrored to the `moontalk.listening` context key and to the
 * panel as `audio/statusChanged`), connects first when needed, forwards captured
 * frames to the session (through the silence gate in hands-free mode, so silences are
 * not billed: src/audio/silenceGate.ts), and stops when the session ends.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import { GatedAudioStream } from '../audio/gatedAudioStream';
import { pcm16Rms } from '../audio/pcmLevel';
import type { Redactor } from '../common/redact';
import type { AudioStatus } from '../protocol/messages';
import type { AudioCapture } from './audioCapture';
import { Disposable } from './lifecycle';
import type { SessionController } from './sessionController';
import { captureFailed, type UserMessage } from './userMessages';

export class ListeningController extends Disposable {
  private listening = false;
  /** Listening, but frames are dropped instead of sent (the user muted the microphone). */
  private muted = false;
  /** The capture that runs while listening. */
  private active: AudioCapture | undefined;
  private problem: string | undefined;
  /** Frames on their way to the session while listening; undefined otherwise. */
  private stream: GatedAudioStream | undefined;
  private readonly emitter = this._register(new vscode.EventEmitter<AudioStatus>());
  readonly onDidChange: vscode.Event<AudioStatus> = this.emitter.event;
  private readonly levelEmitter = this._register(new vscode.EventEmitter<number>());
  /** Input level (RMS 0..1) of host capture, at most every 200 ms, for the panel's meter. */
  readonly onDidMeasureLevel: vscode.Event<number> = this.levelEmitter.event;
  private lastLevelAt = 0;
  private readonly reportEmitter = this._register(new vscode.EventEmitter<UserMessage>());
  /** A capture problem to tell the user about. */
  readonly onDidReport: vscode.Event<UserMessage> = this.reportEmitter.event;
  private readonly log: Logger;

  constructor(
    private readonly session: SessionController,
    captures: readonly AudioCapture[],
    /** The capture to use now (the setting moontalk.audio.captureBackend may change at any time). */
    private readonly select: () => AudioCapture,
    private readonly redactor: Redactor,
    logger: Logger,
    /** True in push-to-talk mode (setting moontalk.audio.mode). */
    private readonly pushToTalk: () => boolean = () => false,
    /** Gate silences in hands-free mode (setting moontalk.audio.silenceGating). */
    private readonly silenceGating: () => boolean = () => false,
  ) {
    super();
    this.log = logger.child('audio');
    for (const capture of captures) {
      this._register(
        capture.onDidCapture((pcm) => {
          if (!this.listening || capture !== this.active) return;
          if (!this.muted) this.stream?.push(pcm);
          // The panel meters its own capture; host capture's level has to be sent to it.
          if (capture.backend === 'host') this.reportLevel(pcm);
        }),
      );
      this._register(capture.onDidFail((reason) => capture === this.active && this.fail(reason)));
    }
    this._register(
      session.onDidChangeSession((view) => {
        if (this.listening && (view.state === 'closed' || view.state === 'failed')) {
          this.active?.stop();
          this.setListening(false);
        }
      }),
    );
  }

  get isListening(): boolean {
    return this.listening;
  }

  get status(): AudioStatus {
    const capture = this.active ?? this.select();
    return {
      captureBackend: capture.backend,
      listening: this.listening,
      muted: this.muted,
      problem: (this.problem ?? capture.problem ?? null)?.slice(0, 2_000) ?? null,
    };
  }

  /** Connects if needed, then opens the microphone. */
  async start(): Promise<void> {
    if (this.listening) return;
    const capture = this.select();
    if (capture.problem) {
      this.reportEmitter.fire(captureFailed(capture.problem, this.redactor, vscode.l10n.t));
      return;
    }
    // Capture first, then connect: the session buffers audio while connecting (bounded),
    // so the first words are not lost to the connection setup.
    this.problem = undefined;
    this.active = capture;
    // Push-to-talk brackets each utterance itself (activityStart/End): no gate, no audioStreamEnd.
    this.stream = new GatedAudioStream(this.session, !this.pushToTalk() && this.silenceGating());
    this.setListening(true);
    try {
      await capture.start();
    } catch (err) {
      this.fail(errorMessage(err));
      return;
    }
    if (!this.session.isActive && !(await this.session.connect()) && this.listening) {
      capture.stop();
      this.setListening(false);
      return;
    }
    if (this.pushToTalk()) this.session.markActivity('start');
  }

  /** Closes the microphone and tells the server the audio stream ended. */
  stop(): void {
    if (!this.listening) return;
    this.active?.stop();
    // Push-to-talk ends the utterance explicitly; hands-free tells the server the stream ended.
    if (this.pushToTalk()) this.session.markActivity('end');
    else this.stream?.finish();
    this.setListening(false);
  }

  /** Keeps the microphone open but stops sending it (the meters keep moving). */
  setMuted(muted: boolean): void {
    if (this.muted === muted) return;
    this.muted = muted;
    if (muted) this.stream?.pause();
    this.log.info(muted ? 'microphone muted' : 'microphone unmuted');
    this.emitter.fire(this.status);
  }

  async toggle(): Promise<void> {
    if (this.listening) this.stop();
    else await this.start();
  }

  private reportLevel(pcm: Uint8Array): void {
    const now = Date.now();
    if (now - this.lastLevelAt < 200) return;
    this.lastLevelAt = now;
    this.levelEmitter.fire(pcm16Rms(pcm));
  }

  private fail(reason: string): void {
    this.log.warn(`capture failed: ${reason}`);
    this.active?.stop();
    this.problem = this.redactor.text(reason).slice(0, 2_000);
    this.setListening(false, true);
    this.reportEmitter.fire(captureFailed(reason, this.redactor, vscode.l10n.t));
  }

  private setListening(listening: boolean, force = false): void {
    if (this.listening === listening && !force) return;
    this.listening = listening;
    if (!listening) {
      this.active = undefined;
      const stats = this.stream?.stats;
      // Sizes only (STYLE.md section 7): how much of the microphone the gate kept off the bill.
      if (stats && stats.seenSeconds > 0) this.log.info(`silence gate sent ${stats.sentSeconds.toFixed(1)} s of ${stats.seenSeconds.toFixed(1)} s captured`);
      this.stream = undefined;
    }
    this.log.info(listening ? 'listening' : 'stopped listening');
    this.emitter.fire(this.status);
  }
}

