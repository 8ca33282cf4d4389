/**
 * Messages on the AudioWorkletNode ports. Both ends are our own code in the same
 * webview, so these are plain types (the host protocol is validated; this is not).
 */

/** Capture worklet -> controller, once per 40 ms frame. `pcm` is transferred. */
export interface CaptureFrameMessage {
  readonly type: 'frame';
  readonly seq: number;
  readonly pcm: ArrayBuffer;
  readonly level: number;
}

/** Controller -> playback worklet. `samples` (24 kHz float) is transferred. */
export type PlaybackCommand =
  | { readonly type: 'chunk'; readonly samples: Float32Array }
  | { readonly type: 'flush' };

/** Playback worklet -> controller, when it starts or stops producing sound. */
export interface PlaybackStateMessage {
  readonly type: 'state';
  readonly playing: boolean;
  readonly underruns: number;
  readonly droppedFrames: number;
}

export const CAPTURE_PROCESSOR_NAME = 'moontalk-capture';
export const PLAYBACK_PROCESSOR_NAME = 'moontalk-playback';

/** Playback starts once this much audio is queued (jitter buffer). */
export const PLAYBACK_PRIME_MS = 60;
/** ...or once the first queued audio has waited this long (a short last chunk). */
export const PLAYBACK_MAX_WAIT_MS = 120;
/** Queue limit: the model sends faster than real time, but not minutes ahead. */
export const PLAYBACK_MAX_QUEUE_MS = 120_000;
