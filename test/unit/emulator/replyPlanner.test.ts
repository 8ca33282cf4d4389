import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkText, planReply, type HistoryTurn } from '../../../src/emulator/replyPlanner';

const user = (text: string): HistoryTurn => ({ role: 'user', text });
const model = (text: string): HistoryTurn => ({ role: 'model', text });

describe('emulator reply planner', () => {
  it('echoes ordinary prompts', () => {
    assert.deepEqual(planReply([user('hi')], 'hi'), { kind: 'text', text: 'You said: hi' });
  });

  it('answers what was said first and last from the history', () => {
    const history = [user('one'), model('You said: one'), user('two'), model('You said: two'), user('What did I say FIRST?')];
    assert.deepEqual(planReply(history, 'What did I say FIRST?'), { kind: 'text', text: 'You first said: "one"' });
    const h2 = [...history.slice(0, 4), user('what did i say last')];
    assert.deepEqual(planReply(h2, 'what did i say last'), { kind: 'text', text: 'You last said: "two"' });
    assert.deepEqual(planReply([user('what did i say first')], 'what did i say first'), { kind: 'text', text: 'You have not said anything before.' });
  });

  it('parses tool prompts for declared functions only', () => {
    const declared = new Set(['get_weather', 'ping', 'ns:tool.v1']);
    assert.deepEqual(planReply([], 'please call tool get_weather {"city":"Oslo","days":2}', declared), { kind: 'toolCall', name: 'get_weather', args: { city: 'Oslo', days: 2 } });
    assert.deepEqual(planReply([], 'call tool ping', declared), { kind: 'toolCall', name: 'ping', args: {} });
    assert.deepEqual(planReply([], 'call tool ns:tool.v1', declared), { kind: 'toolCall', name: 'ns:tool.v1', args: {} });
    // The service only calls functions the setup declared: an undeclared name is just words.
    assert.deepEqual(planReply([], 'call tool launch_rockets'), { kind: 'text', text: 'You said: call tool launch_rockets' });
    assert.deepEqual(planReply([], 'call tool launch_rockets', declared), { kind: 'text', text: 'You said: call tool launch_rockets' });
  });

  it('does not count function results as things the user said', () => {
    const history: HistoryTurn[] = [{ role: 'user', text: '[ping result] {}', toolResult: true }, user('hello'), user('what did i say first')];
    assert.deepEqual(planReply(history, 'what did i say first'), { kind: 'text', text: 'You first said: "hello"' });
  });

  it('splits replies into 2-4 chunks that join back', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 300 }), (text) => {
        const chunks = chunkText(text);
        assert.equal(chunks.join(''), text);
        assert.ok(chunks.length >= 2 && chunks.length <= 4);
      }),
    );
  });
});
