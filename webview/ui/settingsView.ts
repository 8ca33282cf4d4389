/**
 * Session configuration: context compression (toggle, trigger tokens, ratio,
 * sliding window), session resumption, ephemeral tokens, response modality.
 * Numeric fields are checked where they are typed (named errors, aria-invalid);
 * only valid values are sent, as `settings/update`. An incoming `settings/changed`
 * never overwrites a field the user is editing.
 */
import type { SettingsView } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { checkbox, dropdown, textField, type CheckboxHandle, type DropdownHandle, type TextFieldHandle } from './components';
import { h, setText, uniqueId } from './dom';
import { checkCompressionRatio, checkTriggerTokens, formatCount, type FieldCheck } from './format';
import { COMPRESSION_RATIO_BOUNDS, RESPONSE_MODALITIES, TRIGGER_TOKENS_BOUNDS } from '../../src/protocol/panelSettings';
import { t } from '../l10n';

export class SettingsPanel implements Disposable {
  readonly element: HTMLElement;
  private readonly compression: CheckboxHandle;
  private readonly sliding: CheckboxHandle;
  private readonly resumption: CheckboxHandle;
  private readonly tokens: CheckboxHandle;
  private readonly modality: DropdownHandle<SettingsView['responseModality']>;
  private readonly trigger: TextFieldHandle;
  private readonly ratio: TextFieldHandle;
  private readonly triggerError = h('p', { class: 'mt-field-error', id: uniqueId('trigger-error'), hidden: true });
  private readonly ratioError = h('p', { class: 'mt-field-error', id: uniqueId('ratio-error'), hidden: true });
  private settings: SettingsView | null = null;

  constructor(private readonly host: HostChannel) {
    this.compression = checkbox(t('Context window compression'), {
      title: t('Let the server compress old turns when the context reaches the trigger'),
      onChange: (on) => this.sendCompression({ enabled: on }),
    });
    this.sliding = checkbox(t('Sliding window'), { title: t('Compress with a sliding window'), onChange: (on) => this.sendCompression({ useSlidingWindow: on }) });
    this.trigger = textField(t('Trigger (tokens)'), {
      inputMode: 'numeric',
      size: 10,
      title: t('Compress when the context reaches this many tokens ({0} to {1})', formatCount(TRIGGER_TOKENS_BOUNDS.min), formatCount(TRIGGER_TOKENS_BOUNDS.max)),
      onInput: (s) => this.check(this.trigger, this.triggerError, checkTriggerTokens(s)),
      onChange: (s) => {
        const r = this.check(this.trigger, this.triggerError, checkTriggerTokens(s));
        if (r.ok) this.sendCompression({ triggerTokens: r.value });
      },
    });
    this.ratio = textField(t('Keep ratio'), {
      inputMode: 'decimal',
      size: 6,
      title: t('Share of the trigger kept after compression ({0} to {1})', COMPRESSION_RATIO_BOUNDS.min, COMPRESSION_RATIO_BOUNDS.max),
      onInput: (s) => this.check(this.ratio, this.ratioError, checkCompressionRatio(s)),
      onChange: (s) => {
        const r = this.check(this.ratio, this.ratioError, checkCompressionRatio(s));
        if (r.ok) this.sendCompression({ compressionRatio: r.value });
      },
    });
    this.resumption = checkbox(t('Session resumption'), { title: t('Resume the same session across goAway and drops'), onChange: (on) => host.updateSettings({ resumption: on }) });
    this.tokens = checkbox(t('Ephemeral tokens'), { title: t('Connect with short-lived tokens instead of the API key'), onChange: (on) => host.updateSettings({ useEphemeralTokens: on }) });
    this.modality = dropdown(
      t('Response modality'),
      RESPONSE_MODALITIES.map((value) => ({ value, label: value === 'AUDIO' ? t('Audio') : t('Text') })),
      { value: 'AUDIO', title: t('How Gemini answers'), onChange: (m) => host.updateSettings({ responseModality: m }) },
    );
    this.element = h(
      'div',
      { class: 'mt-settings', 'data-testid': 'settings-view' },
      h('fieldset', { class: 'mt-fieldset' }, h('legend', {}, t('Compression')), this.compression.element, h('div', { class: 'mt-fields' }, h('div', {}, this.trigger.element, this.triggerError), h('div', {}, this.ratio.element, this.ratioError)), this.sliding.element),
      h('fieldset', { class: 'mt-fieldset' }, h('legend', {}, t('Session')), this.resumption.element, this.tokens.element, h('label', { class: 'mt-inline-label' }, h('span', {}, t('Response')), this.modality.element)),
    );
  }

  private check<T>(field: TextFieldHandle, errorEl: HTMLElement, result: FieldCheck<T>): FieldCheck<T> {
    if (result.ok) {
      field.setInvalid(null);
      errorEl.hidden = true;
      setText(errorEl, '');
    } else {
      field.setInvalid(errorEl.id);
      errorEl.hidden = false;
      setText(errorEl, result.error);
    }
    return result;
  }

  private sendCompression(patch: Partial<SettingsView['compression']>): void {
    if (!this.settings) return;
    const compression = { ...this.settings.compression, ...patch };
    this.settings = { ...this.settings, compression };
    this.host.updateSettings({ compression });
  }

  update(settings: SettingsView): void {
    this.settings = settings;
    this.compression.checked = settings.compression.enabled;
    this.sliding.checked = settings.compression.useSlidingWindow;
    this.resumption.checked = settings.resumption;
    this.tokens.checked = settings.useEphemeralTokens;
    this.modality.value = settings.responseModality;
    const active = document.activeElement;
    // Don't clobber what the user is typing (or a value they typed that is invalid).
    if (active !== this.trigger.element && !this.trigger.element.classList.contains('mt-invalid')) this.trigger.value = String(settings.compression.triggerTokens);
    if (active !== this.ratio.element && !this.ratio.element.classList.contains('mt-invalid')) this.ratio.value = String(settings.compression.compressionRatio);
    this.trigger.setDisabled(!settings.compression.enabled);
    this.ratio.setDisabled(!settings.compression.enabled);
    this.sliding.setDisabled(!settings.compression.enabled);
  }

  dispose(): void {
    this.element.remove();
  }
}
