import assert from 'node:assert/strict';
import type { TranscriptEntry } from '../../../src/protocol/messages';
import { FinishedAnswers, MAX_ANNOUNCED_ANSWER_CHARS } from '../../../webview/ui/finishedAnswers';

function entry(over: Partial<TranscriptEntry>): TranscriptEntry {
  return { id: 'm1', turn: 1, role: 'model', text: 'The build passed.', partial: false, markers: [], at: 0, ...over };
}

describe('finished answers for the screen reader (polite live region)', () => {
  it('reads a streamed answer once, when it is finished, never chunk by chunk', () => {
    const a = new FinishedAnswers();
    const said = [
      entry({ text: 'The', partial: true }),
      entry({ text: 'The build', partial: true }),
      entry({ text: 'The build passed.', partial: false }),
      entry({ text: 'The build passed.', partial: false, markers: ['generationComplete'] }),
    ].map((e) => a.finished(e));
    assert.deepEqual(said, [undefined, undefined, 'Gemini: The build passed.', undefined]);
  });

  it('does not read user lines, system notes, interrupted answers, tool notes or empty answers', () => {
    const a = new FinishedAnswers();
    assert.equal(a.finished(entry({ id: 'u', role: 'user' })), undefined);
    assert.equal(a.finished(entry({ id: 's', role: 'system' })), undefined);
    assert.equal(a.finished(entry({ id: 'i', markers: ['interrupted'] })), undefined);
    assert.equal(a.finished(entry({ id: 't', markers: ['tool'] })), undefined);
    assert.equal(a.finished(entry({ id: 'e', text: '  ' })), undefined);
  });

  it('does not re-read the transcript a reload or an init shows, and cuts a very long answer', () => {
    const a = new FinishedAnswers();
    a.reset([entry({ id: 'old' })]);
    assert.equal(a.finished(entry({ id: 'old' })), undefined);
    const long = a.finished(entry({ id: 'long', text: 'x'.repeat(MAX_ANNOUNCED_ANSWER_CHARS + 50) }))!;
    assert.ok(long.length < MAX_ANNOUNCED_ANSWER_CHARS + 60 && long.endsWith('(continued in the transcript)'));
  });
});
