/**
 * Capture AudioWorkletProcessor: microphone render quanta at the context rate
 * (44.1/48 kHz or any) → low-pass + resample to 16 kHz → 640-sample PCM16 LE frames
 * (40 ms), each posted with its sequence number and RMS level, the buffer transferred.
 * The DSP lives in CaptureFramer so it is unit-tested outside the worklet.
 */
import { CaptureFramer } from './captureFramer';
import { CAPTURE_PROCESSOR_NAME, type CaptureFrameMessage } from './workletMessages';

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly framer = new CaptureFramer(sampleRate);

  process(inputs: Float32Array[][]): boolean {
    // Channel 0 only: getUserMedia asks for mono; a stereo device's left channel is fine for speech.
    const channel = inputs[0]?.[0];
    if (channel && channel.length > 0) {
      for (const frame of this.framer.push(channel)) {
        const msg: CaptureFrameMessage = { type: 'frame', seq: frame.seq, pcm: frame.pcm, level: frame.level };
        this.port.postMessage(msg, [frame.pcm]);
      }
    }
    // Keep running until the controller disconnects the node.
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
