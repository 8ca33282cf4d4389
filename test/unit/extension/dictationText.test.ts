import assert from 'node:assert/strict';
import { DictationText } from '../../../src/extension/dictation/dictationText';

describe('dictation text (what is typed from the transcription)', () => {
  it('types each piece verbatim, in order, joined as the service sends them within a turn', () => {
    const t = new DictationText();
    assert.deepEqual(['Hello', ' wor', 'ld,', ' MoonTalk.'].map((p) => t.piece(p)), ['Hello', ' wor', 'ld,', ' MoonTalk.']);
  });

  it('puts one space between turns that would run together, and none where one is already there', () => {
    const t = new DictationText();
    t.piece('First sentence.');
    t.endTurn();
    assert.equal(t.piece('Second'), ' Second');
    t.endTurn();
    assert.equal(t.piece(' third'), ' third');
    t.piece('\n');
    t.endTurn();
    assert.equal(t.piece('fourth'), 'fourth');
  });

  it('the very first piece gets no space, and empty pieces type nothing', () => {
    const t = new DictationText();
    assert.equal(t.piece(''), '');
    assert.equal(t.piece('go'), 'go');
  });
});
