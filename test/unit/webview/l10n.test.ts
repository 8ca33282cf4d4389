import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLocalize, parseWebviewStrings, t, useWebviewStrings } from '../../../webview/l10n';
import { webviewStrings } from '../../../src/extension/webviewStrings';
import { WEBVIEW_STRING_KEYS } from '../../../src/extension/webviewStringKeys';

describe('panel localization (webview/l10n.ts, src/extension/webviewStrings.ts)', () => {
  afterEach(() => useWebviewStrings({}));

  it('looks a string up by its English text and fills {0}, {1}', () => {
    const de = createLocalize({ 'Insert at Cursor': 'An der Cursorposition einfügen', 'turn {0} · {1}': 'Runde {0} · {1}' });
    assert.equal(de('Insert at Cursor'), 'An der Cursorposition einfügen');
    assert.equal(de('turn {0} · {1}', 3, '10:00:00'), 'Runde 3 · 10:00:00');
  });

  it('falls back to English for a missing, empty or inherited key, and keeps unfilled placeholders', () => {
    const l = createLocalize({ Copy: '' });
    assert.equal(l('Copy'), 'Copy');
    assert.equal(l('Jump to latest ↓'), 'Jump to latest ↓');
    assert.equal(l('toString'), 'toString');
    assert.equal(l('turn {0} · {1}', 2), 'turn 2 · {1}');
  });

  it('reads the strings from the HTML and ignores anything unreadable', () => {
    assert.deepEqual(parseWebviewStrings('{"Copy":"Kopieren","n":1}'), { Copy: 'Kopieren' });
    for (const bad of [undefined, '', '{oops', '[1]', 'null', '"x"']) assert.deepEqual(parseWebviewStrings(bad), {}, String(bad));
  });

  it('t() speaks the language the panel was given', () => {
    assert.equal(t('Copy'), 'Copy');
    useWebviewStrings({ Copy: 'Kopieren' });
    assert.equal(t('Copy'), 'Kopieren');
  });

  it('the host passes the translations of the panel strings only, from a string or { message } bundle', () => {
    const bundle = { Copy: 'Kopieren', 'Insert at Cursor': { message: 'Einfügen' }, 'A host string': 'Ein Host-Text', You: 'You' };
    assert.deepEqual(webviewStrings(bundle, ['Copy', 'Insert at Cursor', 'You', 'Transcript']), { Copy: 'Kopieren', 'Insert at Cursor': 'Einfügen' });
    assert.deepEqual(webviewStrings(undefined), {}, 'English: nothing to pass');
  });

  it('every panel string is in the l10n bundle translators work from', () => {
    const bundle = JSON.parse(readFileSync(resolve(__dirname, '../../../l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
    assert.ok(WEBVIEW_STRING_KEYS.includes('Insert at Cursor'));
    for (const key of WEBVIEW_STRING_KEYS) assert.equal(bundle[key], key, key);
  });
});
