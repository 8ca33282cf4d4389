import assert from 'node:assert/strict';
import { LIVE_MODELS, type LiveModel } from '../../src/core/models';
import { MODEL_PROFILES, SHUT_DOWN_MODELS, findModelProfile, type ModelProfile } from '../../src/emulator/modelProfiles';

/**
 * The client's table of models (src/core/models.ts) and the emulator's own profiles
 * (src/emulator/modelProfiles.ts) are written separately on purpose (the emulator must not
 * share the client's mistakes). This test is where they meet: for every model the client
 * offers, the emulator must serve it and both must describe the same service. When they
 * disagree, LIVE-PROTOCOL.md ("The models as of 2026-11") decides which side is wrong.
 * (A test may import both; only src/emulator itself must not import src/core.)
 */

/** The client's fields, derived from an emulator profile (field names mapped). */
function asClientSees(p: ModelProfile): Record<string, unknown> {
  const thinking =
    p.thinking.kind === 'refused' ? { kind: 'none' } : p.thinking.kind === 'budget' ? { kind: 'budget' } : { kind: 'level', levels: [...p.thinking.levels], required: p.thinking.required };
  return {
    responseModalities: [...p.responseModalities].sort(),
    // A model that takes clientContent the whole session takes typed text that way;
    // otherwise user text can only be realtimeInput.text.
    userText: p.clientContent === 'anytime' ? 'clientContent' : 'realtimeInputText',
    historySeeding: p.clientContent === 'anytime' ? 'clientContent' : p.clientContent === 'initialHistoryOnly' ? 'initialHistory' : 'none',
    reportsInteractionStatus: p.backgroundReasoning,
    thinking,
    defaultToolBehavior: p.defaultToolBehavior,
    supportsNonBlockingTools: p.allowedToolBehaviors.includes('NON_BLOCKING'),
    severalPartsPerEvent: p.severalPartsPerEvent,
    contextWindowTokens: p.inputTokenLimit,
    supportsGoogleSearch: p.googleSearch,
  };
}

function clientFields(m: LiveModel): Record<string, unknown> {
  const t = m.thinking;
  const thinking = t.kind === 'level' ? { kind: 'level', levels: [...t.levels], required: t.required } : { kind: t.kind };
  return {
    responseModalities: [...m.responseModalities].sort(),
    userText: m.userText,
    historySeeding: m.historySeeding,
    reportsInteractionStatus: m.reportsInteractionStatus,
    thinking,
    defaultToolBehavior: m.defaultToolBehavior,
    supportsNonBlockingTools: m.supportsNonBlockingTools,
    severalPartsPerEvent: m.severalPartsPerEvent,
    contextWindowTokens: m.contextWindowTokens,
    supportsGoogleSearch: m.supportsGoogleSearch,
  };
}

describe('client model table vs emulator model profiles', () => {
  const served = LIVE_MODELS.filter((m) => m.status.kind !== 'shutDown');
  const shutDown = LIVE_MODELS.filter((m) => m.status.kind === 'shutDown');

  it('the client table has served and shut-down models to compare (guards against an empty loop)', () => {
    assert.ok(served.length >= 6, `${served.length} served`);
    assert.ok(shutDown.length >= 2, `${shutDown.length} shut down`);
  });

  for (const m of served) {
    describe(m.id, () => {
      it('is served by the emulator under its id and every alias, as the same profile', () => {
        const p = findModelProfile(m.id);
        assert.ok(p, `the emulator has no profile for ${m.id}`);
        assert.equal(p.id, m.id);
        for (const alias of m.aliases ?? []) assert.equal(findModelProfile(alias), p, `alias ${alias}`);
        assert.deepEqual([...p.aliases].sort(), [...(m.aliases ?? [])].sort());
      });

      it('agrees on modalities, user text, history, interactionStatus, thinking, tools, parts per event and context window', () => {
        const p = findModelProfile(m.id);
        assert.ok(p);
        assert.deepEqual(clientFields(m), asClientSees(p));
      });
    });
  }

  it('every model the emulator serves is in the client table (and not as shut down)', () => {
    for (const p of MODEL_PROFILES) {
      const m = LIVE_MODELS.find((x) => x.id === p.id);
      assert.ok(m, `${p.id} is missing from the client table`);
      assert.notEqual(m.status.kind, 'shutDown', p.id);
    }
  });

  it('shut-down models are refused by both: the client marks them, the emulator serves no profile for them', () => {
    assert.deepEqual(shutDown.map((m) => m.id).sort(), [...SHUT_DOWN_MODELS].sort());
    for (const m of shutDown) {
      assert.equal(findModelProfile(m.id), undefined, m.id);
      assert.equal(findModelProfile(`models/${m.id}`), undefined, m.id);
    }
  });
});
