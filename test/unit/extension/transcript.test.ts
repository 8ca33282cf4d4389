import assert from 'node:assert/strict';
import { english } from '../../../src/extension/localize';
import { Transcript, type TranscriptChange } from '../../../src/extension/transcript';

const texts = (changes: TranscriptChange[]) => changes.map((c) => (c.type === 'cleared' ? 'cleared' : `${c.type} ${c.entry.id} ${c.entry.role}: ${c.entry.text}${c.entry.partial ? ' …' : ''} [${c.entry.markers.join(',')}]`));

describe('transcript view model (transcript.ts, no vscode)', () => {
  let now = 0;
  const make = (max?: number) => new Transcript(() => now++, english, max);

  it('streams a turn: the user line, model text appended, then finished with its markers', () => {
    const t = make();
    const out = [
      ...t.apply({ type: 'turnSent', turn: 1, text: 'Hi' }),
      ...t.apply({ type: 'text', turn: 1, text: 'Hel', source: 'model' }),
      ...t.apply({ type: 'text', turn: 1, text: 'lo', source: 'model' }),
      ...t.apply({ type: 'generationComplete', turn: 1 }),
      ...t.apply({ type: 'turnComplete', turn: 1 }),
    ];
    assert.deepEqual(texts(out), [
      'appended g0-u1 user: Hi []',
      'appended g0-m1 model: Hel … []',
      'updated g0-m1 model: Hello … []',
      'updated g0-m1 model: Hello … [generationComplete]',
      'updated g0-m1 model: Hello [generationComplete]',
    ]);
  });

  it('puts Google Search sources under the answer, made before its first words when they come first, without repeats', () => {
    const t = make();
    const a = { uri: 'https://a.example/', title: 'a.example' };
    const b = { uri: 'https://b.example/', title: 'b.example' };
    t.apply({ type: 'turnSent', turn: 1, text: 'q' });
    const first = t.apply({ type: 'grounding', turn: 1, sources: [a], queries: ['q'] });
    assert.deepEqual(texts(first), ['appended g0-m1 model:  … []']);
    t.apply({ type: 'text', turn: 1, text: 'Answer.', source: 'outputTranscription' });
    const more = t.apply({ type: 'grounding', turn: 1, sources: [a, b], queries: [] });
    assert.equal(more.length, 1);
    const entry = (more[0] as { entry: { text: string; sources?: unknown } }).entry;
    assert.equal(entry.text, 'Answer.');
    assert.deepEqual(entry.sources, [a, b]);
    assert.deepEqual(t.entries().find((e) => e.id === 'g0-m1')!.sources, [a, b]);
    assert.deepEqual(t.apply({ type: 'grounding', turn: 1, sources: [], queries: ['x'] }), [], 'queries alone change nothing shown');
  });

  it('shows a model still thinking in the background after turnComplete until IDLE, then the rest of its answer in the same entry', () => {
    const t = make();
    t.apply({ type: 'turnSent', turn: 1, text: 'Why?' });
    t.apply({ type: 'text', turn: 1, text: 'Because.', source: 'outputTranscription' });
    const out = [
      ...t.apply({ type: 'thinking', turn: 1, inBackground: true }),
      ...t.apply({ type: 'text', turn: 1, text: ' On reflection, also this.', source: 'outputTranscription' }),
      ...t.apply({ type: 'turnComplete', turn: 1 }),
    ];
    assert.deepEqual(texts(out), [
      'updated g0-m1 model: Because. … [thinking]',
      'updated g0-m1 model: Because. On reflection, also this. … [thinking]',
      'updated g0-m1 model: Because. On reflection, also this. []',
    ]);
  });

  it('says in plain words why a turn ended when it was not a plain end, and when Gemini waits for more', () => {
    const t = make();
    t.apply({ type: 'turnSent', turn: 1, text: 'x' });
    const lines = (changes: TranscriptChange[]) => changes.filter((c) => c.type === 'appended' && c.entry.role === 'system').map((c) => (c.type === 'appended' ? c.entry.text : ''));
    assert.deepEqual(lines(t.apply({ type: 'turnComplete', turn: 1, reason: 'PROHIBITED_INPUT_CONTENT' })), ['Gemini did not answer: your message was blocked by its safety rules.']);
    t.apply({ type: 'turnSent', turn: 2, text: 'y' });
    assert.deepEqual(lines(t.apply({ type: 'turnComplete', turn: 2, reason: 'GENERATED_AUDIO_SAFETY' })), ['Gemini stopped its answer: it was blocked by its safety rules.']);
    assert.deepEqual(lines(t.apply({ type: 'turnComplete', turn: 2, reason: 'NEED_MORE_INPUT' })), ['Gemini needs more from you to answer.']);
    assert.deepEqual(lines(t.apply({ type: 'turnComplete', turn: 2, reason: 'SOMETHING_NEW' })), ['The answer ended early (SOMETHING_NEW).']);
    assert.deepEqual(lines(t.apply({ type: 'turnComplete', turn: 2 })), [], 'a plain end says nothing');
    assert.deepEqual(lines(t.apply({ type: 'waitingForInput', turn: 2 })), ['Gemini is waiting for you to say more.']);
  });

  it('says a resend after a drop once, and restarts an answer on the new connection', () => {
    const t = make();
    t.apply({ type: 'turnSent', turn: 1, text: 'Hi' });
    t.apply({ type: 'text', turn: 1, text: 'stale', source: 'model' });
    assert.deepEqual(t.apply({ type: 'turnSent', turn: 1, text: 'Hi' }), []);
    assert.deepEqual(texts(t.apply({ type: 'turnRestarted', turn: 1 })), ['updated g0-m1 model:  … [restarted]']);
  });

  it('writes the handoff and resume lines through the localize function', () => {
    const t = make();
    assert.deepEqual(t.apply({ type: 'handoff', phase: 'started', reason: 'goAway' }), []);
    // A connected event inside a handoff is the handoff's own; it is not a resume line.
    assert.deepEqual(t.apply({ type: 'connected', resumed: true, connection: 2 }), []);
    assert.deepEqual(texts(t.apply({ type: 'handoff', phase: 'completed', reason: 'goAway', gapMs: 41.6, warm: true })), ['appended g0-s1 system: Switched to a new connection (42 ms without a connection). [handoff]']);
    assert.deepEqual(texts(t.apply({ type: 'connected', resumed: true, connection: 3 })), ['appended g0-s2 system: Reconnected and resumed the conversation (connection 3). [resumed]']);
    assert.deepEqual(texts(t.apply({ type: 'resumeFailed', reason: 'expired' })), ['appended g0-s3 system: The conversation could not be resumed; a fresh session started with the earlier turns as context. []']);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const t = make(2);
    for (let turn = 1; turn <= 3; turn++) t.apply({ type: 'turnSent', turn, text: `t${turn}` });
    assert.deepEqual(t.entries().map((e) => e.text), ['t2', 't3']);
  });

  it('starts a new conversation with fresh ids after a note', () => {
    const t = make();
    t.apply({ type: 'turnSent', turn: 1, text: 'a' });
    assert.deepEqual(texts(t.startConversation('New model')), ['appended g1-s1 system: New model []']);
    assert.deepEqual(texts(t.apply({ type: 'turnSent', turn: 1, text: 'b' })), ['appended g1-u1 user: b []']);
  });
});
