import assert from 'node:assert/strict';
import { isMacPlatform, shortcutFor, shortcutLabel, type ShortcutKeyEvent } from '../../../webview/shortcuts';

/** A keydown as the browser reports it: `key` is what the layout and modifiers produce, `code` the physical key. */
const press = (code: string, key: string, mods: Partial<ShortcutKeyEvent> = {}) => shortcutFor({ code, key, altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, ...mods } as ShortcutKeyEvent);

describe('panel shortcuts (webview/shortcuts.ts)', () => {
  it('maps Alt+C, D, L, T, R by the physical key', () => {
    assert.deepEqual(
      [press('KeyC', 'c'), press('KeyD', 'd'), press('KeyL', 'l'), press('KeyT', 't'), press('KeyR', 'r')],
      ['connect', 'disconnect', 'toggleListening', 'focusChat', 'refresh'],
    );
  });

  it('fires on macOS, where Option turns the letter into another character', () => {
    // Option+C is 'ç', Option+D '∂', Option+L '¬', Option+T '†', Option+R '®' on a US Mac layout.
    assert.deepEqual(
      [press('KeyC', 'ç'), press('KeyD', '∂'), press('KeyL', '¬'), press('KeyT', '†'), press('KeyR', '®')],
      ['connect', 'disconnect', 'toggleListening', 'focusChat', 'refresh'],
    );
    // KeyS with Alt gives 'ß' on macOS: matched by code, and it is not one of ours.
    assert.equal(press('KeyS', 'ß'), undefined);
  });

  it('leaves other keys and modifier combinations to VS Code', () => {
    assert.equal(press('KeyX', 'x'), undefined);
    assert.equal(press('KeyC', 'c', { altKey: false }), undefined);
    assert.equal(press('KeyC', 'c', { ctrlKey: true }), undefined);
    assert.equal(press('KeyC', 'c', { metaKey: true }), undefined);
    assert.equal(press('KeyC', 'C', { shiftKey: true }), undefined);
    assert.equal(press('constructor', 'c'), undefined);
    assert.equal(press('toString', 'c'), undefined);
  });

  it('labels the shortcut with the OS modifier: ⌥ on macOS, Alt elsewhere', () => {
    assert.equal(shortcutLabel('connect', true), '⌥C');
    assert.equal(shortcutLabel('connect', false), 'Alt+C');
    assert.equal(shortcutLabel('toggleListening', false), 'Alt+L');
    assert.equal(isMacPlatform('MacIntel Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)'), true);
    assert.equal(isMacPlatform('Win32 Mozilla/5.0 (Windows NT 10.0; Win64; x64)'), false);
    assert.equal(isMacPlatform('Linux x86_64 Mozilla/5.0 (X11; Linux x86_64)'), false);
  });
});
