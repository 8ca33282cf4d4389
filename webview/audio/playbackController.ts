/**
 * Model audio out: 24 kHz PCM16 chunks from `audio/play` → float → playback worklet
 * (resample + jitter buffer) → GainNode (volume) → AnalyserNode (level meter; e2e
 * tests read real output here) → speakers. `interrupt()` flushes the worklet's
 * queue: the next render quantum is silent.
 */
import type { Disposable } from '../../src/common/disposable';
import type { AudioEngine } from './audioEngine';
import { pcm16ToFloat } from './pcm';
import { PLAYBACK_PROCESSOR_NAME, type PlaybackCommand, type PlaybackStateMessage } from './workletMessages';

/** Chunks held while the worklet module loads (bounded: about 10 s of typical chunks). */
const MAX_PENDING_CHUNKS = 250;

interface Graph {
  readonly node: AudioWorkletNode;
  readonly gain: GainNode;
  readonly analyser: AnalyserNode;
}

export class PlaybackController implements Disposable {
  private graph: Graph | null = null;
  private starting: Promise<Graph | null> | null = null;
  private pending: Float32Array[] = [];
  private volume: number;
  private playing = false;
  private readonly scratch = new Float32Array(2048);
  /** Chunks dropped because the worklet could not be loaded in time. */
  dropped = 0;

  constructor(
    private readonly engine: AudioEngine,
    volume: number,
    private readonly onPlayingChange: (playing: boolean) => void = () => undefined,
  ) {
    this.volume = volume;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** Queues one chunk of 24 kHz PCM16 LE. */
  play(pcm: ArrayBuffer | ArrayBufferView): void {
    const samples = pcm16ToFloat(pcm);
    if (samples.length === 0) return;
    if (this.graph) {
      this.post({ type: 'chunk', samples }, [samples.buffer]);
      return;
    }
    if (this.pending.length >= MAX_PENDING_CHUNKS) {
      this.pending.shift();
      this.dropped++;
    }
    this.pending.push(samples);
    void this.ensureGraph();
  }

  /** Barge-in: drop everything queued, at once. */
  interrupt(): void {
    this.pending = [];
    if (this.graph) this.post({ type: 'flush' });
  }

  setVolume(volume: number): void {
    this.volume = Math.max(0, Math.min(1, volume));
    const g = this.graph;
    if (g) g.gain.gain.setTargetAtTime(this.volume, g.gain.context.currentTime, 0.02);
  }

  /** RMS of what is being output right now (after volume), 0 when nothing plays. */
  outputLevel(): number {
    const a = this.graph?.analyser;
    if (!a) return 0;
    const buf = this.scratch.subarray(0, a.fftSize);
    a.getFloatTimeDomainData(buf);
    let sum = 0;
    for (let i = 0; i < buf.length; i++) sum += buf[i]! * buf[i]!;
    return Math.sqrt(sum / buf.length);
  }

  private post(cmd: PlaybackCommand, transfer: Transferable[] = []): void {
    this.graph?.node.port.postMessage(cmd, transfer);
  }

  private ensureGraph(): Promise<Graph | null> {
    if (this.graph) return Promise.resolve(this.graph);
    this.starting ??= (async () => {
      try {
        const ctx = this.engine.get();
        await this.engine.load('playback');
        const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR_NAME, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
        const gain = ctx.createGain();
        gain.gain.value = this.volume;
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 2048;
        node.connect(gain).connect(analyser).connect(ctx.destination);
        node.port.onmessage = (e: MessageEvent<PlaybackStateMessage>) => {
          if (e.data?.type === 'state' && e.data.playing !== this.playing) {
            this.playing = e.data.playing;
            this.onPlayingChange(this.playing);
          }
        };
        this.graph = { node, gain, analyser };
        for (const s of this.pending) this.post({ type: 'chunk', samples: s }, [s.buffer]);
        this.pending = [];
        return this.graph;
      } catch (err) {
        console.warn('[panel] playback unavailable', err);
        this.dropped += this.pending.length;
        this.pending = [];
        return null;
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  dispose(): void {
    this.pending = [];
    const g = this.graph;
    this.graph = null;
    if (g) {
      g.node.port.onmessage = null;
      g.node.port.close();
      g.node.disconnect();
      g.gain.disconnect();
      g.analyser.disconnect();
    }
  }
}
