/**
 * The setup and user-text forms each model takes, read from the table of models (issue 10).
 */
import assert from 'node:assert/strict';
import { buildSetup, buildUserTurn, thinkingLevelFor, type ResponseModality } from '../../../src/core/messages';
import { LIVE_MODELS, modelProfile, refuses, type ThinkingLevel } from '../../../src/core/models';

function setupFor(model: string, responseModality: ResponseModality, extra: { thinkingLevel?: ThinkingLevel; seedsHistory?: boolean } = {}) {
  const tools = [{ functionDeclarations: [{ name: 'get_build_status' }] }];
  return buildSetup({ model, responseModality, thinkingLevel: extra.thinkingLevel, tools }, {}, undefined, { seedsHistory: extra.seedsHistory }).setup!;
}

describe('setup per model (the table of models)', () => {
  const rows: Array<{ model: string; asked: ResponseModality; level?: ThinkingLevel; modality: string; thinking?: string; outputTranscription: boolean }> = [
    { model: 'gemini-3.8-live', asked: 'TEXT', modality: 'AUDIO', outputTranscription: true },
    { model: 'gemini-3.8-live', asked: 'TEXT', level: 'HIGH', modality: 'AUDIO', outputTranscription: true },
    { model: 'gemini-3.8-live-extended-thinking', asked: 'AUDIO', modality: 'AUDIO', thinking: 'LOW', outputTranscription: true },
    { model: 'gemini-3.8-live-extended-thinking', asked: 'TEXT', level: 'HIGH', modality: 'AUDIO', thinking: 'HIGH', outputTranscription: true },
    { model: 'gemini-3.8-live-extended-thinking', asked: 'AUDIO', level: 'MINIMAL', modality: 'AUDIO', thinking: 'LOW', outputTranscription: true },
    { model: 'gemini-3.1-flash-live-preview', asked: 'TEXT', modality: 'TEXT', outputTranscription: false },
    { model: 'gemini-3.1-flash-live-preview', asked: 'TEXT', level: 'MINIMAL', modality: 'TEXT', thinking: 'MINIMAL', outputTranscription: false },
    { model: 'gemini-2.5-flash-native-audio-preview-12-2025', asked: 'TEXT', level: 'LOW', modality: 'AUDIO', outputTranscription: true },
    { model: 'some-future-live-model', asked: 'TEXT', level: 'LOW', modality: 'AUDIO', outputTranscription: true },
    { model: 'gemini-live-2.5-flash-preview', asked: 'TEXT', modality: 'TEXT', outputTranscription: false },
  ];
  for (const r of rows) {
    it(`${r.model}, ${r.asked}${r.level ? ` + ${r.level}` : ''} → ${r.modality}${r.thinking ? `, thinkingLevel ${r.thinking}` : ', no thinking config'}`, () => {
      const setup = setupFor(r.model, r.asked, { thinkingLevel: r.level });
      assert.deepEqual(setup.generationConfig?.responseModalities, [r.modality]);
      assert.deepEqual(setup.generationConfig?.thinkingConfig, r.thinking ? { thinkingLevel: r.thinking } : undefined);
      assert.equal(setup.outputAudioTranscription !== undefined, r.outputTranscription);
    });
  }

  it('no model in the table gets a setup field it refuses, whatever is asked', () => {
    for (const m of LIVE_MODELS) {
      for (const asked of ['TEXT', 'AUDIO'] as const) {
        for (const level of [undefined, 'MINIMAL', 'LOW', 'HIGH'] as const) {
          const setup = setupFor(m.id, asked, { thinkingLevel: level, seedsHistory: true });
          const where = `${m.id} ${asked} ${level}`;
          if (refuses(m, 'responseModalities=TEXT')) assert.ok(!setup.generationConfig?.responseModalities?.includes('TEXT' as never), where);
          for (const sent of setup.generationConfig?.responseModalities ?? []) assert.ok(m.responseModalities.includes(sent as never), `${where}: sent ${sent}, the table lists ${m.responseModalities.join('/')}`);
          if (refuses(m, 'generationConfig.thinkingConfig')) assert.equal(setup.generationConfig?.thinkingConfig, undefined, where);
          assert.equal(setup.tools === undefined, refuses(m, 'tools'), `${where}: declarations only where the model takes tools`);
          assert.equal(setup.generationConfig?.thinkingConfig?.thinkingBudget, undefined, where);
          if (m.thinking.kind === 'level' && m.thinking.required) assert.ok(setup.generationConfig?.thinkingConfig?.thinkingLevel, `${where}: a required level`);
          assert.equal(setup.historyConfig !== undefined, m.historySeeding === 'initialHistory', where);
        }
      }
    }
  });

  it('historyConfig only when seeded history follows, and only for initialHistory models', () => {
    assert.deepEqual(setupFor('gemini-3.1-flash-live-preview', 'AUDIO', { seedsHistory: true }).historyConfig, { initialHistoryInClientContent: true });
    assert.equal(setupFor('gemini-3.1-flash-live-preview', 'AUDIO').historyConfig, undefined);
    assert.equal(setupFor('gemini-3.8-live', 'AUDIO', { seedsHistory: true }).historyConfig, undefined);
  });

  it('thinkingLevelFor: never on none/budget models; the default only where required', () => {
    assert.equal(thinkingLevelFor(modelProfile('gemini-3.8-live'), 'HIGH'), undefined);
    assert.equal(thinkingLevelFor(modelProfile('gemini-2.5-flash-native-audio-latest'), 'HIGH'), undefined);
    assert.equal(thinkingLevelFor(modelProfile('gemini-3.8-live-extended-thinking'), undefined), 'LOW');
    assert.equal(thinkingLevelFor(modelProfile('gemini-3.1-flash-live-preview'), undefined), undefined);
  });

  it('user text as clientContent or realtimeInput.text, as the model takes it', () => {
    assert.deepEqual(buildUserTurn(modelProfile('gemini-3.8-live'), 'hi'), { clientContent: { turns: [{ role: 'user', parts: [{ text: 'hi' }] }], turnComplete: true } });
    assert.deepEqual(buildUserTurn(modelProfile('gemini-3.1-flash-live-preview'), 'hi'), { realtimeInput: { text: 'hi' } });
    assert.deepEqual(buildUserTurn(modelProfile('unknown-model'), 'hi'), { realtimeInput: { text: 'hi' } });
  });
});
