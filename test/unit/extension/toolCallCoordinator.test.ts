import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/logger';
import type { FunctionResponse } from '../../../src/core/messages';
import { CancelSignal, ToolCallCoordinator, type ToolCallRecord, type ToolPorts } from '../../../src/extension/tools/toolCallCoordinator';
import { toolKind, type ValidatedCall } from '../../../src/extension/tools/toolRegistry';
import { flushMicrotasks } from '../../fakes/fakeClock';

interface Question {
  call: ValidatedCall;
  callId: string;
  signal: CancelSignal;
  answer(allow: boolean): void;
}

function harness(options: { confirmReadOnly?: boolean; background?: boolean; holdExecution?: boolean } = {}) {
  const sent: Array<FunctionResponse & { connection: number | undefined }> = [];
  const questions: Question[] = [];
  const executed: ValidatedCall[] = [];
  /** With `holdExecution`: each running call waits here until the test releases it (an edit ignores the signal). */
  const held: Array<() => void> = [];
  let live: number | undefined = 1;
  let failWith: string | undefined;
  const ports: ToolPorts = {
    liveConnection: () => live,
    send: (r) => sent.push({ ...r, connection: live }),
    needsConfirmation: (call) => toolKind(call.name) === 'change' || options.confirmReadOnly === true,
    confirm: (call, callId, signal) =>
      new Promise<boolean>((resolve) => {
        questions.push({ call, callId, signal, answer: resolve });
        signal.onCancel(() => resolve(false));
      }),
    execute: async (call) => {
      executed.push(call);
      if (options.holdExecution) await new Promise<void>((release) => held.push(release));
      if (failWith) throw new Error(failWith);
      return { done: call.name };
    },
    allowedCommands: () => ['workbench.action.files.save'],
    lateAnswersReachTheModel: options.background,
    log: nullLogger,
  };
  const coordinator = new ToolCallCoordinator(ports);
  const records: ToolCallRecord[] = [];
  coordinator.onDidRecord((r) => records.push(r));
  return {
    coordinator,
    sent,
    questions,
    executed,
    held,
    records,
    setLive: (c: number | undefined) => (live = c),
    failWith: (m: string) => (failWith = m),
  };
}

const insert = { name: 'insert_text', args: { text: 'hello' } };

describe('tool call coordinator', () => {
  it('runs read-only tools at once and answers with the result', async () => {
    const h = harness();
    h.coordinator.onToolCall(1, 1, [{ id: 'c1', name: 'open_file', args: { path: 'a.ts' } }]);
    await flushMicrotasks();
    assert.equal(h.questions.length, 0);
    assert.deepEqual(h.sent, [{ id: 'c1', name: 'open_file', response: { result: { done: 'open_file' } }, connection: 1 }]);
  });

  it('asks before read-only tools too when the setting says so', async () => {
    const h = harness({ confirmReadOnly: true });
    h.coordinator.onToolCall(1, 1, [{ id: 'c1', name: 'search_workspace', args: { query: 'x' } }]);
    await flushMicrotasks();
    assert.equal(h.questions.length, 1);
  });

  it('confirm: runs the change after the user allows it', async () => {
    const h = harness();
    h.coordinator.onToolCall(2, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    assert.equal(h.executed.length, 0, 'nothing runs before the user answers');
    h.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1);
    assert.deepEqual(h.sent.map((s) => [s.id, s.response]), [['c1', { result: { done: 'insert_text' } }]]);
    assert.deepEqual(h.records.map((r) => r.status), ['pending', 'running', 'ok']);
  });

  it('reject: answers with a clear error and runs nothing', async () => {
    const h = harness();
    h.coordinator.onToolCall(2, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    h.questions[0]!.answer(false);
    await flushMicrotasks();
    assert.equal(h.executed.length, 0);
    assert.deepEqual(h.sent.map((s) => s.response), [{ error: 'The user declined to run insert_text.' }]);
  });

  it('cancel: toolCallCancellation dismisses the question; nothing runs or is sent', async () => {
    const h = harness();
    h.coordinator.onToolCall(2, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    h.coordinator.onCancellation(['c1']);
    await flushMicrotasks();
    assert.ok(h.questions[0]!.signal.cancelled);
    assert.equal(h.executed.length, 0);
    assert.equal(h.sent.length, 0);
    assert.equal(h.records.at(-1)?.status, 'cancelled');
    // The same call later is a new question, not a cached cancellation.
    h.coordinator.onToolCall(2, 1, [{ id: 'c2', ...insert }]);
    await flushMicrotasks();
    assert.equal(h.questions.length, 2);
  });

  it('handoff while the question is open: the repeat with a new id joins it; answered once, on the new connection', async () => {
    const h = harness();
    h.coordinator.onToolCall(3, 1, [{ id: 'old', ...insert }]);
    await flushMicrotasks();
    h.setLive(undefined); // switching connections
    h.setLive(2);
    h.coordinator.onToolCall(3, 2, [{ id: 'new', name: 'insert_text', args: { text: 'hello' } }]);
    await flushMicrotasks();
    assert.equal(h.questions.length, 1, 'the user is not asked twice');
    h.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1, 'run once');
    assert.deepEqual(h.sent.map((s) => [s.id, s.connection]), [['new', 2]]);
  });

  it('background calls: an answer given after the connection changed still goes to the session (which gives it to the model as content), once', async () => {
    const h = harness({ background: true });
    h.coordinator.onToolCall(1, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    h.setLive(2);
    h.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1);
    assert.deepEqual(h.sent.map((r) => [r.id, r.connection]), [['c1', 2]]);
    // Blocking calls are not answered on another connection (their repeat is): the same steps send nothing.
    const blocking = harness();
    blocking.coordinator.onToolCall(1, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    blocking.setLive(2);
    blocking.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.deepEqual(blocking.sent, []);
  });

  it('a repeat after the call finished is answered from the cache without running or asking again', async () => {
    const h = harness();
    h.coordinator.onToolCall(3, 1, [{ id: 'old', ...insert }]);
    await flushMicrotasks();
    h.setLive(undefined); // the user answers while no connection is up
    h.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.equal(h.sent.length, 0, 'no connection to answer on: dropped, not sent to the wrong one');
    h.setLive(2);
    h.coordinator.onToolCall(3, 2, [{ id: 'new', ...insert }]);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1);
    assert.equal(h.questions.length, 1);
    assert.deepEqual(h.sent.map((s) => [s.id, s.connection, s.response]), [['new', 2, { result: { done: 'insert_text' } }]]);
    // The same call in another turn is a new call.
    h.coordinator.onToolCall(4, 2, [{ id: 'next', ...insert }]);
    await flushMicrotasks();
    assert.equal(h.questions.length, 2);
  });

  it('an edit the model cancels while it runs still finishes; its outcome is kept, so a repeat does not run it again', async () => {
    const h = harness({ holdExecution: true });
    h.coordinator.onToolCall(5, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    h.questions[0]!.answer(true);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1, 'the edit is running');
    h.coordinator.onCancellation(['c1']);
    h.held[0]!(); // the edit cannot stop: it completes
    await flushMicrotasks();
    assert.equal(h.sent.length, 0, 'the withdrawn call is not answered');
    assert.equal(h.records.at(-1)!.status, 'ok', 'the transcript says the edit was made');
    h.coordinator.onToolCall(5, 1, [{ id: 'c2', ...insert }]);
    await flushMicrotasks();
    assert.equal(h.executed.length, 1, 'the text is not inserted a second time');
    assert.equal(h.questions.length, 1, 'the user is not asked again');
    assert.deepEqual(h.sent.map((s) => [s.id, s.response]), [['c2', { result: { done: 'insert_text' } }]]);
  });

  it('answers invalid calls and executor failures with the reason', async () => {
    const h = harness();
    h.failWith('No such file: a.ts');
    h.coordinator.onToolCall(1, 1, [
      { id: 'x', name: 'open_file', args: { path: 'a.ts' } },
      { id: 'y', name: 'rm_rf', args: {} },
      { id: 'z', name: 'run_command', args: { command: 'evil' } },
      { name: 'open_file', args: { path: 'no-id' } },
    ]);
    await flushMicrotasks();
    const byId = Object.fromEntries(h.sent.map((s) => [s.id, s.response]));
    assert.deepEqual(byId.x, { error: 'No such file: a.ts' });
    assert.match(String((byId.y as { error: string }).error), /Unknown function "rm_rf"/);
    assert.match(String((byId.z as { error: string }).error), /allow-list/);
    assert.equal(h.sent.length, 3, 'a call without an id cannot be answered');
  });

  it('dispose dismisses open questions and sends nothing afterwards', async () => {
    const h = harness();
    h.coordinator.onToolCall(1, 1, [{ id: 'c1', ...insert }]);
    await flushMicrotasks();
    h.coordinator.dispose();
    await flushMicrotasks();
    assert.ok(h.questions[0]!.signal.cancelled);
    assert.equal(h.sent.length, 0);
  });
});

describe('tool call coordinator: calls of other registries (language-model tools)', () => {
  interface LmCall {
    name: string;
    args: Record<string, unknown>;
  }
  function lmHarness() {
    const sent: FunctionResponse[] = [];
    const running: Array<{ call: LmCall; signal: CancelSignal; finish(value: unknown): void }> = [];
    const coordinator = new ToolCallCoordinator<LmCall>({
      liveConnection: () => 1,
      send: (r) => sent.push(r),
      validate: (name, args) => (name === 'slow_tool' ? { name, args: args as Record<string, unknown> } : { error: `Unknown function ${name}` }),
      needsConfirmation: () => false,
      confirm: async () => true,
      execute: (call, signal) =>
        new Promise((resolve, reject) => {
          running.push({ call, signal, finish: resolve });
          signal.onCancel(() => reject(new Error('Canceled')));
        }),
      allowedCommands: () => [],
      lateAnswersReachTheModel: true,
      log: nullLogger,
    });
    const records: ToolCallRecord[] = [];
    coordinator.onDidRecord((r) => records.push(r));
    return { coordinator, sent, running, records };
  }

  it('validates through the given port and answers names it does not know with its error', async () => {
    const h = lmHarness();
    h.coordinator.onToolCall(1, 1, [{ id: 'x', name: 'open_file', args: { path: 'a' } }]);
    await flushMicrotasks();
    assert.deepEqual(h.sent, [{ id: 'x', name: 'open_file', response: { error: 'Unknown function open_file' } }]);
  });

  it('stops a running tool when the model cancels the call: the signal fires, nothing is answered, the transcript says cancelled', async () => {
    const h = lmHarness();
    h.coordinator.onToolCall(1, 1, [{ id: 's1', name: 'slow_tool', args: { seconds: 60 } }]);
    await flushMicrotasks();
    assert.equal(h.running.length, 1);
    h.coordinator.onCancellation(['s1']);
    await flushMicrotasks();
    assert.equal(h.running[0]!.signal.cancelled, true);
    assert.deepEqual(h.sent, []);
    assert.equal(h.records.at(-1)!.status, 'cancelled');
    // The cancelled outcome is not kept: the same call again runs again.
    h.coordinator.onToolCall(1, 1, [{ id: 's2', name: 'slow_tool', args: { seconds: 60 } }]);
    await flushMicrotasks();
    assert.equal(h.running.length, 2);
    h.running[1]!.finish('done at last');
    await flushMicrotasks();
    assert.deepEqual(h.sent, [{ id: 's2', name: 'slow_tool', response: { result: 'done at last' } }]);
  });

  it('stops running tools when the session ends (dispose)', async () => {
    const h = lmHarness();
    h.coordinator.onToolCall(1, 1, [{ id: 's1', name: 'slow_tool', args: {} }]);
    await flushMicrotasks();
    h.coordinator.dispose();
    assert.equal(h.running[0]!.signal.cancelled, true);
    await flushMicrotasks();
    assert.deepEqual(h.sent, []);
  });
});
