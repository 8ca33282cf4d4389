import assert from 'node:assert/strict';
import { READY_RESEND_DELAYS_MS, ReadyHandshake, type Schedule } from '../../../webview/readyHandshake';

/** A schedule whose pending callbacks run when the test says so. */
function manualSchedule(): { schedule: Schedule; pending: Array<{ delayMs: number; run: () => void }>; fireNext(): void } {
  const pending: Array<{ delayMs: number; run: () => void }> = [];
  return {
    pending,
    schedule: (run, delayMs) => {
      const entry = { delayMs, run };
      pending.push(entry);
      return () => {
        const at = pending.indexOf(entry);
        if (at >= 0) pending.splice(at, 1);
      };
    },
    fireNext() {
      const next = pending.shift();
      assert.ok(next, 'nothing scheduled');
      next.run();
    },
  };
}

describe('the webview ready handshake', () => {
  it('sends ready at once and again after 1, 2, 4, 8 and 16 s while the host stays silent, then stops', () => {
    const timers = manualSchedule();
    let sent = 0;
    const handshake = new ReadyHandshake(() => sent++, timers.schedule);
    handshake.start();
    assert.equal(sent, 1);
    const delays: number[] = [];
    for (let i = 0; i < 10 && timers.pending.length > 0; i++) {
      delays.push(timers.pending[0]!.delayMs);
      timers.fireNext();
    }
    assert.deepEqual(delays, [...READY_RESEND_DELAYS_MS]);
    assert.equal(sent, 1 + READY_RESEND_DELAYS_MS.length);
    assert.equal(timers.pending.length, 0, 'the repeats are bounded');
  });

  it('stops repeating once init arrives', () => {
    const timers = manualSchedule();
    let sent = 0;
    const handshake = new ReadyHandshake(() => sent++, timers.schedule);
    handshake.start();
    timers.fireNext(); // the host missed the first one
    assert.equal(sent, 2);
    handshake.answer();
    assert.equal(handshake.isAnswered, true);
    assert.equal(timers.pending.length, 0);
    assert.equal(sent, 2);
  });

  it('sends nothing more after dispose, and start() twice sends once', () => {
    const timers = manualSchedule();
    let sent = 0;
    const handshake = new ReadyHandshake(() => sent++, timers.schedule);
    handshake.start();
    handshake.start();
    assert.equal(sent, 1);
    handshake.dispose();
    assert.equal(timers.pending.length, 0);
    assert.equal(sent, 1);
  });
});
