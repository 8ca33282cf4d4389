import assert from 'node:assert/strict';
import { CACHED_TRANSCRIPT_ENTRIES, defaultUiState, readUiState, trimForCache } from '../../../webview/uiState';
import { maskSecrets, prettyJson } from '../../../webview/ui/maskSecrets';
import { fullState } from './fullState';

describe('persisted panel state', () => {
  it('round-trips a valid state', () => {
    const s = { ...defaultUiState('wv-1'), draft: 'half a thought', volume: 0.3, lastState: fullState() };
    assert.deepEqual(readUiState(JSON.parse(JSON.stringify(s)), () => 'new'), s);
  });

  it('keeps the draft when another field is corrupt', () => {
    const s = readUiState({ v: 1, clientId: 'wv-2', draft: 'keep me', volume: 7, activeTab: 'settings', followTranscript: 'yes', lastState: { nope: true }, debugJson: null }, () => 'new');
    assert.equal(s.draft, 'keep me');
    assert.equal(s.clientId, 'wv-2');
    assert.equal(s.volume, 0.8);
    assert.equal(s.activeTab, 'settings');
    assert.equal(s.followTranscript, true);
    assert.equal(s.lastState, null);
  });

  it('starts fresh from nothing', () => {
    assert.deepEqual(readUiState(undefined, () => 'wv-3'), defaultUiState('wv-3'));
  });

  it('caches only the tail of a long transcript', () => {
    const base = fullState();
    const long = { ...base, transcript: Array.from({ length: 250 }, (_, i) => ({ ...base.transcript[0]!, id: `e${i}` })) };
    const trimmed = trimForCache(long);
    assert.equal(trimmed.transcript.length, CACHED_TRANSCRIPT_ENTRIES);
    assert.equal(trimmed.transcript.at(-1)!.id, 'e249');
  });
});

describe('debug view masking', () => {
  it('masks credentials the host should already have redacted', () => {
    const text = JSON.stringify({ apiKey: 'AIzaSyA-1234567890abcdefghijklmnopqrstu', url: 'wss://x/ws?key=secret123&alt=1', name: 'auth_tokens/abcdefghijk', token: '<token:ab12>' });
    const masked = maskSecrets(text);
    assert.ok(!masked.includes('AIzaSy'));
    assert.ok(!masked.includes('secret123'));
    assert.ok(!masked.includes('abcdefghijk'));
    assert.ok(masked.includes('auth_tokens/ab…'));
    assert.ok(masked.includes('"token":"<token:ab12>"'));
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    assert.equal(prettyJson('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(prettyJson('not json'), 'not json');
  });
});
