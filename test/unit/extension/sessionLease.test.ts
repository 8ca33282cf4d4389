import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/logger';
import { leaseStatus, parseLease, SessionLease, type Lease, type LeaseStore } from '../../../src/extension/persistence/sessionLease';
import { FakeClock, flushMicrotasks } from '../../fakes/fakeClock';

/** One store shared by several "windows", as globalState is. */
class SharedStore implements LeaseStore {
  value: Lease | undefined;
  writes = 0;
  get(): Lease | undefined {
    return this.value && { ...this.value };
  }
  async set(lease: Lease | undefined): Promise<void> {
    this.writes++;
    this.value = lease && { ...lease };
  }
}

const timing = { heartbeatMs: 10_000, staleAfterMs: 30_000 };

/** Runs `work` while the fake clock moves in 250 ms steps (a claim watches the holder's heartbeat). Bounded. */
async function ticking<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  let value!: T;
  void work.then((v) => {
    done = true;
    value = v;
  });
  for (let i = 0; i < 400 && !done; i++) {
    await flushMicrotasks();
    if (!done) clock.advance(250);
  }
  await flushMicrotasks();
  assert.ok(done, 'the claim settled');
  return value;
}

describe('session lease', () => {
  it('tells free, mine and held elsewhere apart; a lease 30 s without a beat is free', () => {
    assert.equal(leaseStatus(undefined, 'a', 0, 30_000), 'free');
    assert.equal(leaseStatus({ windowId: 'a', heartbeatAt: 0 }, 'a', 100_000, 30_000), 'mine');
    assert.equal(leaseStatus({ windowId: 'b', heartbeatAt: 0 }, 'a', 30_000, 30_000), 'heldElsewhere');
    assert.equal(leaseStatus({ windowId: 'b', heartbeatAt: 0 }, 'a', 30_001, 30_000), 'free');
  });

  it('reads only well-formed leases', () => {
    assert.equal(parseLease(null), undefined);
    assert.equal(parseLease({ windowId: '', heartbeatAt: 1 }), undefined);
    assert.equal(parseLease({ windowId: 'w', heartbeatAt: 'x' }), undefined);
    assert.deepEqual(parseLease({ windowId: 'w', heartbeatAt: 5, extra: 1 }), { windowId: 'w', heartbeatAt: 5 });
  });

  it('beats every 10 s while held and clears the lease on release', async () => {
    const clock = new FakeClock(1_000);
    const store = new SharedStore();
    const lease = new SessionLease(store, clock, 'a', nullLogger, timing);
    assert.equal(await lease.claim(async () => 'cancel'), 'claimed');
    assert.equal(store.value?.heartbeatAt, 1_000);
    clock.advance(10_000);
    await flushMicrotasks();
    assert.equal(store.value?.heartbeatAt, 11_000);
    await lease.release();
    assert.equal(store.value, undefined);
    assert.equal(lease.held, false);
    lease.dispose();
  });

  it('asks before taking a fresh lease from another window, and the loser notices at its next beat', async () => {
    const clock = new FakeClock(0);
    const store = new SharedStore();
    const first = new SessionLease(store, clock, 'first', nullLogger, timing);
    const second = new SessionLease(store, clock, 'second', nullLogger, timing);
    await first.claim(async () => 'cancel');
    let asked = 0;
    // The first window is alive: it beats while the second one watches, so the user is asked.
    assert.equal(await ticking(clock, second.claim(async () => (asked++, 'cancel'))), 'cancelled');
    assert.equal(store.value?.windowId, 'first');
    assert.equal(await ticking(clock, second.claim(async () => (asked++, 'newConversation'))), 'newConversation');
    assert.equal(store.value?.windowId, 'first');
    const lost: string[] = [];
    first.onDidLose((e) => lost.push(e.holder));
    assert.equal(await ticking(clock, second.claim(async () => (asked++, 'takeOver'))), 'claimed');
    assert.equal(asked, 3);
    clock.advance(10_000);
    await flushMicrotasks();
    assert.deepEqual(lost, ['second']);
    assert.equal(first.held, false);
    assert.equal(store.value?.windowId, 'second', 'the loser must not write over the new holder');
    // Releasing after losing leaves the new holder's lease alone.
    await first.release();
    assert.equal(store.value?.windowId, 'second');
    first.dispose();
    second.dispose();
  });

  it('takes over without asking from a window that stopped beating (a reload that never released)', async () => {
    const clock = new FakeClock(0);
    const store = new SharedStore();
    // What a reloaded window leaves behind: a lease written a moment ago that nobody renews.
    store.value = { windowId: 'before-reload', heartbeatAt: 0 };
    clock.advance(2_000);
    const after = new SessionLease(store, clock, 'after-reload', nullLogger, timing);
    let asked = 0;
    const started = clock.now();
    assert.equal(await ticking(clock, after.claim(async () => (asked++, 'cancel'))), 'claimed');
    assert.equal(asked, 0, 'no question');
    assert.equal(store.value?.windowId, 'after-reload');
    assert.ok(clock.now() - started <= timing.heartbeatMs + 1_250, 'decided within one heartbeat');
    after.dispose();
  });

  it('takes a stale lease without asking', async () => {
    const clock = new FakeClock(100_000);
    const store = new SharedStore();
    store.value = { windowId: 'crashed', heartbeatAt: 100_000 - 31_000 };
    const lease = new SessionLease(store, clock, 'me', nullLogger, timing);
    assert.equal(await lease.claim(async () => assert.fail('must not ask')), 'claimed');
    assert.equal(store.value?.windowId, 'me');
    lease.dispose();
    clock.advance(60_000);
    await flushMicrotasks();
    assert.equal(store.value?.heartbeatAt, 100_000, 'a disposed lease keeps no timer');
  });
});
