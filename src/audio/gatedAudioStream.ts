/**
 * Where captured microphone frames meet the session: either every frame is sent, or a
 * {@link SilenceGate} decides which are, and `audioStreamEnd` follows each pause.
 * One per listening period (created at Start Listening, finished at Stop). Pure: the
 * session comes in as two functions, so this is tested without VS Code or a socket.
 */
import { SilenceGate, type SilenceGateOptions } from './silenceGate';

export interface AudioStreamSink {
  sendAudio(pcm: Uint8Array): void;
  endAudioStream(): void;
}

export class GatedAudioStream {
  private readonly gate: SilenceGate | undefined;
  /** True while audio went out since the last `audioStreamEnd` (so Stop knows whether one is owed). */
  private streaming = false;

  constructor(
    private readonly sink: AudioStreamSink,
    /** Gate silences (setting moontalk.audio.silenceGating, hands-free only); undefined options = defaults. */
    gating: boolean | Partial<SilenceGateOptions>,
  ) {
    this.gate = gating === false ? undefined : new SilenceGate(gating === true ? {} : gating);
  }

  get gated(): boolean {
    return this.gate !== undefined;
  }

  /** Audio sent and seen, in seconds; undefined when not gating (everything seen was sent). */
  get stats(): { sentSeconds: number; seenSeconds: number } | undefined {
    return this.gate?.stats;
  }

  /** One captured frame (16 kHz PCM16 LE mono). */
  push(pcm: Uint8Array): void {
    if (!this.gate) {
      this.sink.sendAudio(pcm);
      this.streaming = true;
      return;
    }
    const decision = this.gate.push(pcm);
    for (const frame of decision.send) this.sink.sendAudio(frame);
    if (decision.send.length > 0) this.streaming = true;
    if (decision.endStream) {
      this.sink.endAudioStream();
      this.streaming = false;
    }
  }

  /**
   * The microphone stops feeding the session for a while (muted): end the stream now if
   * audio was flowing, and start the next onset afresh (no pre-roll from before the mute).
   */
  pause(): void {
    if (!this.gate) return;
    if (this.streaming) this.sink.endAudioStream();
    this.streaming = false;
    this.gate.reset();
  }

  /**
   * Listening stopped (hands-free): `audioStreamEnd` unless the gate already sent one for
   * the last audio, since a second one for the same stream tells the server nothing.
   */
  finish(): void {
    if (!this.gate || this.streaming) this.sink.endAudioStream();
    this.streaming = false;
    this.gate?.reset();
  }
}
