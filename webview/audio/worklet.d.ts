/**
 * The few AudioWorkletGlobalScope names the processors use. TypeScript's DOM lib
 * describes the main thread (AudioWorkletNode) but not the worklet scope, so they
 * are declared here, as narrowly as the processors need them.
 */
export {};

declare global {
  interface AudioWorkletProcessor {
    readonly port: MessagePort;
  }
  // eslint-disable-next-line no-var
  var AudioWorkletProcessor: {
    prototype: AudioWorkletProcessor;
    new (options?: AudioWorkletNodeOptions): AudioWorkletProcessor;
  };
  /** Sample rate of the owning AudioContext, in Hz. */
  const sampleRate: number;
  /** Frame index of the current render quantum. */
  const currentFrame: number;
  function registerProcessor(
    name: string,
    processorCtor: new (options?: AudioWorkletNodeOptions) => AudioWorkletProcessor & {
      process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
    },
  ): void;
}
