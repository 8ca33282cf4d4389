/**
 * Playback AudioWorkletProcessor: 24 kHz float chunks from the controller →
 * streaming resample to the context rate → jitter buffer → output.
 * A `flush` message empties the queue and the filter history at once, so barge-in
 * silences output from the next render quantum on.
 */
import { PLAYBACK_SAMPLE_RATE } from '../../src/protocol/audioFormat';
import { JitterBuffer } from './jitterBuffer';
import { StreamingResampler } from './streamingResampler';
import {
  PLAYBACK_MAX_QUEUE_MS,
  PLAYBACK_MAX_WAIT_MS,
  PLAYBACK_PRIME_MS,
  PLAYBACK_PROCESSOR_NAME,
  type PlaybackCommand,
  type PlaybackStateMessage,
} from './workletMessages';

const msToFrames = (ms: number) => Math.round((ms * sampleRate) / 1000);

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamingResampler(PLAYBACK_SAMPLE_RATE, sampleRate);
  private readonly queue = new JitterBuffer({
    primeFrames: msToFrames(PLAYBACK_PRIME_MS),
    maxWaitFrames: msToFrames(PLAYBACK_MAX_WAIT_MS),
    maxFrames: msToFrames(PLAYBACK_MAX_QUEUE_MS),
  });
  private wasPlaying = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => {
      const cmd = event.data;
      if (cmd.type === 'chunk') {
        this.queue.push(this.resampler.process(cmd.samples));
      } else if (cmd.type === 'flush') {
        this.queue.flush();
        this.resampler.reset();
        this.report();
      }
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const first = output?.[0];
    if (!output || !first) return true;
    this.queue.pull(first);
    for (let c = 1; c < output.length; c++) output[c]!.set(first);
    if (this.queue.isPlaying !== this.wasPlaying) this.report();
    return true;
  }

  private report(): void {
    this.wasPlaying = this.queue.isPlaying;
    const msg: PlaybackStateMessage = {
      type: 'state',
      playing: this.queue.isPlaying,
      underruns: this.queue.underruns,
      droppedFrames: this.queue.droppedFrames,
    };
    this.port.postMessage(msg);
  }
}

registerProcessor(PLAYBACK_PROCESSOR_NAME, PlaybackProcessor);
