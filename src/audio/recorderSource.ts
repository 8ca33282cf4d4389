/**
 * The system recorders (SoX's rec/sox, arecord, ffmpeg: systemRecorder.ts) behind the
 * MicrophoneSource port: probed at each start (a user may install SoX while VS Code runs),
 * one recorder process per listening period.
 */
import { Emitter, type Event } from '../common/event';
import type { MicrophoneDevice, MicrophoneExit, MicrophoneSource } from './microphoneSource';
import { probeRecorder, SystemRecorder, type RecorderCommand, type SpawnLike } from './systemRecorder';

export class RecorderSource implements MicrophoneSource {
  private readonly frameEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<MicrophoneExit>();
  readonly onDidCaptureFrame: Event<Uint8Array> = this.frameEmitter.event;
  readonly onDidExit: Event<MicrophoneExit> = this.exitEmitter.event;
  private running: SystemRecorder | undefined;

  constructor(
    /** 'auto', a recorder name, or an absolute path (setting moontalk.audio.recorder). */
    private readonly preferred: string,
    private readonly probe: (preferred: string, device: string | undefined) => RecorderCommand | undefined = (preferred, device) => probeRecorder({ preferred, device }),
    private readonly spawnFn?: SpawnLike,
  ) {}

  /** The recorder's name ('rec', 'sox', …) when one is on PATH, else 'recorder'. */
  get kind(): string {
    return this.probe(this.preferred, undefined)?.name ?? 'recorder';
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /**
   * Recorders name devices in their own way (ALSA `hw:1,0`, a CoreAudio name, a dshow
   * name) and none lists them the same way, so there is nothing to enumerate: the device
   * is whatever the setting says, or the default.
   */
  async listDevices(): Promise<MicrophoneDevice[]> {
    return [];
  }

  start(device: string | undefined): Promise<void> {
    if (this.running) return Promise.resolve();
    const command = this.probe(this.preferred, device);
    if (!command) return Promise.reject(new Error('no audio recorder found'));
    const recorder = new SystemRecorder(command, this.spawnFn);
    recorder.onDidCaptureFrame((frame) => this.frameEmitter.fire(frame));
    recorder.onDidExit((exit) => {
      if (this.running === recorder) this.running = undefined;
      recorder.dispose();
      this.exitEmitter.fire(exit);
    });
    this.running = recorder;
    return recorder.start().catch((err: unknown) => {
      if (this.running === recorder) this.running = undefined;
      recorder.dispose();
      throw err;
    });
  }

  stop(): void {
    const recorder = this.running;
    this.running = undefined;
    recorder?.stop();
  }

  dispose(): void {
    this.stop();
    this.frameEmitter.dispose();
    this.exitEmitter.dispose();
  }
}
