import assert from 'node:assert/strict';
import { ConversationHistory, conversationTitle } from '../../../src/extension/history/conversationHistory';
import { HistoryRecorder } from '../../../src/extension/history/historyRecorder';

function recorderFor(history: ConversationHistory) {
  let t = 1_000;
  let n = 0;
  let changes = 0;
  const recorder = new HistoryRecorder(history, () => (t += 10), () => `id${++n}`, () => changes++);
  return { recorder, changes: () => changes };
}

describe('conversation history', () => {
  it('records turns with session and connection ids, streamed text merged, a resent turn said once', () => {
    const history = new ConversationHistory();
    const { recorder } = recorderFor(history);
    const ids = recorder.start('emulator', 'm', undefined);
    recorder.apply({ type: 'connected', resumed: false, connection: 1 });
    recorder.apply({ type: 'turnSent', turn: 1, text: 'Hello there\nsecond line' });
    recorder.apply({ type: 'text', turn: 1, text: 'Hi', source: 'model' });
    recorder.apply({ type: 'text', turn: 1, text: ' you', source: 'model' });
    recorder.apply({ type: 'connected', resumed: true, connection: 2 });
    recorder.apply({ type: 'turnRestarted', turn: 1 });
    recorder.apply({ type: 'turnSent', turn: 1, text: 'Hello there\nsecond line' });
    recorder.apply({ type: 'text', turn: 1, text: 'Hi again', source: 'model' });
    const c = history.get(ids.conversationId)!;
    assert.deepEqual(
      c.entries.map((e) => [e.turn, e.role, e.text, e.sessionId, e.connection]),
      [
        [1, 'user', 'Hello there\nsecond line', ids.sessionId, 2],
        [1, 'model', 'Hi again', ids.sessionId, 2],
      ],
    );
    assert.equal(conversationTitle(c), 'Hello there');
    assert.equal(history.list()[0]?.title, 'Hello there');
  });

  it('gives a fresh Live session a new session id inside the same conversation', () => {
    const history = new ConversationHistory();
    const { recorder } = recorderFor(history);
    const ids = recorder.start('emulator', 'm', { conversationId: 'conv', sessionId: 'old' });
    assert.deepEqual(ids, { conversationId: 'conv', sessionId: 'old' });
    recorder.apply({ type: 'resumeFailed', reason: 'stale' });
    recorder.apply({ type: 'connected', resumed: false, connection: 1 });
    recorder.apply({ type: 'turnSent', turn: 4, text: 'after' });
    const c = history.get('conv')!;
    assert.equal(c.entries[0]?.kind, 'notice');
    assert.notEqual(c.entries[1]?.sessionId, 'old');
  });

  it('keeps a resumed session\'s id across a reload', () => {
    const history = new ConversationHistory();
    const { recorder } = recorderFor(history);
    recorder.start('emulator', 'm', { conversationId: 'conv', sessionId: 'kept' });
    recorder.apply({ type: 'connected', resumed: true, connection: 1 });
    recorder.apply({ type: 'turnSent', turn: 3, text: 'x' });
    assert.equal(history.get('conv')!.entries[0]?.sessionId, 'kept');
  });

  it('records tool calls on the model entry and updates the pending one', () => {
    const history = new ConversationHistory();
    const { recorder } = recorderFor(history);
    const { conversationId } = recorder.start('emulator', 'm');
    recorder.toolCall(1, { callId: 'a', name: 'open_file', args: { path: 'x' }, status: 'pending' });
    recorder.toolCall(1, { callId: 'b', name: 'open_file', args: { path: 'x' }, status: 'ok', output: { opened: 'x' } });
    const calls = history.get(conversationId)!.entries[0]?.toolCalls;
    assert.deepEqual(calls, [{ callId: 'b', name: 'open_file', args: { path: 'x' }, status: 'ok', output: { opened: 'x' } }]);
  });

  it('is bounded: 50 conversations, a total size, and entry length', () => {
    const history = new ConversationHistory({ maxConversations: 3, maxTotalChars: 2_000, maxEntryChars: 100 });
    for (let i = 0; i < 5; i++) {
      history.begin(`c${i}`, i, 'emulator', 'm');
      history.write(`c${i}`, { turn: 1, role: 'user', text: 'x'.repeat(500), at: i, connection: 1 });
    }
    const parsed = JSON.parse(history.toJson()) as { conversations: Array<{ id: string; entries: Array<{ text: string }> }> };
    assert.ok(history.toJson().length <= 2_000);
    assert.ok(parsed.conversations.length <= 3);
    assert.equal(parsed.conversations.at(-1)?.id, 'c4', 'the newest conversation is kept');
    assert.equal(parsed.conversations.at(-1)?.entries[0]?.text.length, 100);
  });

  it('survives a round trip, and a damaged file yields an empty history with the reason', () => {
    const history = new ConversationHistory();
    history.begin('c', 5, 'gemini', 'm');
    history.write('c', { turn: 1, role: 'user', text: 'hi', at: 6, connection: 1, sessionId: 's' });
    const back = ConversationHistory.fromJson(history.toJson());
    assert.equal(back.error, undefined);
    assert.deepEqual(back.history.get('c'), history.get('c'));
    const damaged = ConversationHistory.fromJson('{"v":1,"conversations":[{"id":""}]}');
    assert.equal(damaged.history.size, 0);
    assert.match(damaged.error ?? '', /conversations\.0/);
    assert.match(ConversationHistory.fromJson('nope').error ?? '', /not JSON/);
  });

  it('clears everything', () => {
    const history = new ConversationHistory();
    history.begin('c', 1, 'e', 'm');
    history.clear();
    assert.deepEqual(history.list(), []);
  });
});
