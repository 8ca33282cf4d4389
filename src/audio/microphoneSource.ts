/**
 * The port every host-side microphone implements: the built-in recorder
 * (pvRecorderSource.ts, a native module shipped inside the .vsix) and the system
 * recorders (systemRecorder.ts: SoX, arecord, ffmpeg). The panel's getUserMedia capture
 * lives in the webview and reaches the host as frames (src/extension/audioCapture.ts).
 * No vscode import: the extension adapts it, the CLI could use it too.
 */
import type { Disposable } from '../common/disposable';
import type { Event } from '../common/event';

/** 16 kHz PCM16 LE mono, 40 ms: the frame size the whole voice path uses. */
export const MIC_SAMPLE_RATE = 16_000;
export const MIC_FRAME_SAMPLES = 640;
export const MIC_FRAME_BYTES = MIC_FRAME_SAMPLES * 2;

export interface MicrophoneDevice {
  /** What the setting moontalk.audio.device stores: stable across restarts (a name, not an index). */
  readonly id: string;
  readonly label: string;
}

export interface MicrophoneExit {
  /** False when it ended on its own (device unplugged, permission, process died). */
  readonly expected: boolean;
  readonly message: string;
}

export interface MicrophoneSource extends Disposable {
  /** For logs and the Choose Microphone list: 'pvrecorder', or the recorder's name. */
  readonly kind: string;
  /** Input devices this path can open, default first when known. May be empty. */
  listDevices(): Promise<MicrophoneDevice[]>;
  /** Opens `device` (an id from listDevices, or undefined for the default); resolves once capturing. */
  start(device: string | undefined): Promise<void>;
  stop(): void;
  readonly isRunning: boolean;
  /** Whole 40 ms frames (MIC_FRAME_BYTES), copies the listener may keep. */
  readonly onDidCaptureFrame: Event<Uint8Array>;
  readonly onDidExit: Event<MicrophoneExit>;
}
