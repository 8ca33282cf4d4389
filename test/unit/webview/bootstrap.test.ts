import assert from 'node:assert/strict';
import { parseBootstrap, parseWorklets } from '../../../webview/bootstrap';
import { shortcutFor } from '../../../webview/shortcuts';
import { fullState } from './fullState';

describe('panel bootstrap (webview/bootstrap.ts)', () => {
  it('reads a valid embedded state for the first paint', () => {
    assert.deepEqual(parseBootstrap(JSON.stringify(fullState())), fullState());
  });

  it('ignores a missing, unreadable or invalid state, saying why', () => {
    const heard: string[] = [];
    const warn = (m: string) => heard.push(m);
    assert.equal(parseBootstrap(undefined, warn), null);
    assert.equal(parseBootstrap('', warn), null);
    assert.equal(heard.length, 0);
    assert.equal(parseBootstrap('{not json', warn), null);
    assert.match(heard[0]!, /^ignoring unreadable bootstrap state/);
    assert.equal(parseBootstrap(JSON.stringify({ ...fullState(), session: { state: 'dancing' } }), warn), null);
    assert.match(heard[1]!, /^ignoring invalid bootstrap state: state\.session/);
  });

  it('reads the worklet URLs, empty when missing or unreadable', () => {
    assert.deepEqual(parseWorklets('{"capture":"c.js","playback":"p.js"}'), { capture: 'c.js', playback: 'p.js' });
    assert.deepEqual(parseWorklets(undefined), { capture: '', playback: '' });
    assert.deepEqual(parseWorklets('null'), { capture: '', playback: '' });
    assert.deepEqual(parseWorklets('{oops'), { capture: '', playback: '' });
  });
});

describe('panel shortcuts (webview/shortcuts.ts)', () => {
  const press = (key: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => shortcutFor({ key, altKey: true, ctrlKey: false, metaKey: false, ...mods });
  it('maps Alt+C, D, L, T, R (either case)', () => {
    assert.deepEqual(['c', 'd', 'l', 't', 'R'].map((k) => press(k)), ['connect', 'disconnect', 'toggleListening', 'focusChat', 'refresh']);
  });
  it('leaves other keys and modifier combinations to VS Code', () => {
    assert.equal(press('x'), undefined);
    assert.equal(press('c', { altKey: false }), undefined);
    assert.equal(press('c', { ctrlKey: true }), undefined);
    assert.equal(press('c', { metaKey: true }), undefined);
    assert.equal(press('constructor'), undefined);
  });
});
