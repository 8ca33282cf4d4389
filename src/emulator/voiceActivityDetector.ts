import { rms } from './pcm';

/**
 * Server-side activity detection as the emulator models it, measured in audio
 * samples received (never wall time), so a client that streams faster than real
 * time gets the same turns.
 *
 * Audio is judged in 20 ms blocks: a block is speech when its RMS exceeds
 * `thresholdRms`. An utterance counts once it holds at least `minSpeechMs` of
 * speech; it ends after `endSilenceMs` of continuous silence. A burst shorter
 * than `minSpeechMs` followed by that silence is discarded as noise.
 *
 * The client tunes it the way it tunes the service (`realtimeInputConfig.automaticActivityDetection`):
 * `silenceDurationMs` is `endSilenceMs`; `prefixPaddingMs` ("speech needed before start-of-speech is
 * committed") is `startSpeechMs`, the speech before `speechStarted` (barge-in) and before an
 * utterance can count. The sensitivities are not modelled: no source says what they do in ms.
 */
export interface VadOptions {
  /** RMS on the int16 scale above which a block is speech. Default 500 (about -36 dBFS). */
  thresholdRms: number;
  /** Speech needed before an utterance counts. Default 500 ms. */
  minSpeechMs: number;
  /** Silence that ends an utterance. Default 600 ms. */
  endSilenceMs: number;
  /** Block length for the RMS decision. Default 20 ms. */
  blockMs: number;
  /** Speech before the start of speech is committed (`speechStarted`). Default 0: the first speech block. */
  startSpeechMs: number;
}

export const DEFAULT_VAD_OPTIONS: VadOptions = { thresholdRms: 500, minSpeechMs: 500, endSilenceMs: 600, blockMs: 20, startSpeechMs: 0 };

export type VadEvent =
  /** The first speech block of a possible utterance (used for barge-in). */
  | { type: 'speechStarted' }
  /** An utterance ended; `speechMs` counts its speech blocks, `durationMs` spans first to last speech block. */
  | { type: 'utteranceEnded'; durationMs: number; speechMs: number; reason: 'silence' | 'flush' }
  /** A burst too short to count ended in silence. */
  | { type: 'noiseDiscarded'; speechMs: number };

export class VoiceActivityDetector {
  private readonly options: VadOptions;
  private sampleRate = 16_000;
  /** Samples of the current, not yet complete block. */
  private pending: number[] = [];
  private inUtterance = false;
  private speechMs = 0;
  private spanMs = 0;
  private silenceMs = 0;
  private started = false;

  constructor(options: Partial<VadOptions> = {}) {
    this.options = { ...DEFAULT_VAD_OPTIONS, ...options };
  }

  /** True while a possible utterance is open (speech seen, end-silence not yet reached). */
  get active(): boolean {
    return this.inUtterance;
  }

  /** Feeds samples at `sampleRate`; returns what happened, in order. */
  push(samples: Int16Array, sampleRate: number): VadEvent[] {
    const events: VadEvent[] = [];
    if (sampleRate !== this.sampleRate) {
      this.sampleRate = sampleRate;
      this.pending = [];
    }
    const blockLen = Math.max(1, Math.round((this.options.blockMs / 1000) * sampleRate));
    let i = 0;
    // Complete a block left over from the previous push first.
    if (this.pending.length > 0) {
      while (this.pending.length < blockLen && i < samples.length) this.pending.push(samples[i++]!);
      if (this.pending.length < blockLen) return events;
      this.block(Int16Array.from(this.pending), blockLen, sampleRate, events);
      this.pending = [];
    }
    for (; i + blockLen <= samples.length; i += blockLen) {
      this.block(samples.subarray(i, i + blockLen), blockLen, sampleRate, events);
    }
    for (; i < samples.length; i++) this.pending.push(samples[i]!);
    return events;
  }

  /** Ends an open utterance now (the client sent `audioStreamEnd`). */
  flush(): VadEvent[] {
    if (!this.inUtterance || this.speechMs <= 0) {
      this.reset();
      return [];
    }
    const event: VadEvent = { type: 'utteranceEnded', durationMs: this.spanMs, speechMs: this.speechMs, reason: 'flush' };
    this.reset();
    return [event];
  }

  reset(): void {
    this.inUtterance = false;
    this.started = false;
    this.speechMs = 0;
    this.spanMs = 0;
    this.silenceMs = 0;
    this.pending = [];
  }

  private block(block: Int16Array, blockLen: number, sampleRate: number, events: VadEvent[]): void {
    const ms = (blockLen / sampleRate) * 1000;
    const speech = rms(block) > this.options.thresholdRms;
    if (speech) {
      if (!this.inUtterance) {
        this.inUtterance = true;
        this.started = false;
        this.speechMs = 0;
        this.spanMs = 0;
      }
      // Silence inside an utterance is part of its span.
      this.spanMs += this.silenceMs + ms;
      this.silenceMs = 0;
      this.speechMs += ms;
      if (!this.started && this.speechMs > this.options.startSpeechMs - ms) {
        this.started = true;
        events.push({ type: 'speechStarted' });
      }
      return;
    }
    if (!this.inUtterance) return;
    this.silenceMs += ms;
    if (this.silenceMs < this.options.endSilenceMs) return;
    if (this.speechMs >= Math.max(this.options.minSpeechMs, this.options.startSpeechMs)) {
      events.push({ type: 'utteranceEnded', durationMs: this.spanMs, speechMs: this.speechMs, reason: 'silence' });
    } else {
      events.push({ type: 'noiseDiscarded', speechMs: this.speechMs });
    }
    this.inUtterance = false;
    this.started = false;
    this.speechMs = 0;
    this.spanMs = 0;
    this.silenceMs = 0;
  }
}
