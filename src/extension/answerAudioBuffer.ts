/**
 * The model's voice for the answer under way, kept so no spoken answer is lost when
 * no MoonTalk page can play it (the chat view not opened yet, the editor panel hidden
 * and so without a document). The surface hub (surfaceHub.ts) reveals the chat view
 * and, once its webview says `ready`, replays the answer from its first chunk.
 *
 * One answer at a time: the chunks since the answer began, bounded by bytes. An answer
 * ends when the model's turn ends (or it was interrupted: an interrupted answer is
 * never replayed); the next chunk begins a new one, unless the last one was never
 * heard, which then stays in front of it (both are bounded together).
 *
 * No `vscode` import: tested in Node (test/unit/extension/answerAudioBuffer.test.ts).
 */

export interface AnswerChunk {
  readonly seq: number;
  readonly pcm: ArrayBuffer;
}

/** 12 MiB: 4 min 22 s of 24 kHz PCM16, longer than any answer seen; memory for one answer, not a session. */
export const ANSWER_BUFFER_MAX_BYTES = 12 * 1024 * 1024;

export class AnswerAudioBuffer {
  private chunks: AnswerChunk[] = [];
  private bytes = 0;
  private ended = false;
  private unheard = false;
  private droppedBytes = 0;

  constructor(private readonly maxBytes: number = ANSWER_BUFFER_MAX_BYTES) {}

  /**
   * One chunk of the answer. `heard`: a page took it live. Beyond the bound the chunk
   * is dropped and counted: the start of an answer is what a replay needs most.
   */
  push(chunk: AnswerChunk, heard: boolean): void {
    if (this.ended && !this.unheard) this.reset();
    this.ended = false;
    if (!heard) this.unheard = true;
    if (this.bytes + chunk.pcm.byteLength > this.maxBytes) {
      this.droppedBytes += chunk.pcm.byteLength;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.pcm.byteLength;
  }

  /** The model's turn ended: the next chunk begins a new answer. */
  end(): void {
    this.ended = true;
  }

  /** Barge-in: the answer was cut off on purpose; nothing of it is replayed. */
  interrupt(): void {
    this.reset();
    this.ended = true;
  }

  /** True when some of the kept answer reached no page. */
  get needsReplay(): boolean {
    return this.unheard && this.chunks.length > 0;
  }

  /**
   * The whole kept answer, from its first chunk, for a page that just became ready,
   * when some of it was unheard (else nothing); afterwards it counts as heard.
   */
  takeReplay(): readonly AnswerChunk[] {
    if (!this.needsReplay) return [];
    this.unheard = false;
    const out = [...this.chunks];
    if (this.ended) this.reset();
    return out;
  }

  /** Bytes kept now. */
  get size(): number {
    return this.bytes;
  }

  /** Bytes dropped over the bound since the buffer was made (logged, tests). */
  get dropped(): number {
    return this.droppedBytes;
  }

  private reset(): void {
    this.chunks = [];
    this.bytes = 0;
    this.unheard = false;
  }
}
