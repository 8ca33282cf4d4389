import assert from 'node:assert/strict';
import { audioTokens, buildUsage, modalityDetails, textTokens } from '../../../src/emulator/tokenAccounting';

describe('emulator token accounting', () => {
  it('counts text as ceil(chars / 4) and audio as 32 tokens per second', () => {
    assert.equal(textTokens(''), 0);
    assert.equal(textTokens('abcd'), 1);
    assert.equal(textTokens('abcde'), 2);
    assert.equal(audioTokens(1000), 32);
    assert.equal(audioTokens(1500), 48);
    assert.equal(audioTokens(10), 1);
  });

  it('builds usage with total = prompt + response and per-modality details', () => {
    const usage = buildUsage(
      [
        { modality: 'TEXT', tokens: 10 },
        { modality: 'AUDIO', tokens: 32 },
        { modality: 'TEXT', tokens: 5 },
      ],
      [{ modality: 'AUDIO', tokens: 64 }],
      'AUDIO',
    );
    assert.deepEqual(usage, {
      promptTokenCount: 47,
      responseTokenCount: 64,
      totalTokenCount: 111,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: 15 },
        { modality: 'AUDIO', tokenCount: 32 },
      ],
      responseTokensDetails: [{ modality: 'AUDIO', tokenCount: 64 }],
    });
    assert.deepEqual(Object.keys(usage), ['promptTokenCount', 'responseTokenCount', 'totalTokenCount', 'promptTokensDetails', 'responseTokensDetails']);
  });

  it('never returns empty details', () => {
    assert.deepEqual(modalityDetails([], 'AUDIO'), [{ modality: 'AUDIO', tokenCount: 0 }]);
  });
});
