import assert from 'node:assert/strict';
import { MAX_GROUNDING_SOURCES, groundingFromMetadata, mergeSources, webLink } from '../../../src/core/grounding';

describe('Google Search grounding', () => {
  it('takes the web sources (uri, title) and queries of groundingMetadata', () => {
    const g = groundingFromMetadata({
      webSearchQueries: ['moons of jupiter', ''],
      groundingChunks: [
        { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/abc', title: 'nasa.gov' } },
        { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/abc', title: 'again' } },
        { web: { uri: 'http://example.org/x' } },
      ],
    });
    assert.deepEqual(g, {
      sources: [
        { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/abc', title: 'nasa.gov' },
        { uri: 'http://example.org/x', title: 'example.org' },
      ],
      queries: ['moons of jupiter'],
    });
  });

  it('keeps only http and https links: no javascript:, command:, file: or junk', () => {
    for (const uri of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'not a url', 42]) assert.equal(webLink(uri), undefined, String(uri));
    assert.equal(webLink('HTTPS://Example.org/a b'), 'https://example.org/a%20b');
    assert.equal(groundingFromMetadata({ groundingChunks: [{ web: { uri: 'javascript:alert(1)', title: 't' } }] }), undefined);
  });

  it('is bounded, and malformed metadata gives nothing', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ web: { uri: `https://s${i}.example.org/`, title: 't'.repeat(500) } }));
    const g = groundingFromMetadata({ groundingChunks: many })!;
    assert.equal(g.sources.length, MAX_GROUNDING_SOURCES);
    assert.equal(g.sources[0]!.title.length, 200);
    for (const bad of [undefined, null, 'x', [], { groundingChunks: 'x' }, { groundingChunks: [null, 1, { web: 'x' }] }]) assert.equal(groundingFromMetadata(bad), undefined);
  });

  it('merges the sources of one answer without repeats, bounded', () => {
    const a = { uri: 'https://a.example/', title: 'a' };
    const b = { uri: 'https://b.example/', title: 'b' };
    assert.deepEqual(mergeSources([a], [a, b]), [a, b]);
    const full = Array.from({ length: MAX_GROUNDING_SOURCES }, (_, i) => ({ uri: `https://${i}.example/`, title: String(i) }));
    assert.equal(mergeSources(full, [b]).length, MAX_GROUNDING_SOURCES);
  });
});
