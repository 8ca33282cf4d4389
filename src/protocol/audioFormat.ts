/**
 * Audio formats and limits shared by the webview's capture and playback worklets and the
 * host (one place, no "keep in sync" comments). Constants only: the worklet bundles import
 * this without pulling in the validators.
 */
export const CAPTURE_SAMPLE_RATE = 16_000;
export const PLAYBACK_SAMPLE_RATE = 24_000;
/** 40 ms capture frames: 640 samples at 16 kHz. */
export const CAPTURE_FRAME_SAMPLES = 640;
/** Largest binary audio payload accepted from the webview (1 s of 16 kHz PCM16). */
export const MAX_AUDIO_CHUNK_BYTES = 32_000;
export const MAX_USER_TEXT_CHARS = 20_000;
