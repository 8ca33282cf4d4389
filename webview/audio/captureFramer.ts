/**
 * The capture worklet's core, without the worklet: resamples render quanta at the
 * context rate to 16 kHz, cuts them into fixed 40 ms frames, converts to PCM16 LE
 * and numbers them. Testable in node.
 */
import { CAPTURE_FRAME_SAMPLES, CAPTURE_SAMPLE_RATE } from '../../src/protocol/audioFormat';
import { floatToPcm16, rms } from './pcm';
import { StreamingResampler } from './streamingResampler';

export interface CaptureFrame {
  readonly seq: number;
  /** CAPTURE_FRAME_SAMPLES samples of 16 kHz PCM16 LE. */
  readonly pcm: ArrayBuffer;
  /** RMS of the frame, 0..1. */
  readonly level: number;
}

export class CaptureFramer {
  private readonly resampler: StreamingResampler;
  private readonly frame: Float32Array;
  private filled = 0;
  private seq = 0;

  constructor(inputRate: number, readonly frameSamples = CAPTURE_FRAME_SAMPLES, outputRate = CAPTURE_SAMPLE_RATE) {
    this.resampler = new StreamingResampler(inputRate, outputRate);
    this.frame = new Float32Array(frameSamples);
  }

  /** Feeds one block at the input rate; returns the frames it completed (often none). */
  push(block: Float32Array): CaptureFrame[] {
    const samples = this.resampler.process(block);
    const frames: CaptureFrame[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.frame.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameSamples) {
        frames.push({ seq: this.seq++, pcm: floatToPcm16(this.frame), level: rms(this.frame) });
        this.filled = 0;
      }
    }
    return frames;
  }
}
