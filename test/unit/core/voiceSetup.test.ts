/**
 * Language, voice and turn-taking in the setup, per model (issue 12): each model gets the
 * forms the table of models says it takes, and nothing else.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSetup, languageInstruction, type SetupOptions } from '../../../src/core/messages';
import { chooseLanguage, isLanguageTag } from '../../../src/core/language';
import { LIVE_MODELS } from '../../../src/core/models';
import { DEFAULT_TURN_TAKING } from '../../../src/core/turnTaking';
import { PREBUILT_VOICES, findVoice } from '../../../src/core/voices';
import { PREBUILT_VOICE_NAMES } from '../../../src/emulator/prebuiltVoices';

function setup(model: string, extra: Partial<SetupOptions> = {}) {
  return buildSetup({ model, responseModality: 'AUDIO', ...extra }, undefined, undefined).setup!;
}

describe('spoken language per model', () => {
  const rows: Array<{ model: string; speechConfigCode: boolean; instructionLine: boolean; inputCodes: boolean }> = [
    { model: 'gemini-3.8-live', speechConfigCode: false, instructionLine: true, inputCodes: true },
    { model: 'gemini-3.8-live-extended-thinking', speechConfigCode: false, instructionLine: true, inputCodes: true },
    { model: 'gemini-3.1-flash-live-preview', speechConfigCode: false, instructionLine: true, inputCodes: true },
    { model: 'gemini-2.5-flash-native-audio-preview-12-2025', speechConfigCode: false, instructionLine: true, inputCodes: true },
    // Speech to text: the language goes to the transcription only; there is no reply to steer.
    { model: 'gemini-3.5-transcribe-live', speechConfigCode: false, instructionLine: false, inputCodes: true },
    { model: 'gemini-3.5-live-translate-preview', speechConfigCode: false, instructionLine: false, inputCodes: true },
    // Half-cascade (shut down, still in the table): speechConfig.languageCode.
    { model: 'gemini-live-2.5-flash-preview', speechConfigCode: true, instructionLine: false, inputCodes: true },
    { model: 'some-future-live-model', speechConfigCode: false, instructionLine: true, inputCodes: true },
  ];
  for (const r of rows) {
    it(`${r.model}: ${[r.speechConfigCode && 'speechConfig.languageCode', r.instructionLine && 'a system-instruction line', r.inputCodes && 'transcription languageCodes'].filter(Boolean).join(', ')}`, () => {
      const s = setup(r.model, { languageCode: 'de-DE', systemInstruction: 'Be brief.', transcription: true });
      assert.equal(s.generationConfig?.speechConfig?.languageCode, r.speechConfigCode ? 'de-DE' : undefined);
      const instruction = s.systemInstruction && typeof s.systemInstruction === 'object' && 'parts' in s.systemInstruction ? s.systemInstruction.parts?.map((p) => p.text).join('') : '';
      assert.ok(instruction?.startsWith('Be brief.'), 'the user’s own instruction comes first, unchanged');
      assert.equal(instruction?.includes('German (Germany) (de-DE)'), r.instructionLine, instruction);
      assert.deepEqual(s.inputAudioTranscription?.languageCodes, r.inputCodes ? ['de-DE'] : undefined);
    });
  }

  it('without a language nothing is added (the model detects it)', () => {
    for (const m of LIVE_MODELS) {
      const s = setup(m.id, { transcription: true });
      assert.equal(s.generationConfig?.speechConfig?.languageCode, undefined, m.id);
      assert.equal(s.systemInstruction, undefined, m.id);
      assert.equal(s.inputAudioTranscription?.languageCodes, undefined, m.id);
    }
  });

  it('the instruction line names the language in words and by tag, and survives a tag the runtime cannot name', () => {
    assert.match(languageInstruction('ja-JP'), /Japanese \(Japan\) \(ja-JP\)/);
    assert.match(languageInstruction('xx-QQ'), /xx-QQ/);
  });

  it('the language setting beats the editor’s speech language; "auto" and non-tags count as unset', () => {
    assert.equal(chooseLanguage('fr-FR', 'de-DE'), 'fr-FR');
    assert.equal(chooseLanguage(undefined, 'de-DE'), 'de-DE');
    assert.equal(chooseLanguage(undefined, 'auto'), undefined);
    assert.equal(chooseLanguage('', 'not a tag'), undefined);
    assert.equal(isLanguageTag('zh-Hans-CN'), true);
    assert.equal(isLanguageTag('german'), false);
  });
});

describe('voice per model', () => {
  it('models that speak get the voice; the speech-to-text model gets none', () => {
    for (const m of LIVE_MODELS) {
      const s = setup(m.id, { voiceName: 'Kore' });
      assert.equal(s.generationConfig?.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName, m.takesVoice ? 'Kore' : undefined, m.id);
    }
    assert.equal(LIVE_MODELS.find((m) => m.id === 'gemini-3.5-transcribe-live')?.takesVoice, false);
  });

  it('lists the 30 documented voices once each, found whatever the case', () => {
    assert.equal(PREBUILT_VOICES.length, 30);
    assert.equal(new Set(PREBUILT_VOICES.map((v) => v.name)).size, 30);
    assert.equal(findVoice('kore')?.name, 'Kore');
    assert.equal(findVoice('Nobody'), undefined);
  });

  it('the moontalk.voice.name setting offers exactly these voices (and empty for the default)', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['moontalk.voice.name'].enum, ['', ...PREBUILT_VOICES.map((v) => v.name)]);
  });

  it('offers exactly the voices the emulator (written apart, from the same docs) accepts', () => {
    assert.deepEqual(PREBUILT_VOICES.map((v) => v.name).sort(), [...PREBUILT_VOICE_NAMES].sort());
  });
});

describe('turn-taking per model', () => {
  const tuned = { endOfSpeechSensitivity: 'LOW', silenceDurationMs: 1500, prefixPaddingMs: 250, interruptions: false } as const;

  for (const m of LIVE_MODELS) {
    it(`${m.id}: detection tuned${m.takesActivityHandling ? ', NO_INTERRUPTION' : ', no activityHandling (nothing to interrupt)'}`, () => {
      const s = setup(m.id, { turnTaking: tuned });
      assert.deepEqual(s.realtimeInputConfig?.automaticActivityDetection, { endOfSpeechSensitivity: 'END_SENSITIVITY_LOW', silenceDurationMs: 1500, prefixPaddingMs: 250 });
      assert.equal(s.realtimeInputConfig?.activityHandling, m.takesActivityHandling ? 'NO_INTERRUPTION' : undefined);
    });
  }

  it('push-to-talk turns detection off and keeps only activityHandling', () => {
    const s = setup('gemini-3.8-live', { manualActivity: true, turnTaking: tuned });
    assert.deepEqual(s.realtimeInputConfig, { automaticActivityDetection: { disabled: true }, activityHandling: 'NO_INTERRUPTION' });
  });

  it('interruptions on (the service default) sends no activityHandling; no turn-taking sends no realtimeInputConfig', () => {
    assert.equal(setup('gemini-3.8-live', { turnTaking: { ...tuned, interruptions: true } }).realtimeInputConfig?.activityHandling, undefined);
    assert.equal(setup('gemini-3.8-live').realtimeInputConfig, undefined);
  });

  it('the defaults wait through a thinking pause: LOW sensitivity and at least a second of silence', () => {
    assert.equal(DEFAULT_TURN_TAKING.endOfSpeechSensitivity, 'LOW');
    assert.ok(DEFAULT_TURN_TAKING.silenceDurationMs >= 1000);
    assert.equal(DEFAULT_TURN_TAKING.interruptions, true);
  });
});
