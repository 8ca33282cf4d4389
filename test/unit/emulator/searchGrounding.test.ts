import assert from 'node:assert/strict';
import { declaresGoogleSearch, groundingMetadataFor, searchQuery } from '../../../src/emulator/searchGrounding';

describe('emulated Google Search grounding', () => {
  it('finds the googleSearch tool among the setup tools', () => {
    assert.equal(declaresGoogleSearch([{ functionDeclarations: [] }, { googleSearch: {} }]), true);
    assert.equal(declaresGoogleSearch([{ functionDeclarations: [{ name: 'googleSearch' }] }]), false);
    assert.equal(declaresGoogleSearch(undefined), false);
    assert.equal(declaresGoogleSearch({ googleSearch: {} }), false, 'tools must be a list');
  });

  it('takes the query of "search the web for …", without the closing punctuation', () => {
    assert.equal(searchQuery('Please search the web for the moons of Jupiter?'), 'the moons of Jupiter');
    assert.equal(searchQuery('what is the weather'), undefined);
  });

  it('grounds with the service redirect links and the query', () => {
    const m = groundingMetadataFor('Moons of Jupiter') as { webSearchQueries: string[]; groundingChunks: Array<{ web: { uri: string; title: string } }> };
    assert.deepEqual(m.webSearchQueries, ['Moons of Jupiter']);
    assert.deepEqual(
      m.groundingChunks.map((c) => c.web.uri),
      ['https://vertexaisearch.cloud.google.com/grounding-api-redirect/emulator-moons-of-jupiter-1', 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/emulator-moons-of-jupiter-2'],
    );
  });
});
