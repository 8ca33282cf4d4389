import assert from 'node:assert/strict';
import { AnswerAudioBuffer, type AnswerChunk } from '../../../src/extension/answerAudioBuffer';

const chunk = (seq: number, bytes = 4): AnswerChunk => ({ seq, pcm: new ArrayBuffer(bytes) });
const seqs = (chunks: readonly AnswerChunk[]) => chunks.map((c) => c.seq);

describe('AnswerAudioBuffer (the answer no page could play)', () => {
  it('replays nothing while every chunk was heard', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), true);
    b.push(chunk(2), true);
    assert.equal(b.needsReplay, false);
    assert.deepEqual(b.takeReplay(), []);
  });

  it('replays the answer from its first chunk when a later part was unheard (the page went away mid-answer)', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), true);
    b.push(chunk(2), false);
    b.push(chunk(3), false);
    assert.deepEqual(seqs(b.takeReplay()), [1, 2, 3]);
    // Heard now: no second replay of the same answer.
    assert.deepEqual(b.takeReplay(), []);
  });

  it('starts a new answer after the turn ended and the last one was heard', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), true);
    b.end();
    b.push(chunk(2), false);
    assert.deepEqual(seqs(b.takeReplay()), [2]);
  });

  it('keeps an unheard finished answer in front of the next one', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), false);
    b.end();
    b.push(chunk(2), false);
    assert.deepEqual(seqs(b.takeReplay()), [1, 2]);
  });

  it('forgets a finished answer once it was replayed', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), false);
    b.end();
    assert.deepEqual(seqs(b.takeReplay()), [1]);
    assert.equal(b.size, 0);
    b.push(chunk(2), false);
    assert.deepEqual(seqs(b.takeReplay()), [2]);
  });

  it('never replays an interrupted answer', () => {
    const b = new AnswerAudioBuffer();
    b.push(chunk(1), false);
    b.push(chunk(2), false);
    b.interrupt();
    assert.equal(b.needsReplay, false);
    assert.deepEqual(b.takeReplay(), []);
    b.push(chunk(3), false);
    assert.deepEqual(seqs(b.takeReplay()), [3]);
  });

  it('is bounded: keeps the start of a long answer and counts what it dropped', () => {
    const b = new AnswerAudioBuffer(10);
    b.push(chunk(1, 4), false);
    b.push(chunk(2, 4), false);
    b.push(chunk(3, 4), false);
    b.push(chunk(4, 2), false);
    assert.equal(b.size, 10);
    assert.equal(b.dropped, 4);
    assert.deepEqual(seqs(b.takeReplay()), [1, 2, 4]);
  });
});
