import assert from 'node:assert/strict';
import { SessionStore } from '../../../src/emulator/sessionStore';
import { FakeClock } from '../../fakes/fakeClock';

describe('emulator session store', () => {
  it('maps each handle to a snapshot of the history when it was issued', () => {
    const store = new SessionStore(new FakeClock(), 1000);
    const s = store.create();
    s.history.push({ role: 'user', text: 'a', modality: 'TEXT', tokens: 1 });
    const h1 = store.issueHandle(s);
    s.history.push({ role: 'user', text: 'b', modality: 'TEXT', tokens: 1 });
    const found = store.lookup(h1);
    assert.ok(found.ok);
    assert.deepEqual(found.snapshot.map((t) => t.text), ['a']);
    assert.deepEqual(store.lookup('nope'), { ok: false, reason: 'unknown' });
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
