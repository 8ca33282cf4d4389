/**
 * The panel's audio, wired: the AudioContext, microphone capture (frames and levels to
 * the host), playback of the model's voice, the Audio card, and the meters' clock. It
 * reads the host's state through `view()` (panelState.ts decides what follows from it)
 * and owns every audio node, stream, listener and timer it makes.
 */
import { t } from '../l10n';
import { DisposableStore, type Disposable } from '../../src/common/disposable';
import type { FullState } from '../../src/protocol/messages';
import type { WorkletUrls } from '../bootstrap';
import type { HostChannel } from '../hostChannel';
import { interval, listen } from '../lifecycle';
import { inputMeterRests, isListening, sendsAudio, voiceProcessing } from '../panelState';
import { AudioPanel } from '../ui/audioView';
import { AudioEngine } from './audioEngine';
import { CaptureController, type CaptureOptions } from './captureController';
import { levelToMeter } from './pcm';
import { PlaybackController } from './playbackController';

/** Sends the input level to the host at most this often. */
const LEVEL_TO_HOST_MS = 200;
/** How often the output meter and the diagnostics update. */
const METER_MS = 100;

export interface PanelAudioDeps {
  readonly host: HostChannel;
  readonly worklets: WorkletUrls;
  /** The host's state now (null before any arrived). */
  readonly view: () => FullState | null;
  readonly announce: (text: string) => void;
  readonly showError: (message: string) => void;
}

export class PanelAudio implements Disposable {
  readonly element: HTMLElement;
  private readonly store = new DisposableStore();
  private readonly engine: AudioEngine;
  private readonly capture: CaptureController;
  private readonly playback: PlaybackController;
  private readonly panel: AudioPanel;
  /** The microphone is being opened (permission prompt, device start). */
  private captureBusy = false;
  private lastLevelSent = 0;
  /**
   * Stop Speaking was pressed here: audio already on its way from the host belongs to the
   * silenced answer, until the host's `audio/interrupted` (its answer to `audio/stopSpeaking`,
   * and messages keep their order) says it stopped sending it. On a busy machine that round
   * trip took longer than the gap to the answer's next chunk.
   */
  private holdUntilHostStops = false;
  private outputShown = 0;

  constructor(private readonly deps: PanelAudioDeps) {
    const { host } = deps;
    this.engine = this.store.add(new AudioEngine(deps.worklets));
    this.capture = this.store.add(
      new CaptureController(
        this.engine,
        {
          frame: (seq, pcm, level) => {
            // Muted: the meter keeps moving, nothing leaves the panel.
            if (sendsAudio(deps.view())) host.sendAudio(seq, pcm);
            this.panel.setInputLevel(levelToMeter(level));
            const now = performance.now();
            if (now - this.lastLevelSent >= LEVEL_TO_HOST_MS) {
              this.lastLevelSent = now;
              host.inputLevel(level);
            }
          },
        },
        () => {
          // The host tells whoever used the microphone (the conversation, dictation) and shows why.
          host.captureFailed(t('it was disconnected or access was revoked'));
          this.render();
        },
      ),
    );
    this.playback = this.store.add(
      new PlaybackController(this.engine, host.uiState.volume, (playing) => {
        this.panel.setSpeaking(playing);
        host.speaking(playing);
      }),
    );
    this.panel = this.store.add(
      new AudioPanel({
        volume: host.uiState.volume,
        onToggleListening: () => void this.toggleListening(),
        onStopSpeaking: () => this.stopSpeaking(),
        onVolume: (v) => {
          this.playback.setVolume(v);
          host.updateUiState({ volume: v });
        },
        onMute: (muted) => host.setMuted(muted),
        deviceId: host.uiState.micDeviceId ?? '',
        voiceProcessing: true, // the state's value arrives with the first applyVoiceProcessing()
        onVoiceProcessing: (on) => host.updateSettings({ voiceProcessing: on }),
        onDevice: (deviceId) => {
          host.updateUiState({ micDeviceId: deviceId });
          // Switching microphones while listening reopens capture on the new one.
          if (this.capture.active) {
            this.capture.stop();
            void this.startCaptureForHost();
          }
        },
      }),
    );
    this.element = this.panel.element;
    const refreshDevices = () => void CaptureController.listInputs().then((d) => this.panel.setDevices(d));
    refreshDevices();
    if (navigator.mediaDevices) this.store.add(listen(navigator.mediaDevices, 'devicechange', refreshDevices));
    this.store.add(interval(() => this.tickMeters(), METER_MS));
  }

  /** The Start/Stop Listening button (the chat view puts it beside the message box). */
  get micButton(): HTMLElement {
    return this.panel.micButton.element;
  }

  /** Stop Speaking (the chat view puts it beside the microphone, not behind Details). */
  get stopSpeakingButton(): HTMLElement {
    return this.panel.stopSpeakingButton.element;
  }

  /** Redraws the Audio card from the state and the capture. */
  render(): void {
    const view = this.deps.view();
    if (view) this.panel.update(view.audio, isListening(view, this.capture.active), this.captureBusy);
  }

  /** The Listen button, Alt+L: stops whatever listens, or starts the host and, with panel capture, the microphone. */
  async toggleListening(): Promise<void> {
    const view = this.deps.view();
    if (!view || this.captureBusy) return;
    void this.engine.resume();
    if (isListening(view, this.capture.active)) {
      this.capture.stop();
      this.panel.setInputLevel(0);
      this.deps.host.stopAudio();
      this.deps.announce('Stopped listening');
      this.render();
      return;
    }
    if (view.audio.captureBackend === 'webview' && !(await this.openMicrophone())) return;
    this.deps.host.startAudio();
    this.deps.announce('Listening');
    this.render();
  }

  /** Shows the voice-processing setting and reopens a running capture when it changed under it. */
  applyVoiceProcessing(): void {
    const wanted = this.captureOptions().voiceProcessing;
    this.panel.setVoiceProcessing(wanted);
    const running = this.capture.options;
    if (running && running.voiceProcessing !== wanted) {
      this.capture.stop();
      void this.startCaptureForHost();
    }
  }

  /** The host stopped listening: release the microphone. */
  stopCapture(): void {
    // Also while the microphone is still opening (a device switch, a voice-processing reopen):
    // stop() moves the capture's generation on, so the open in flight releases its stream.
    if (!this.capture.active && !this.captureBusy) return;
    this.capture.stop();
    this.render();
  }

  /** The host started listening with capture in the panel: open the microphone unless it is open or opening. */
  startCapture(): void {
    if (!this.capture.active && !this.captureBusy) void this.startCaptureForHost();
  }

  resetInputLevel(): void {
    this.panel.setInputLevel(0);
  }

  /** Host capture (a system recorder): its level comes from the extension host. */
  hostInputLevel(level: number): void {
    if (!this.capture.active) this.panel.setInputLevel(levelToMeter(level));
  }

  play(pcm: ArrayBuffer): void {
    if (this.holdUntilHostStops) return;
    this.playback.play(pcm);
  }

  /** Barge-in: stop the model's voice now and drop what is queued. */
  interrupt(): void {
    this.holdUntilHostStops = false;
    this.playback.interrupt();
  }

  /**
   * Stop Speaking from the panel (button, Escape): silence here first, without waiting for the
   * host, then tell the host so the rest of that answer is not sent. Returns whether the voice
   * was playing. `onlyIfPlaying` (Escape): do nothing when it was not, so Escape keeps its other uses.
   */
  stopSpeaking(onlyIfPlaying = false): boolean {
    // The worklet's state arrives by message; the analyser says at once whether sound is going out.
    const wasPlaying = this.playback.isPlaying || this.playback.outputLevel() > 0;
    if (onlyIfPlaying && !wasPlaying) return false;
    this.holdUntilHostStops = true;
    this.playback.interrupt();
    this.deps.host.stopSpeaking();
    if (wasPlaying) this.deps.announce('Stopped speaking');
    return wasPlaying;
  }

  dispose(): void {
    this.store.dispose();
  }

  private captureOptions(): CaptureOptions {
    return { deviceId: this.deps.host.uiState.micDeviceId ?? '', voiceProcessing: voiceProcessing(this.deps.view()) };
  }

  /** Opens the chosen microphone here; a failure is told to the host and shown. Returns whether capture runs. */
  private async openMicrophone(): Promise<boolean> {
    this.captureBusy = true;
    this.render();
    const result = await this.capture.start(this.captureOptions());
    this.captureBusy = false;
    if (!result.ok) {
      this.deps.host.captureFailed(result.message);
      this.deps.showError(result.message);
    }
    this.render();
    return result.ok;
  }

  /** Capture asked for by the host rather than by a click here; the first key or click resumes audio if the browser held it. */
  private async startCaptureForHost(): Promise<void> {
    void this.engine.resume();
    await this.openMicrophone();
  }

  private tickMeters(): void {
    const pos = levelToMeter(this.playback.outputLevel());
    // Skip DOM writes while silent and already at zero.
    if (pos !== 0 || this.outputShown !== 0) this.panel.setOutputLevel(pos);
    this.outputShown = pos;
    // No capture here and no host capture running: the input meter rests at zero.
    if (inputMeterRests(this.deps.view(), this.capture.active, this.captureBusy)) this.panel.setInputLevel(0);
    // Diagnostics for tests and bug reports: context state and rate, capture on/off (and unprocessed).
    const ctx = this.engine.existing;
    const capturing = this.capture.active ? (this.capture.options?.voiceProcessing === false ? ' capturing unprocessed' : ' capturing') : '';
    const diag = ctx ? `${ctx.state}@${ctx.sampleRate}${capturing}` : 'none';
    if (this.element.dataset.context !== diag) this.element.dataset.context = diag;
  }
}
