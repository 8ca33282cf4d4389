/**
 * Voice controls: Start/Stop Listening (aria-pressed), input and output level
 * meters (role="meter", dB scale), volume slider, and where capture happens.
 */
import type { AudioStatus } from '../../src/protocol/messages';
import type { Disposable } from '../../src/common/disposable';
import { button, checkbox, dropdown, slider, type ButtonHandle, type CheckboxHandle, type DropdownHandle, type SliderHandle } from './components';
import { h, setFill, setText } from './dom';
import { shortcutHint } from '../shortcuts';
import { t } from '../l10n';

export interface AudioViewOptions {
  readonly volume: number;
  readonly onToggleListening: () => void;
  /** Stop Speaking: silence the model's voice now. */
  readonly onStopSpeaking: () => void;
  readonly onVolume: (volume: number) => void;
  readonly onMute: (muted: boolean) => void;
  readonly onDevice: (deviceId: string) => void;
  readonly deviceId: string;
  readonly voiceProcessing: boolean;
  readonly onVoiceProcessing: (on: boolean) => void;
}

function meter(label: string, testId: string): { wrap: HTMLElement; bar: HTMLElement; fill: HTMLElement } {
  const fill = h('div', { class: 'mt-bar-fill' });
  const bar = h('div', { class: 'mt-bar mt-level', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': label, 'data-testid': testId }, fill);
  const wrap = h('div', { class: 'mt-meter-row' }, h('span', { class: 'mt-meter-label', 'aria-hidden': 'true' }, label.replace(/ level$/, '')), bar);
  return { wrap, bar, fill };
}

export class AudioPanel implements Disposable {
  readonly element: HTMLElement;
  readonly micButton: ButtonHandle;
  private readonly status = h('p', { class: 'mt-muted', 'data-testid': 'audio-status' });
  private readonly input = meter(t('Input level'), 'input-meter');
  private readonly output = meter(t('Output level'), 'output-meter');
  readonly volume: SliderHandle;
  readonly muteButton: ButtonHandle;
  readonly stopSpeakingButton: ButtonHandle;
  readonly device: DropdownHandle<string>;
  readonly voiceProcessing: CheckboxHandle;
  private muted = false;

  constructor(opts: AudioViewOptions) {
    this.micButton = button(t('Start Listening'), { appearance: 'primary', title: t('Start or stop the microphone ({0})', shortcutHint('toggleListening')), onClick: () => opts.onToggleListening() });
    this.micButton.element.classList.add('mt-mic');
    this.micButton.element.setAttribute('data-testid', 'mic-button');
    this.micButton.setPressed(false);
    this.muteButton = button(t('Mute'), {
      title: t('Keep listening but stop sending the microphone (the meter keeps moving)'),
      onClick: () => opts.onMute(!this.muted),
    });
    this.muteButton.element.setAttribute('data-testid', 'mute-button');
    this.muteButton.setPressed(false);
    this.stopSpeakingButton = button(t('Stop Speaking'), { title: t("Silence Gemini's voice now; the answer stays in the transcript (Escape)"), onClick: () => opts.onStopSpeaking() });
    this.stopSpeakingButton.element.setAttribute('data-testid', 'stop-speaking-button');
    this.stopSpeakingButton.element.setAttribute('aria-keyshortcuts', 'Escape');
    this.stopSpeakingButton.setDisabled(true);
    this.device = dropdown(t('Microphone'), [{ value: '', label: t('Default microphone') }], { value: opts.deviceId, title: t('Which microphone the panel captures'), onChange: (id) => opts.onDevice(id) });
    this.device.element.setAttribute('data-testid', 'mic-device');
    this.voiceProcessing = checkbox(t('Voice processing'), {
      checked: opts.voiceProcessing,
      title: t("Echo cancellation, noise suppression and automatic gain by the browser. Off: the microphone's signal as it is (use headphones). Setting moontalk.audio.voiceProcessing."),
      onChange: (on) => opts.onVoiceProcessing(on),
    });
    this.voiceProcessing.element.setAttribute('data-testid', 'voice-processing');
    this.volume = slider(t('Volume'), { min: 0, max: 1, step: 0.05, value: opts.volume, title: t('Output volume'), onInput: (v) => opts.onVolume(v) });
    this.element = h(
      'section',
      { class: 'mt-card mt-audio', 'aria-labelledby': 'mt-audio-title' },
      h('h2', { id: 'mt-audio-title' }, t('Voice')),
      h('div', { class: 'mt-row' }, this.micButton.element, this.muteButton.element, this.stopSpeakingButton.element),
      h('label', { class: 'mt-meter-row' }, h('span', { class: 'mt-meter-label' }, t('Device')), this.device.element),
      this.voiceProcessing.element,
      this.input.wrap,
      this.output.wrap,
      h('label', { class: 'mt-meter-row' }, h('span', { class: 'mt-meter-label' }, t('Volume')), this.volume.element),
      this.status,
    );
  }

  update(audio: AudioStatus, listening: boolean, busy: boolean): void {
    this.micButton.setLabel(listening ? t('Stop Listening') : busy ? t('Starting…') : t('Start Listening'));
    this.micButton.setPressed(listening);
    this.micButton.setDisabled(busy || (audio.captureBackend === 'none' && !listening));
    this.element.dataset.listening = String(listening);
    this.muted = audio.muted === true;
    this.muteButton.setLabel(this.muted ? t('Unmute') : t('Mute'));
    this.muteButton.setPressed(this.muted);
    this.muteButton.setDisabled(!listening);
    // The panel's device list applies to panel capture; the host recorder uses moontalk.audio.device.
    this.device.setDisabled(audio.captureBackend !== 'webview');
    this.voiceProcessing.setDisabled(audio.captureBackend !== 'webview');
    const dictatingHere = audio.dictating === true && audio.thisSurface !== false;
    const where = dictatingHere
      ? t('Microphone: this panel, for dictation (Escape in the editor stops it)')
      : audio.dictating
        ? t('Microphone: the other MoonTalk page, for dictation')
        : audio.captureBackend === 'webview' ? t('Microphone: this panel') : audio.captureBackend === 'host' ? t('Microphone: system recorder (extension host)') : t('Microphone unavailable');
    setText(this.status, audio.problem ? `${where}. ${audio.problem}` : where);
  }

  /** The model's voice is playing (Stop Speaking applies). */
  setSpeaking(playing: boolean): void {
    this.stopSpeakingButton.setDisabled(!playing);
    this.element.dataset.speaking = String(playing);
  }

  setVoiceProcessing(on: boolean): void {
    this.voiceProcessing.checked = on;
  }

  setDevices(devices: ReadonlyArray<{ deviceId: string; label: string }>): void {
    this.device.setOptions([{ value: '', label: t('Default microphone') }, ...devices.map((d) => ({ value: d.deviceId, label: d.label }))]);
  }

  /** Levels are RMS mapped to 0..1 meter positions. */
  setInputLevel(position: number): void {
    this.setMeter(this.input, position);
  }

  setOutputLevel(position: number): void {
    this.setMeter(this.output, position);
  }

  private setMeter(m: { bar: HTMLElement; fill: HTMLElement }, position: number): void {
    setFill(m.fill, position);
    const pct = String(Math.round(position * 100));
    if (m.bar.getAttribute('aria-valuenow') !== pct) m.bar.setAttribute('aria-valuenow', pct);
  }

  dispose(): void {
    this.element.remove();
  }
}
