/**
 * The MoonTalk pages open now (the chat view in the side bar, the editor panel from
 * Open in Editor) and which of them speaks.
 *
 * Every page shows the same conversation: each surface host posts the state messages
 * itself and sends the full state on `ready`, so a page opened later starts in step.
 * Sound is different: two pages playing the answer would be heard twice, and two
 * microphones would send every word twice. So one page is the audio page: the one
 * the user last acted in (sent, started listening) or that last became ready, among
 * the visible ones if any is. It plays the model's voice and, with capture in the
 * webview, opens the microphone (AudioStatus.thisSurface tells each page which it is).
 *
 * No spoken answer is lost: when audio or the model's text arrives and no page can
 * take it, the hub asks for the chat view to be revealed without taking focus, keeps
 * the answer's audio (answerAudioBuffer.ts), and replays it from the start of the
 * answer to the first page that says `ready`.
 *
 * No `vscode` import: tested in Node with fake surfaces (test/unit/extension/surfaceHub.test.ts).
 */
import type { Disposable } from '../common/disposable';
import type { Logger } from '../common/logger';
import { AnswerAudioBuffer, type AnswerChunk } from './answerAudioBuffer';
import type { TranscriptChange } from './transcript';

/** A vscode.Event without the vscode import. */
type EventLike<T> = (listener: (value: T) => void) => Disposable;

/** The session's streams the hub follows (SessionController). */
export interface AnswerSource {
  readonly onDidReceiveAudio: EventLike<AnswerChunk>;
  readonly onDidInterrupt: EventLike<void>;
  readonly onDidChangeTranscript: EventLike<TranscriptChange>;
}

/** What the hub needs of a surface host (panelHost.ts SurfaceHost). */
export interface HubSurface {
  readonly kind: 'view' | 'panel';
  /** The webview said `ready` and has a document (a hidden panel has none). */
  readonly isReady: boolean;
  readonly visible: boolean;
  /** Posts model audio; returns false when it was not sent. */
  playAudio(chunk: AnswerChunk): boolean;
  /** Stops the voice now (barge-in). */
  interruptAudio(): void;
  /** Which page speaks changed: post the audio status again (its `thisSurface`). */
  refreshAudioStatus(): void;
}

export interface SurfaceHubDeps {
  /** Shows the chat view without taking focus (WebviewView.show(true), or its focus command with preserveFocus). */
  readonly revealQuietly: () => void;
  readonly logger: Logger;
  /** Replaces ANSWER_BUFFER_MAX_BYTES (tests). */
  readonly maxAnswerBytes?: number;
}

export class SurfaceHub {
  /** Most preferred first. */
  private surfaces: HubSurface[] = [];
  private speaking: HubSurface | undefined;
  private readonly answer: AnswerAudioBuffer;
  /** A reveal was asked for and no page became ready since: ask once, not per chunk. */
  private revealAsked = false;
  private replayed = 0;

  constructor(private readonly deps: SurfaceHubDeps) {
    this.answer = new AnswerAudioBuffer(deps.maxAnswerBytes);
  }

  /** Adds a page; dispose the result when it closes. */
  add(surface: HubSurface): { dispose(): void } {
    this.surfaces = [surface, ...this.surfaces.filter((s) => s !== surface)];
    return {
      dispose: () => {
        this.surfaces = this.surfaces.filter((s) => s !== surface);
        this.update();
      },
    };
  }

  /** All pages, most preferred first (tests read it; the tools ask {@link anyVisibleReady}). */
  get all(): readonly HubSurface[] {
    return this.surfaces;
  }

  /** The page that plays the voice and captures, if any can. */
  get audioSurface(): HubSurface | undefined {
    return this.surfaces.find((s) => s.isReady && s.visible) ?? this.surfaces.find((s) => s.isReady);
  }

  /** Is `surface` the audio page (what its AudioStatus.thisSurface says)? */
  isAudioSurface(surface: HubSurface): boolean {
    return this.audioSurface === surface;
  }

  /**
   * True when some page shows the conversation now: the tools then put their question there
   * (toolService.ts), else in a modal dialog.
   */
  get anyVisibleReady(): boolean {
    return this.surfaces.some((s) => s.isReady && s.visible);
  }

  /** Answers replayed to a page that became ready (tests). */
  get replays(): number {
    return this.replayed;
  }

  /** Bytes of answer audio kept now (tests). */
  get bufferedBytes(): number {
    return this.answer.size;
  }

  /** The user acted in `surface` (sent a message, started listening): it becomes the audio page. */
  prefer(surface: HubSurface): void {
    if (!this.surfaces.includes(surface)) return;
    this.surfaces = [surface, ...this.surfaces.filter((s) => s !== surface)];
    this.update();
  }

  /** `surface` said `ready` (after its `init`): it is preferred, and an unheard answer is replayed to it from the start. */
  ready(surface: HubSurface): void {
    this.revealAsked = false;
    this.prefer(surface);
    if (this.audioSurface !== surface || !this.answer.needsReplay) return;
    const chunks = this.answer.takeReplay();
    this.replayed++;
    this.deps.logger.info(`replaying ${chunks.length} chunks of an answer no page could play to the ${surface.kind}`);
    for (const chunk of chunks) surface.playAudio(chunk);
  }

  /** A page was shown, hidden or lost its document: which one speaks may change. */
  update(): void {
    const now = this.audioSurface;
    if (now === this.speaking) return;
    this.speaking = now;
    for (const s of this.surfaces) s.refreshAudioStatus();
  }

  /** A chunk of the model's voice. */
  audio(chunk: AnswerChunk): void {
    const target = this.audioSurface;
    const heard = target !== undefined && target.playAudio(chunk);
    const dropped = this.answer.dropped;
    this.answer.push(chunk, heard);
    if (this.answer.dropped !== dropped && dropped === 0) this.deps.logger.warn('an answer outgrew the replay buffer; its end will not be replayed');
    if (!heard) this.revealForAnswer();
  }

  /** The model's text changed (an answer streams in). */
  modelText(): void {
    if (!this.audioSurface) this.revealForAnswer();
  }

  /** The model's turn ended. */
  answerEnded(): void {
    this.answer.end();
    // The next answer may ask again (the user may have closed the view on purpose; one ask per answer).
    this.revealAsked = false;
  }

  /** Barge-in: the voice stops everywhere, and the cut answer is not replayed. */
  interrupted(): void {
    this.answer.interrupt();
    for (const s of this.surfaces) if (s.isReady) s.interruptAudio();
  }

  /** Follows the session's answers: audio, barge-in, the model's text and the end of its turn. */
  follow(source: AnswerSource): Disposable {
    const subs = [
      source.onDidReceiveAudio((chunk) => this.audio(chunk)),
      source.onDidInterrupt(() => this.interrupted()),
      source.onDidChangeTranscript((change) => {
        if (change.type === 'cleared' || change.entry.role !== 'model') return;
        this.modelText();
        if (!change.entry.partial) this.answerEnded();
      }),
    ];
    return { dispose: () => subs.forEach((s) => s.dispose()) };
  }

  private revealForAnswer(): void {
    if (this.revealAsked) return;
    this.revealAsked = true;
    this.deps.logger.info('an answer arrived and no MoonTalk page can play it: revealing the chat view without focus');
    this.deps.revealQuietly();
  }
}
