/**
 * Capture in the extension host: the path for desktop VS Code, whose webviews cannot open
 * the microphone (microsoft/vscode issue 113916). Two microphones behind one port
 * (src/audio/microphoneSource.ts):
 *
 * 1. the built-in one, @picovoice/pvrecorder-node, shipped in the platform .vsix: nothing
 *    to install. Loaded at first use; if its binary is missing (the universal .vsix) or
 *    does not load on this machine, that is logged once, the user is told once (naming
 *    the machine), and capture falls back to
 * 2. a system recorder (SoX's rec/sox, arecord, ffmpeg), probed at each start.
 *
 * The setting moontalk.audio.recorder picks: 'auto' (built-in, then recorders),
 * 'pvrecorder' (built-in only), or a recorder name / absolute path (that recorder only).
 */
import * as vscode from 'vscode';
import type { MicrophoneDevice, MicrophoneSource } from '../audio/microphoneSource';
import { isNullDevice, loadPvRecorder, PvRecorderSource, type PvRecorderLoad } from '../audio/pvRecorderSource';
import { RecorderSource } from '../audio/recorderSource';
import { installHint, probeRecorder, RECORDER_ORDER, whereToInstall } from '../audio/systemRecorder';
import type { Logger } from '../common/logger';
import type { AudioCapture } from './audioCapture';
import { Disposable } from './lifecycle';

export interface RecorderSettings {
  /** 'auto', 'pvrecorder', a recorder name, or an absolute path to one. */
  recorder: string;
  device: string | undefined;
}

export interface HostCaptureEnvironment {
  /** `vscode.env.remoteName` when this extension host runs on the remote machine; undefined when local. */
  remoteName: string | undefined;
  /** Loads the built-in microphone (called once, at first use). */
  loadBuiltIn: () => PvRecorderLoad;
  /** Tells the user something once (the built-in microphone is unavailable here and why). */
  notify: (text: string) => void;
}

export const BUILT_IN_RECORDER = 'pvrecorder';

export class HostAudioCapture extends Disposable implements AudioCapture {
  readonly backend = 'host' as const;
  private readonly captureEmitter = this._register(new vscode.EventEmitter<Uint8Array>());
  readonly onDidCapture: vscode.Event<Uint8Array> = this.captureEmitter.event;
  private readonly failEmitter = this._register(new vscode.EventEmitter<string>());
  readonly onDidFail: vscode.Event<string> = this.failEmitter.event;
  private running: MicrophoneSource | undefined;
  /** The open in progress, which a second start joins. */
  private opening: Promise<void> | undefined;
  /** Counts stop() calls: an open that waited for the device gives up if one came meanwhile. */
  private stops = 0;
  private builtIn: PvRecorderSource | { unavailable: string } | undefined;

  constructor(
    private readonly settings: () => RecorderSettings,
    private readonly logger: Logger,
    private readonly env: HostCaptureEnvironment,
  ) {
    super();
  }

  /** The built-in microphone, loaded on first call; or why it cannot be used here. */
  builtInMicrophone(): PvRecorderSource | { unavailable: string } {
    if (!this.builtIn) {
      const load = this.env.loadBuiltIn();
      if (load.ok) {
        this.builtIn = this._register(new PvRecorderSource(load));
        this.logger.info(`built-in microphone loaded (${load.modulePath}); devices: ${JSON.stringify(this.builtIn.rawDevices())}`);
      } else {
        this.builtIn = { unavailable: load.reason };
        this.logger.warn(`built-in microphone unavailable: ${load.reason}; using the system recorders (${RECORDER_ORDER.join(', ')})`);
        if (this.settings().recorder === 'auto' || this.settings().recorder === BUILT_IN_RECORDER) {
          this.env.notify(vscode.l10n.t('MoonTalk’s built-in microphone is not available {0}: {1}. MoonTalk uses SoX, arecord or ffmpeg instead when one is installed there.', whereToInstall(this.env.remoteName), load.reason));
        }
      }
    }
    return this.builtIn;
  }

  /**
   * Which microphone a start would use now, or why none can. Recorders are probed each
   * time (cheap: a PATH walk); the built-in device list is read at most every 2 s, since
   * the panel's status asks for this often.
   */
  choose(): { builtIn: PvRecorderSource } | { recorder: string } | { problem: string } {
    const { recorder } = this.settings();
    const recorderOnly = recorder !== 'auto' && recorder !== BUILT_IN_RECORDER;
    let builtInWhyNot: string | undefined;
    if (!recorderOnly) {
      const builtIn = this.builtInMicrophone();
      if (builtIn instanceof PvRecorderSource) {
        // Only when it sees a microphone: on a machine without one it lists only a null device.
        if (this.builtInHasDevice(builtIn)) return { builtIn };
        builtInWhyNot = vscode.l10n.t('the built-in microphone finds no input device {0}', whereToInstall(this.env.remoteName));
      } else {
        builtInWhyNot = builtIn.unavailable;
      }
      if (recorder === BUILT_IN_RECORDER) return { problem: vscode.l10n.t('No microphone: {0}. Connect one, or set moontalk.audio.recorder to auto to use SoX, arecord or ffmpeg.', builtInWhyNot) };
    }
    if (probeRecorder({ preferred: recorder })) return { recorder };
    const looked = recorderOnly ? recorder : RECORDER_ORDER.join(', ');
    const noRecorder = vscode.l10n.t('No audio recorder found (looked for {0} on PATH). {1}. Then run Start Listening again.', looked, installHint(process.platform, this.env.remoteName));
    return { problem: builtInWhyNot ? `${builtInWhyNot[0]!.toUpperCase()}${builtInWhyNot.slice(1)}. ${noRecorder}` : noRecorder };
  }

  private deviceCheck: { at: number; any: boolean } | undefined;

  private builtInHasDevice(builtIn: PvRecorderSource): boolean {
    const now = Date.now();
    if (!this.deviceCheck || now - this.deviceCheck.at > 2_000) {
      let any = false;
      try {
        any = builtIn.rawDevices().some((d) => !isNullDevice(d));
      } catch (err) {
        this.logger.warn(`built-in microphone could not list devices: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.deviceCheck = { at: now, any };
    }
    return this.deviceCheck.any;
  }

  get problem(): string | undefined {
    const choice = this.choose();
    return 'problem' in choice ? choice.problem : undefined;
  }

  /** The microphones the active path can open, and its name (for MoonTalk: Choose Microphone). */
  async listDevices(): Promise<{ kind: string; devices: MicrophoneDevice[] } | { problem: string }> {
    const choice = this.choose();
    if ('problem' in choice) return choice;
    if ('builtIn' in choice) return { kind: choice.builtIn.kind, devices: await choice.builtIn.listDevices() };
    const source = new RecorderSource(choice.recorder);
    const listed = { kind: source.kind, devices: await source.listDevices() };
    source.dispose();
    return listed;
  }

  async start(): Promise<void> {
    if (this.running) return;
    // One open at a time: a second start while the first waits for the device joins it.
    this.opening ??= this.startNow().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async startNow(): Promise<void> {
    const choice = this.choose();
    if ('problem' in choice) throw new Error(choice.problem);
    const { device } = this.settings();
    if ('recorder' in choice) return this.open(new RecorderSource(choice.recorder), device);
    try {
      await this.open(choice.builtIn, device);
    } catch (err) {
      // The built-in microphone failed to open (device busy, driver): a recorder may still work.
      if (this.settings().recorder !== 'auto' || !probeRecorder({ preferred: 'auto', device })) throw err;
      this.logger.warn(`built-in microphone could not start (${err instanceof Error ? err.message : String(err)}); trying the system recorder`);
      await this.open(new RecorderSource('auto'), device);
    }
  }

  private async open(source: MicrophoneSource, device: string | undefined): Promise<void> {
    // The built-in source is one object for every start: a stop of it may still be under way
    // (Start Listening right after a dictation released it), and that worker's expected exit
    // must reach the old subscriptions, not these.
    if (source instanceof PvRecorderSource && source.isRunning) {
      const generation = this.stops;
      await source.whenStopped();
      // Stopped while waiting: nobody wants the microphone any more.
      if (this.stops !== generation) return;
    }
    const subscriptions = [
      source.onDidCaptureFrame((frame) => {
        if (this.running === source) this.captureEmitter.fire(frame);
      }),
      source.onDidExit(({ expected, message }) => {
        for (const s of subscriptions) s.dispose();
        if (this.running === source) this.running = undefined;
        if (source instanceof RecorderSource) source.dispose();
        if (!expected) this.failEmitter.fire(message);
      }),
    ];
    this.logger.info(`capturing with ${source.kind}${device ? ` from “${device}”` : ' from the default device'}`);
    this.running = source;
    try {
      await source.start(device);
    } catch (err) {
      for (const s of subscriptions) s.dispose();
      if (this.running === source) this.running = undefined;
      if (source instanceof RecorderSource) source.dispose();
      throw err;
    }
  }

  stop(): void {
    this.stops++;
    const source = this.running;
    this.running = undefined;
    source?.stop();
  }

  override dispose(): void {
    const source = this.running;
    this.stop();
    // A recorder is owned per start; the built-in source is registered and disposed with this.
    if (source instanceof RecorderSource) source.dispose();
    super.dispose();
  }
}

export { loadPvRecorder };
