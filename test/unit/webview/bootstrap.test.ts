import assert from 'node:assert/strict';
import { parseBootstrap, parseWorklets } from '../../../webview/bootstrap';
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
