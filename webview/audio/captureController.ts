/**
 * Microphone capture in the webview: getUserMedia (mono; with the browser's voice
 * processing — echo cancellation, noise suppression, gain control — unless the
 * moontalk.audio.voiceProcessing setting is off) → MediaStreamSource → capture worklet (16 kHz PCM16 frames) → host.
 * Stop releases the tracks and disconnects every node. Failures become one clear
 * sentence (permission denied, no device, device busy, unsupported) for
 * `audio/captureFailed`; nothing throws to the caller.
 */
import type { Disposable } from '../../src/common/disposable';
import type { AudioEngine } from './audioEngine';
import { CAPTURE_PROCESSOR_NAME, type CaptureFrameMessage } from './workletMessages';

export interface CaptureSink {
  frame(seq: number, pcm: ArrayBuffer, level: number): void;
}

export interface CaptureOptions {
  /** A microphone from {@link CaptureController.listInputs}; empty for the system default. */
  readonly deviceId: string;
  /** Echo cancellation, noise suppression and gain control by the browser. */
  readonly voiceProcessing: boolean;
}

export type CaptureResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Turns a getUserMedia / worklet failure into the sentence the user sees. */
export function describeCaptureError(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this page (browser or system settings), then press Start Listening again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one (or choose an input device in your system settings), then press Start Listening again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be opened; another application may be using it. Close it, then press Start Listening again.';
    default:
      return `Microphone capture failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export class CaptureController implements Disposable {
  private stream: MediaStream | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private node: AudioWorkletNode | null = null;
  /** Bumps on each start/stop so a slow start that lost the race cleans up after itself. */
  private generation = 0;
  private opened: CaptureOptions | undefined;

  constructor(
    private readonly engine: AudioEngine,
    private readonly sink: CaptureSink,
    /** The device went away mid-capture (unplugged, revoked); capture has already stopped. */
    private readonly onEnded?: () => void,
  ) {}

  get active(): boolean {
    return this.node !== null;
  }

  /** What the running capture was opened with; undefined when stopped. */
  get options(): CaptureOptions | undefined {
    return this.node ? this.opened : undefined;
  }

  /** Microphones the page may use (labels appear once access was granted). */
  static async listInputs(): Promise<Array<{ deviceId: string; label: string }>> {
    if (!navigator.mediaDevices?.enumerateDevices) return [];
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      return devices.filter((d) => d.kind === 'audioinput' && d.deviceId && d.deviceId !== 'default').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
    } catch {
      return [];
    }
  }

  async start(options: CaptureOptions): Promise<CaptureResult> {
    const { deviceId, voiceProcessing } = options;
    if (this.node) return { ok: true };
    const gen = ++this.generation;
    if (!navigator.mediaDevices?.getUserMedia) {
      return { ok: false, message: 'This webview cannot open the microphone (desktop VS Code does not allow it). Use host capture: install sox, arecord or ffmpeg.' };
    }
    let stream: MediaStream | null = null;
    try {
      const ctx = this.engine.get();
      // Resume inside the click's task (Start Listening is the user gesture).
      const resumed = this.engine.resume();
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1,
          echoCancellation: voiceProcessing,
          noiseSuppression: voiceProcessing,
          autoGainControl: voiceProcessing,
          ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        },
      });
      await Promise.all([this.engine.load('capture'), resumed]);
      if (gen !== this.generation) {
        for (const t of stream.getTracks()) t.stop();
        return { ok: false, message: 'Capture was stopped before it started.' };
      }
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, CAPTURE_PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 1, channelCountMode: 'explicit' });
      node.port.onmessage = (e: MessageEvent<CaptureFrameMessage>) => {
        const m = e.data;
        if (m && m.type === 'frame') this.sink.frame(m.seq, m.pcm, m.level);
      };
      source.connect(node);
      // The node writes silence; connecting it keeps the graph pulling it in every engine.
      node.connect(ctx.destination);
      for (const t of stream.getAudioTracks()) {
        t.addEventListener('ended', () => {
          console.warn('[panel] microphone track ended');
          this.stop();
          this.onEnded?.();
        });
      }
      this.stream = stream;
      this.source = source;
      this.node = node;
      this.opened = options;
      return { ok: true };
    } catch (err) {
      if (stream) for (const t of stream.getTracks()) t.stop();
      return { ok: false, message: describeCaptureError(err) };
    }
  }

  stop(): void {
    this.generation++;
    if (this.node) {
      this.node.port.onmessage = null;
      this.node.port.close();
      this.node.disconnect();
    }
    this.source?.disconnect();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.node = null;
    this.source = null;
    this.stream = null;
  }

  dispose(): void {
    this.stop();
  }
}
