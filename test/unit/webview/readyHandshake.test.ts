import assert from 'node:assert/strict';
import { READY_RESEND_DELAYS_MS, ReadyHandshake, type Schedule } from '../../../webview/readyHandshake';
import { FakeClock } from '../../fakes/fakeClock';

/** The handshake's Schedule on a FakeClock (the webview cannot import src/common's Clock). */
function scheduleOn(clock: FakeClock): Schedule {
  return (callback, delayMs) => {
    const timer = clock.setTimeout(callback, delayMs);
    return () => timer.dispose();
  };
}

describe('the webview ready handshake', () => {
  it('sends ready at once and again after 1, 2, 4, 8 and 16 s while the host stays silent, then stops', () => {
    const clock = new FakeClock();
    const sentAt: number[] = [];
    const handshake = new ReadyHandshake(() => sentAt.push(clock.now()), scheduleOn(clock));
    handshake.start();
    assert.equal(sentAt.length, 1);
    clock.runAll(10);
    const delays = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    assert.deepEqual(delays, [...READY_RESEND_DELAYS_MS]);
    assert.equal(sentAt.length, 1 + READY_RESEND_DELAYS_MS.length);
    assert.equal(clock.pendingTimers, 0, 'the repeats are bounded');
  });

  it('stops repeating once init arrives', () => {
    const clock = new FakeClock();
    let sent = 0;
    const handshake = new ReadyHandshake(() => sent++, scheduleOn(clock));
    handshake.start();
    clock.advance(READY_RESEND_DELAYS_MS[0]!); // the host missed the first one
    assert.equal(sent, 2);
    handshake.answer();
    assert.equal(handshake.isAnswered, true);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(sent, 2);
  });

  it('sends nothing more after dispose, and start() twice sends once', () => {
    const clock = new FakeClock();
    let sent = 0;
    const handshake = new ReadyHandshake(() => sent++, scheduleOn(clock));
    handshake.start();
    handshake.start();
    assert.equal(sent, 1);
    handshake.dispose();
    assert.equal(clock.pendingTimers, 0);
    assert.equal(sent, 1);
  });
});
