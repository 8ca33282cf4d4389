import assert from 'node:assert/strict';
import { Emitter } from '../../../src/common/event';
import { awaitTaskRun, type TaskRunEnd } from '../../../src/extension/tools/knowledge/taskRun';
import { CancelSignal } from '../../../src/extension/tools/toolCallCoordinator';
import { FakeClock, flushMicrotasks } from '../../fakes/fakeClock';

const LIMIT_MS = 5 * 60_000;

/** A task system with one task: the test says when it has started and when it ends. */
function harness() {
  const clock = new FakeClock();
  const signal = new CancelSignal();
  const endEmitter = new Emitter<number | undefined>();
  let started = 0;
  let terminated = 0;
  let release: () => void = () => undefined;
  let outcome: TaskRunEnd | undefined;
  const run = awaitTaskRun(
    {
      start: () => {
        started++;
        return new Promise((resolve) => (release = () => resolve({ terminate: () => terminated++ })));
      },
      onEnd: (listener) => endEmitter.event(listener),
      clock,
      limitMs: LIMIT_MS,
    },
    signal,
  ).then((end) => (outcome = end));
  return {
    clock,
    signal,
    run,
    startedTask: () => release(),
    end: (exitCode: number | undefined) => endEmitter.fire(exitCode),
    get started() {
      return started;
    },
    get terminated() {
      return terminated;
    },
    get outcome() {
      return outcome;
    },
  };
}

describe('run_task / run_tests: waiting for the task', () => {
  it('reports the exit code when the task ends, and stops nothing', async () => {
    const h = harness();
    h.startedTask();
    await flushMicrotasks();
    h.end(3);
    await h.run;
    assert.deepEqual(h.outcome, { kind: 'ended', exitCode: 3 });
    assert.equal(h.terminated, 0);
    assert.equal(h.clock.pendingTimers, 0, 'the limit timer is gone');
  });

  it('terminates the task when the model cancels the call while it runs', async () => {
    const h = harness();
    h.startedTask();
    await flushMicrotasks();
    h.signal.cancel();
    await h.run;
    assert.deepEqual(h.outcome, { kind: 'cancelled' });
    assert.equal(h.terminated, 1);
    h.end(130); // the terminated task's end changes nothing
    await flushMicrotasks();
    assert.equal(h.terminated, 1);
  });

  it('terminates a task cancelled while it was still starting, as soon as it has started', async () => {
    const h = harness();
    await flushMicrotasks();
    h.signal.cancel();
    await flushMicrotasks();
    assert.equal(h.outcome, undefined, 'waits for the execution it has to stop');
    h.startedTask();
    await h.run;
    assert.deepEqual(h.outcome, { kind: 'cancelled' });
    assert.equal(h.terminated, 1);
  });

  it('at the limit answers "still running" and leaves the task running', async () => {
    const h = harness();
    h.startedTask();
    await flushMicrotasks();
    h.clock.advance(LIMIT_MS - 1);
    await flushMicrotasks();
    assert.equal(h.outcome, undefined);
    h.clock.advance(1);
    await h.run;
    assert.deepEqual(h.outcome, { kind: 'stillRunning' });
    assert.equal(h.terminated, 0, 'the task goes on');
    h.signal.cancel(); // a later cancellation (the session ends) does not stop it either: the answer was given
    await flushMicrotasks();
    assert.equal(h.terminated, 0);
  });

  it('starts nothing for a call withdrawn before it ran', async () => {
    const clock = new FakeClock();
    const signal = new CancelSignal();
    signal.cancel();
    let started = false;
    const end = await awaitTaskRun({ start: async () => ((started = true), { terminate: () => undefined }), onEnd: () => ({ dispose: () => undefined }), clock, limitMs: LIMIT_MS }, signal);
    assert.deepEqual(end, { kind: 'cancelled' });
    assert.equal(started, false);
  });
});
