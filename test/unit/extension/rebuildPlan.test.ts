import assert from 'node:assert/strict';
import { planRebuild, type RebuildInput, type RebuildPlan } from '../../../src/extension/rebuildPlan';

const GEMINI = { backend: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', model: 'gemini-live-a' };
const input = (over: Partial<RebuildInput>): RebuildInput => ({ fresh: false, restoreFromStorage: false, resumption: true, hasPersistence: true, old: GEMINI, next: GEMINI, ...over });

describe('rebuild plan (SessionController.rebuild)', () => {
  const rows: ReadonlyArray<[string, Partial<RebuildInput>, RebuildPlan]> = [
    ['first connect after a reload: restore from storage', { restoreFromStorage: true, old: undefined }, { source: 'storage', announceNewConversation: false, persist: true }],
    ['first connect without persistence: fresh', { restoreFromStorage: true, hasPersistence: false, old: undefined }, { source: 'none', announceNewConversation: false, persist: false }],
    ['a settings change, same backend, endpoint and model: carry over', {}, { source: 'carryOver', announceNewConversation: false, persist: true }],
    ['another model: fresh, and the transcript says so', { next: { ...GEMINI, model: 'gemini-live-b' } }, { source: 'none', announceNewConversation: true, persist: true }],
    ['the same model spelled models/… or by its alias: carry over', { old: { ...GEMINI, model: 'models/gemini-2.5-flash-native-audio-latest' }, next: { ...GEMINI, model: 'gemini-2.5-flash-native-audio-preview-12-2025' } }, { source: 'carryOver', announceNewConversation: false, persist: true }],
    ['another backend: fresh', { next: { ...GEMINI, backend: 'emulator' } }, { source: 'none', announceNewConversation: true, persist: true }],
    ['another endpoint: fresh', { next: { ...GEMINI, baseUrl: 'https://proxy.example' } }, { source: 'none', announceNewConversation: true, persist: true }],
    ['resumption off: nothing carried, nothing saved', { resumption: false }, { source: 'none', announceNewConversation: true, persist: false }],
    ['resumption off on the first connect: nothing restored', { resumption: false, restoreFromStorage: true, old: undefined }, { source: 'none', announceNewConversation: false, persist: false }],
    ['New Conversation chosen: fresh, not saved', { fresh: true }, { source: 'none', announceNewConversation: true, persist: false }],
    ['New Conversation after a reload: storage ignored', { fresh: true, restoreFromStorage: true, old: undefined }, { source: 'none', announceNewConversation: false, persist: false }],
    ['after another window took over: storage wins over the old client', { restoreFromStorage: true }, { source: 'storage', announceNewConversation: true, persist: true }],
    ['no old client, nothing to restore: fresh', { old: undefined }, { source: 'none', announceNewConversation: false, persist: true }],
  ];
  for (const [name, over, want] of rows) {
    it(name, () => assert.deepEqual(planRebuild(input(over)), want));
  }
});
