import assert from 'node:assert/strict';
import { UsageError } from '../../../src/cli/cliIo';
import { modelNotFoundLine, planModel } from '../../../src/cli/modelOptions';
import { DEFAULT_MODEL, LIVE_MODELS } from '../../../src/core/models';

describe('CLI model options (modelOptions.ts)', () => {
  it('--text on a model that only speaks asks for AUDIO with output transcription', () => {
    for (const id of ['gemini-3.8-live', 'gemini-3.8-live-extended-thinking', 'gemini-2.5-flash-native-audio-preview-12-2025']) {
      const { setup } = planModel({ model: id, text: true });
      assert.equal(setup.responseModality, 'AUDIO', id);
      assert.equal(setup.transcription, true, id);
    }
  });

  it('--text asks for TEXT where the table says the model answers in text', () => {
    const { setup } = planModel({ model: 'gemini-3.1-flash-live-preview', text: true });
    assert.equal(setup.responseModality, 'TEXT');
    assert.equal(setup.transcription, undefined);
  });

  it('--text on a model the table does not know takes the cautious route (AUDIO + transcription)', () => {
    const { setup, warnings } = planModel({ model: 'gemini-9-live-nobody-knows', text: true });
    assert.equal(setup.responseModality, 'AUDIO');
    assert.equal(setup.transcription, true);
    assert.deepEqual(warnings, []);
  });

  it('without --text every model gets AUDIO', () => {
    for (const m of LIVE_MODELS) assert.equal(planModel({ model: m.id, text: false }).setup.responseModality, 'AUDIO', m.id);
  });

  it('checks --thinking-level against the table: levels of the model, none where it takes none', () => {
    assert.equal(planModel({ model: 'gemini-3.8-live-extended-thinking', text: false, thinkingLevel: 'high' }).setup.thinkingLevel, 'HIGH');
    assert.equal(planModel({ model: 'gemini-3.1-flash-live-preview', text: false, thinkingLevel: 'MINIMAL' }).setup.thinkingLevel, 'MINIMAL');
    assert.throws(() => planModel({ model: 'gemini-3.8-live-extended-thinking', text: false, thinkingLevel: 'MINIMAL' }), (e: unknown) => e instanceof UsageError && /LOW, MEDIUM, HIGH/.test(e.message));
    assert.throws(() => planModel({ model: DEFAULT_MODEL, text: false, thinkingLevel: 'LOW' }), (e: unknown) => e instanceof UsageError && /takes no thinking level/.test(e.message));
    assert.throws(() => planModel({ model: 'gemini-2.5-flash-native-audio-latest', text: false, thinkingLevel: 'LOW' }), /thinking budget/);
    assert.throws(() => planModel({ model: DEFAULT_MODEL, text: false, thinkingLevel: 'HUGE' }), /must be one of/);
    // A model that requires a level gets the table's default; others get none unless asked.
    assert.equal(planModel({ model: 'gemini-3.8-live-extended-thinking', text: false }).setup.thinkingLevel, 'LOW');
    assert.equal(planModel({ model: 'gemini-3.1-flash-live-preview', text: false }).setup.thinkingLevel, undefined);
    assert.equal(planModel({ model: DEFAULT_MODEL, text: false }).setup.thinkingLevel, undefined);
    // The server decides for a name the table does not know.
    assert.equal(planModel({ model: 'gemini-9-live-nobody-knows', text: false, thinkingLevel: 'LOW' }).setup.thinkingLevel, 'LOW');
  });

  it('passes --language as given and refuses what is not a language tag', () => {
    assert.equal(planModel({ model: DEFAULT_MODEL, text: false, language: 'de-DE' }).setup.languageCode, 'de-DE');
    assert.equal(planModel({ model: DEFAULT_MODEL, text: false }).setup.languageCode, undefined);
    assert.throws(() => planModel({ model: DEFAULT_MODEL, text: false, language: 'German please' }), UsageError);
  });

  it('warns about a shut-down model, naming its replacement, and still plans it (the server decides)', () => {
    const { setup, warnings } = planModel({ model: 'models/gemini-2.0-flash-live-001', text: true });
    assert.equal(setup.model, 'models/gemini-2.0-flash-live-001');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /gemini-2\.0-flash-live-001.*shut down on 2025-12-09.*--model gemini-3\.8-live/);
    assert.deepEqual(planModel({ model: 'gemini-2.5-flash-native-audio-latest', text: false }).warnings, [], 'deprecated is not shut down');
  });

  it('names the model and, when known, its replacement in the not-found line', () => {
    assert.match(modelNotFoundLine('models/gemini-live-2.5-flash-preview'), /gemini-live-2\.5-flash-preview \(shut down on 2025-12-09\)\. Use --model gemini-3\.8-live/);
    const unknown = modelNotFoundLine('gemini-9-live-nobody-knows');
    assert.match(unknown, /gemini-9-live-nobody-knows/);
    assert.doesNotMatch(unknown, /Use --model/);
  });

  it('turn-taking flags become realtimeInputConfig; none given leaves the setup as it was', () => {
    assert.equal(planModel({ model: DEFAULT_MODEL, text: false }).setup.turnTaking, undefined);
    const { setup } = planModel({ model: DEFAULT_MODEL, text: false, silenceMs: '1500', prefixPaddingMs: '0', endSensitivity: 'low', noInterrupt: true });
    assert.deepEqual(setup.turnTaking, { endOfSpeechSensitivity: 'LOW', silenceDurationMs: 1500, prefixPaddingMs: 0, interruptions: false });
  });

  it('refuses turn-taking flags out of the settings’ bounds, naming the flag (exit 2)', () => {
    for (const [flags, name] of [
      [{ silenceMs: '50' }, '--silence-ms'],
      [{ silenceMs: '1.5' }, '--silence-ms'],
      [{ prefixPaddingMs: '3000' }, '--prefix-padding-ms'],
      [{ endSensitivity: 'medium' }, '--end-sensitivity'],
    ] as const) {
      assert.throws(() => planModel({ model: DEFAULT_MODEL, text: false, ...flags }), (err: unknown) => err instanceof UsageError && err.message.includes(name));
    }
  });
});
