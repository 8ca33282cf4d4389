import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StreamingMarkdown, renderMarkdownHtml } from '../../../webview/ui/markdownBlocks';

/** Answers with the constructs that span lines: fences, lists, quotes, tables, setext headings, indented code. */
const SAMPLES = [
  'Here is the fix:\n\n```ts\nconst x = 1;\n\nconsole.log(x);\n```\n\nThat is all.',
  '# Title\n\nSome *text* with `code` and a [link](https://example.com).\n\n- one\n- two\n\n  continued\n- three\n\n1. a\n2. b\n',
  'Setext\n===\n\npara\nline two\n---\n\n> quote\nlazy line\n\n> second\n\n    indented code\n    more\n\nafter',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |\n\nText after the table.\n',
  '~~~\nunclosed fence\n\nstill code',
  'Text <b onclick="x()">bold?</b> and\n\n<div>\nblock html\n</div>\n\n[ref]: https://example.com\n\nSee [ref].',
  '* a\n\n* b\n\n\n* c\n\nparagraph\n\n***\n\n- [ ] task\n- [x] done\n',
  'You said: hi\n```js\nconsole.log(1)\n```',
  'line one  \nhard break\\\nnext\n\n```\n```\n\n``` \nx\n````\n',
];

function streamed(text: string, cuts: readonly number[]): string {
  const md = new StreamingMarkdown();
  for (const cut of cuts) md.update(text.slice(0, cut));
  md.update(text);
  return md.blocks.map((b) => b.html).join('');
}

describe('streamed Markdown blocks', () => {
  it('renders a fenced block as <pre><code> with its language, and raw HTML as text', () => {
    const html = renderMarkdownHtml('x\n```js\nlet a = 1;\n```\n<script>alert(1)</script>');
    assert.match(html, /<pre><code class="language-js">let a = 1;\n<\/code><\/pre>/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('keeps a reference definition as text (it would change blocks already rendered)', () => {
    const html = renderMarkdownHtml('See [ref].\n\n[ref]: https://example.com');
    assert.match(html, /<p>See \[ref\]\.<\/p>/);
    assert.match(html, /<p>\[ref\]: /);
  });

  it('adds up to the whole rendering after every chunk, at every chunking', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(fc.nat(), { maxLength: 40 }), (text, raw) => {
        const cuts = raw.map((n) => n % (text.length + 1)).sort((a, b) => a - b);
        const md = new StreamingMarkdown();
        for (const cut of cuts) {
          md.update(text.slice(0, cut));
          assert.equal(md.blocks.map((b) => b.html).join(''), renderMarkdownHtml(text.slice(0, cut)), `at ${cut} of ${JSON.stringify(text)}`);
        }
        assert.equal(streamed(text, cuts), renderMarkdownHtml(text));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('renders each finished block once: later chunks only re-render the tail', () => {
    const text = SAMPLES[0]! + '\n\n' + SAMPLES[1]!;
    const md = new StreamingMarkdown();
    let settledTotal = 0;
    let tailMax = 0;
    for (let i = 1; i <= text.length; i++) {
      const u = md.update(text.slice(0, i));
      assert.equal(u.reset, false);
      settledTotal += u.settled.length;
      tailMax = Math.max(tailMax, u.tail.filter((b) => b.html !== '').length);
    }
    assert.equal(settledTotal + md.update(text).tail.length, md.blocks.length, 'each settled block came exactly once');
    assert.ok(tailMax <= 1, `the tail holds one block with content, not ${tailMax}`);
  });

  it('starts over when the text is replaced rather than extended', () => {
    const md = new StreamingMarkdown();
    md.update('# One\n\nfirst paragraph\n\nsecond');
    const u = md.update('Different text');
    assert.equal(u.reset, true);
    assert.equal(md.blocks.map((b) => b.html).join(''), renderMarkdownHtml('Different text'));
  });
});
