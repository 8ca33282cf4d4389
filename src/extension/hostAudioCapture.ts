/**
 * Capture in the extension host through a system recorder (sox/rec, arecord, ffmpeg):
 * the path for desktop VS Code, whose webviews cannot open the microphone. The recorder
 * is probed when capture starts (a user may install sox while VS Code runs).
 */
import * as vscode from 'vscode';
import { installHint, probeRecorder, SystemRecorder, RECORDER_ORDER, type RecorderCommand } from '../audio/systemRecorder';
import type { Logger } from '../common/logger';
import type { AudioCapture } from './audioCapture';
import { Disposable } from './lifecycle';

export interface RecorderSettings {
  /** 'auto', a recorder name, or an absolute path to one. */
  recorder: string;
  device: string | undefined;
}

export class HostAudioCapture extends Disposable implements AudioCapture {
  readonly backend = 'host' as const;
  private readonly captureEmitter = this._register(new vscode.EventEmitter<Uint8Array>());
  readonly onDidCapture: vscode.Event<Uint8Array> = this.captureEmitter.event;
  private readonly failEmitter = this._register(new vscode.EventEmitter<string>());
  readonly onDidFail: vscode.Event<string> = this.failEmitter.event;
  private running: SystemRecorder | undefined;

  constructor(
    private readonly settings: () => RecorderSettings,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** The recorder that would run now, if any. */
  probe(): RecorderCommand | undefined {
    const s = this.settings();
    return probeRecorder({ preferred: s.recorder, device: s.device });
  }

  get problem(): string | undefined {
    if (this.probe()) return undefined;
    const wanted = this.settings().recorder;
    const looked = wanted && wanted !== 'auto' ? wanted : RECORDER_ORDER.join(', ');
    return vscode.l10n.t('No audio recorder found (looked for {0} on PATH). {1}. Then run Start Listening again.', looked, installHint(process.platform));
  }

  async start(): Promise<void> {
    if (this.running) return;
    const command = this.probe();
    if (!command) throw new Error(this.problem);
    const recorder = new SystemRecorder(command);
    recorder.onDidCaptureFrame((frame) => this.captureEmitter.fire(frame));
    recorder.onDidExit(({ expected, message }) => {
      if (this.running === recorder) this.running = undefined;
      recorder.dispose();
      if (!expected) this.failEmitter.fire(message);
    });
    this.logger.info(`capturing with ${command.name} (${command.command})`);
    await recorder.start();
    this.running = recorder;
  }

  stop(): void {
    const recorder = this.running;
    this.running = undefined;
    recorder?.stop();
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }
}
