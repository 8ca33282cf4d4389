import assert from 'node:assert/strict';
import { MAX_HANDLES_PER_SESSION, SessionStore } from '../../../src/emulator/sessionStore';
import { FakeClock } from '../../fakes/fakeClock';

describe('emulator session store', () => {
  const turn = (text: string) => ({ role: 'user' as const, text, modality: 'TEXT' as const, tokens: 1 });

  it('maps each handle to a position in the one history; restoring cuts the turns after it', () => {
    const store = new SessionStore(new FakeClock(), 1000);
    const s = store.create();
    s.history.push(turn('a'));
    const h1 = store.issueHandle(s);
    s.history.push(turn('b'));
    const h2 = store.issueHandle(s);
    const found = store.lookup(h1);
    assert.ok(found.ok);
    assert.equal(found.position, 1);
    store.restore(s, found.position);
    assert.deepEqual(s.history.map((t) => t.text), ['a']);
    // h2 covered a turn that no longer exists: it is gone, h1 stays.
    assert.deepEqual(store.lookup(h2), { ok: false, reason: 'unknown' });
    assert.ok(store.lookup(h1).ok);
    assert.deepEqual(store.lookup('nope'), { ok: false, reason: 'unknown' });
  });

  it('keeps positions absolute across compression (turns dropped from the front)', () => {
    const store = new SessionStore(new FakeClock(), 1000);
    const s = store.create();
    for (const t of ['a', 'b', 'c', 'd']) s.history.push(turn(t));
    const h = store.issueHandle(s); // covers 4 turns
    s.dropFront(2);
    s.history.push(turn('e'));
    assert.equal(s.position, 5);
    const found = store.lookup(h);
    assert.ok(found.ok);
    store.restore(s, found.position);
    assert.deepEqual(s.history.map((t) => t.text), ['c', 'd']);
  });

  // Issue 14: each handle used to snapshot the whole history (memory grew with turns²).
  it('stores no copy of the history per handle, and keeps a bounded number of handles', () => {
    const store = new SessionStore(new FakeClock(), 1000);
    const s = store.create();
    for (let i = 0; i < MAX_HANDLES_PER_SESSION + 50; i++) {
      s.history.push(turn(`t${i}`));
      store.issueHandle(s);
    }
    assert.equal(store.handleCount, MAX_HANDLES_PER_SESSION);
    assert.equal(s.handles.length, MAX_HANDLES_PER_SESSION);
  });

  // Docs: a handle is valid for about 2 h after the last connection ended; then nothing needs the session.
  it('evicts sessions and their handles handleLifetimeMs after their last connection ended (emulator clock)', () => {
    const clock = new FakeClock();
    const store = new SessionStore(clock, 7_200_000);
    const ended = store.create();
    store.issueHandle(ended);
    ended.lastConnectionEndedAt = clock.now();
    const live = store.create();
    live.activeConnectionId = 'c1';
    store.issueHandle(live);
    clock.advance(7_199_999);
    assert.deepEqual(store.evictExpired(), []);
    clock.advance(1);
    assert.deepEqual(store.evictExpired(), [ended.id]);
    assert.equal(store.handleCount, 1);
    assert.deepEqual(store.list().map((x) => x.id), [live.id]);
  });

  it('keeps handles valid while connected and for handleLifetimeMs after the last connection ended', () => {
    const clock = new FakeClock();
    const store = new SessionStore(clock, 1000);
    const s = store.create();
    const h = store.issueHandle(s);
    s.activeConnectionId = 'c1';
    clock.advance(5000);
    assert.ok(store.lookup(h).ok);
    s.activeConnectionId = undefined;
    s.lastConnectionEndedAt = clock.now();
    clock.advance(999);
    assert.ok(store.lookup(h).ok);
    clock.advance(1);
    assert.deepEqual(store.lookup(h), { ok: false, reason: 'expired' });
    s.capped = true;
    assert.deepEqual(store.lookup(h), { ok: false, reason: 'capped' });
  });

  it('counts all input audio but keeps PCM only up to the limit', () => {
    const store = new SessionStore(new FakeClock(), 1000, 10);
    const s = store.create();
    s.recordAudio(Int16Array.from([1, 2, 3]), 16_000);
    s.recordAudio(Int16Array.from([4, 5, 6]), 16_000);
    assert.equal(s.audio.bytes, 12);
    assert.deepEqual([...s.receivedPcm()], [1, 2, 3, 4, 5]);
  });
});
