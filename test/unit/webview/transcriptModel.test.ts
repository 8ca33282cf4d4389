import assert from 'node:assert/strict';
import type { TranscriptEntry } from '../../../src/protocol/messages';
import { fromSnapshot, isPinnedToBottom, mergeEntry } from '../../../webview/ui/transcriptModel';

const entry = (over: Partial<TranscriptEntry> = {}): TranscriptEntry => ({ id: 'm1', turn: 1, role: 'model', text: 'Hel', partial: true, markers: [], at: 1_000, ...over });

describe('transcript merge', () => {
  it('appends new ids in order and updates existing ones in place', () => {
    let r = mergeEntry([], entry({ id: 'u1', role: 'user', text: 'Hi', partial: false }));
    r = mergeEntry(r.entries, entry());
    assert.equal(r.change, 'added');
    assert.equal(r.index, 1);
    r = mergeEntry(r.entries, entry({ text: 'Hello there', partial: false, markers: ['generationComplete'] }));
    assert.equal(r.change, 'updated');
    assert.equal(r.index, 1);
    assert.deepEqual(r.entries.map((e) => [e.id, e.text]), [['u1', 'Hi'], ['m1', 'Hello there']]);
  });

  it('redraws an entry whose only change is its sources (grounding that comes after the text)', () => {
    const first = mergeEntry([], entry({ text: 'Answer.', partial: false }));
    const withSources = mergeEntry(first.entries, entry({ text: 'Answer.', partial: false, sources: [{ uri: 'https://a.example/', title: 'a.example' }] }));
    assert.equal(withSources.change, 'updated');
    assert.equal(mergeEntry(withSources.entries, entry({ text: 'Answer.', partial: false, sources: [{ uri: 'https://a.example/', title: 'a.example' }] })).change, 'unchanged');
  });

  it('treats a repeated append as an update, and an identical one as no change', () => {
    const first = mergeEntry([], entry());
    const again = mergeEntry(first.entries, entry());
    assert.equal(again.change, 'unchanged');
    assert.equal(again.entries, first.entries);
    const interrupted = mergeEntry(again.entries, entry({ markers: ['interrupted'], partial: false }));
    assert.equal(interrupted.entries.length, 1);
    assert.deepEqual(interrupted.entries[0]!.markers, ['interrupted']);
  });

  it('does not mutate the list it was given', () => {
    const list = [entry()];
    mergeEntry(list, entry({ text: 'changed' }));
    assert.equal(list[0]!.text, 'Hel');
  });

  it('evicts the oldest entries beyond the limit and reports them', () => {
    let entries: readonly TranscriptEntry[] = [];
    let evicted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = mergeEntry(entries, entry({ id: `e${i}` }), 3);
      entries = r.entries;
      evicted = evicted.concat(r.evicted);
    }
    assert.deepEqual(entries.map((e) => e.id), ['e2', 'e3', 'e4']);
    assert.deepEqual(evicted, ['e0', 'e1']);
  });

  it('builds from a snapshot keeping the latest text per id', () => {
    const list = fromSnapshot([entry({ text: 'a' }), entry({ id: 'u', role: 'user' }), entry({ text: 'ab' })]);
    assert.deepEqual(list.map((e) => [e.id, e.text]), [['m1', 'ab'], ['u', 'Hel']]);
  });

  it('follows new text only while the reader is at the bottom', () => {
    assert.equal(isPinnedToBottom(800, 1_000, 200), true);
    assert.equal(isPinnedToBottom(780, 1_000, 200), true);
    assert.equal(isPinnedToBottom(500, 1_000, 200), false);
  });
});
