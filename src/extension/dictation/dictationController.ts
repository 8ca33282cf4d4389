/**
 * MoonTalk: Dictate. Streams the microphone to the speech-to-text Live model (the table's
 * `transcription` model) in a session of its own, beside any conversation, and types the
 * input transcription, verbatim, where the focus is: an editor, the Source Control message
 * box, any text editor (VS Code's `type` command, which goes to the focused editor widget and
 * honours multiple cursors). No chat model sees the words, so nothing is rewritten.
 *
 * Audio comes from the microphone the conversation would use (dictationMicrophone.ts): the
 * extension host's on desktop, the chat view's in a browser (opened without focus when no page is up).
 *
 * Stopping (Stop Dictation, Escape while `moontalk.dictating`) ends the audio stream so the
 * service transcribes the last words, waits for them (bounded), then closes the session.
 */
import * as vscode from 'vscode';
import { pcm16Rms } from '../../audio/pcmLevel';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { SetupOptions } from '../../core/messages';
import { transcriptionModel } from '../../core/models';
import type { SessionEvent } from '../../core/sessionEvents';
import type { LiveClient } from '../../live/liveClient';
import type { AudioCapture } from '../audioCapture';
import { Disposable } from '../lifecycle';
import type { Settings } from '../settings';
import { DictationText } from './dictationText';

/** How long Stop waits for the transcription of the last words before closing. */
export const DICTATION_FLUSH_TIMEOUT_MS = 4_000;
/** A frame at least this loud (RMS 0..1, -40 dBFS: quiet speech) may hold words not transcribed yet. */
const VOICED_RMS = 0.01;

export interface DictationDeps {
  readonly settings: Settings;
  readonly logger: Logger;
  /** Opens a session on the current backend with this setup (SessionController.openSideSession). */
  openSession(setup: SetupOptions): Promise<LiveClient>;
  /** The microphone to dictate from, or why there is none here (a sentence for the user). */
  microphone(): AudioCapture | { unavailable: string };
  /** Types text where the focus is. */
  type(text: string): Thenable<unknown>;
  /** Shows an error to the user. */
  showError(message: string): void;
}

export type DictationState = 'idle' | 'starting' | 'running' | 'stopping';

export class DictationController extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<DictationState>());
  /** Fires when dictation starts, stops, or moves between the two. */
  readonly onDidChange: vscode.Event<DictationState> = this.changeEmitter.event;
  private current: DictationState = 'idle';
  private run:
    | {
        client: LiveClient;
        capture: AudioCapture;
        /** The microphone's frames on their way to the service; released first on stop. */
        frames: vscode.Disposable | undefined;
        microphoneReleased: boolean;
        subs: vscode.Disposable[];
        text: DictationText;
        turnDone: () => void;
        /** When the last voiced frame was sent, and when the service last completed a turn (Date.now()). */
        lastVoicedAt: number;
        lastTurnAt: number;
      }
    | undefined;
  /** Typing is serialised: each piece goes in after the one before it. */
  private typing: Promise<unknown> = Promise.resolve();
  /** What was typed in this dictation (for the log and tests: character count only). */
  private typedChars = 0;

  constructor(private readonly deps: DictationDeps) {
    super();
  }

  get state(): DictationState {
    return this.current;
  }

  /** Characters typed by the current (or last) dictation. */
  get charactersTyped(): number {
    return this.typedChars;
  }

  async start(): Promise<void> {
    if (this.current !== 'idle') return;
    const microphone = this.deps.microphone();
    if ('unavailable' in microphone) {
      this.deps.showError(microphone.unavailable);
      return;
    }
    this.setState('starting');
    this.typedChars = 0;
    const s = this.deps.settings.current;
    const model = transcriptionModel().id;
    let client: LiveClient | undefined;
    const subs: vscode.Disposable[] = [];
    try {
      client = await this.deps.openSession({
        model,
        responseModality: 'TEXT',
        transcription: true,
        ...(s.language ? { languageCode: s.language } : {}),
        // Dictation pauses are longer than conversation pauses; the user's turn-taking settings apply.
        turnTaking: { endOfSpeechSensitivity: s.turnTaking.endOfSpeechSensitivity, silenceDurationMs: s.turnTaking.silenceDurationMs, prefixPaddingMs: s.turnTaking.prefixPaddingMs },
      });
      const text = new DictationText();
      const run: NonNullable<DictationController['run']> = { client, capture: microphone, frames: undefined, microphoneReleased: false, subs, text, turnDone: () => undefined, lastVoicedAt: 0, lastTurnAt: 0 };
      this.run = run;
      subs.push(toVs(client.session.onDidEmit((e) => this.onEvent(run, e))));
      await client.session.connect();
      if (this.run !== run) return; // stopped while connecting
      const session = client.session;
      run.frames = microphone.onDidCapture((frame) => {
        if (pcm16Rms(frame) >= VOICED_RMS) run.lastVoicedAt = Date.now();
        session.sendAudio(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64'));
      });
      subs.push(microphone.onDidFail((message) => void this.stopWith(message)));
      await microphone.start();
      // Stopped while the microphone opened: the stop already released it (a second stop
      // would close it under the conversation, which may have taken it over since).
      if (this.run !== run) return;
      this.deps.logger.info(`dictation started (${model}${s.language ? `, ${s.language}` : ''}, ${microphone.backend} microphone)`);
      this.setState('running');
    } catch (err) {
      this.deps.logger.warn(`dictation could not start: ${errorMessage(err)}`);
      this.teardown();
      this.deps.showError(vscode.l10n.t('Dictation could not start: {0}', errorMessage(err)));
    }
  }

  /** Stops capture, lets the service transcribe the last words (bounded), then closes. */
  async stop(): Promise<void> {
    const run = this.run;
    if (!run || this.current === 'stopping') return;
    if (this.current === 'starting') {
      // Nothing was heard yet: no last words to wait for.
      this.teardown();
      return;
    }
    // First: not one more frame for this session, whoever the microphone goes to next.
    releaseMicrophone(run);
    this.setState('stopping');
    // A completed turn ended at least one silence duration before it completed; speech after that
    // point is a turn still open. Only silence since then: nothing is left to transcribe, close now.
    const openTurnSince = run.lastTurnAt - this.deps.settings.current.turnTaking.silenceDurationMs;
    if (run.lastVoicedAt === 0 || run.lastVoicedAt <= openTurnSince) {
      await this.typing;
      await run.client.session.close().catch(() => undefined);
      this.deps.logger.info(`dictation stopped; ${this.typedChars} characters typed`);
      this.teardown();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const lastWords = new Promise<void>((resolve) => {
      run.turnDone = resolve;
      timer = setTimeout(resolve, DICTATION_FLUSH_TIMEOUT_MS);
    });
    try {
      run.client.session.endAudioStream();
      await lastWords;
      clearTimeout(timer);
      await this.typing;
      await run.client.session.close();
    } catch (err) {
      this.deps.logger.warn(`dictation did not close cleanly: ${errorMessage(err)}`);
    }
    this.deps.logger.info(`dictation stopped; ${this.typedChars} characters typed`);
    this.teardown();
  }

  private async stopWith(message: string): Promise<void> {
    this.deps.showError(vscode.l10n.t('Dictation stopped: {0}', message));
    await this.stop();
  }

  private onEvent(run: NonNullable<DictationController['run']>, e: SessionEvent): void {
    switch (e.type) {
      case 'inputTranscription': {
        const piece = run.text.piece(e.text);
        if (piece) {
          this.typedChars += piece.length;
          this.typing = this.typing.then(() => this.deps.type(piece)).catch((err) => this.deps.logger.warn(`dictation could not type: ${errorMessage(err)}`));
        }
        break;
      }
      case 'turnComplete':
      case 'interrupted':
        run.text.endTurn();
        run.lastTurnAt = Date.now();
        if (this.current === 'stopping') run.turnDone();
        break;
      case 'error':
        if (e.fatal) void this.stopWith(e.error.message);
        break;
      default:
        break;
    }
  }

  private teardown(): void {
    const run = this.run;
    this.run = undefined;
    if (run) {
      releaseMicrophone(run);
      for (const d of run.subs) d.dispose();
      run.client.dispose();
    }
    this.setState('idle');
  }

  private setState(state: DictationState): void {
    if (state === this.current) return;
    this.current = state;
    this.changeEmitter.fire(state);
  }

  override dispose(): void {
    this.teardown();
    super.dispose();
  }
}

/**
 * Stops taking frames and stops the microphone, once: the microphone may go on for someone
 * else afterwards (Start Listening ends a dictation and opens the same one for the
 * conversation), and a second stop would close it under them.
 */
function releaseMicrophone(run: { frames: vscode.Disposable | undefined; capture: AudioCapture; microphoneReleased: boolean }): void {
  run.frames?.dispose();
  if (run.microphoneReleased) return;
  run.microphoneReleased = true;
  run.capture.stop();
}

function toVs(d: { dispose(): void }): vscode.Disposable {
  return { dispose: () => d.dispose() };
}
