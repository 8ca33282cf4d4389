/**
 * Markdown to HTML for answers that stream in as many small chunks, block by block:
 * a top-level block that has something after it is finished (text appended later
 * cannot change it), so it is lexed and rendered once; only the last block, the
 * tail, is lexed and rendered again with each chunk. DOM-free (tested in Node);
 * markdownView.ts sanitizes the HTML and builds the DOM.
 *
 * @remarks
 * Why `marked` (bench/markdownStream.ts, `npm run bench markdown`): minified it is about
 * half of markdown-it (50 against 97 KiB) and a whole re-render per chunk of a streamed
 * answer takes about 0.6× markdown-it's time; rendering only the tail costs a few percent
 * of a whole re-render per chunk and stays flat as the answer grows.
 *
 * Two rules keep the streamed result equal to rendering the whole text at once
 * (test/unit/webview/markdownBlocks.test.ts checks it on random chunkings):
 * - Link reference definitions (`[x]: https://…`) are off: one at the end would change
 *   links in blocks already rendered. Such a line stays text; inline links work.
 * - Raw HTML is never markup: an HTML block or tag in an answer is shown as its text.
 *   (markdownView.ts also sanitizes, so even a renderer bug cannot inject elements.)
 */
import { Marked, type Token, type Tokens } from 'marked';

export interface RenderedBlock {
  /** The Markdown source of the block, trailing blank lines included. */
  readonly raw: string;
  /** marked's HTML for the block ('' for blank lines); not yet sanitized. */
  readonly html: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One configured instance (no global `marked` options are touched). */
function createMarked(): Marked {
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({
    tokenizer: {
      // Returning undefined (not false) skips the built-in rule: definitions stay text.
      def: () => undefined,
    },
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      // Images would load from anywhere; the panel shows them as links (the CSP blocks remote images anyway).
      image: ({ href, text }: Tokens.Image) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    },
  });
  return marked;
}

/** The parts of marked this module uses, made once per renderer. */
class Engine {
  private readonly marked = createMarked();

  lex(source: string): Token[] {
    return this.marked.lexer(source);
  }

  render(token: Token): string {
    return token.type === 'space' ? '' : (this.marked.parser([token]) as string);
  }
}

/** Line endings as marked normalizes them, so the blocks' `raw` add up to the text. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export interface BlockUpdate {
  /** The tail was not an extension of the text before: the view drops everything and starts over. */
  readonly reset: boolean;
  /** Blocks finished by this update, to render once and keep. */
  readonly settled: readonly RenderedBlock[];
  /** The unfinished last blocks, replacing the previous tail. */
  readonly tail: readonly RenderedBlock[];
}

/**
 * The blocks of one growing text. `update(text)` with the whole text so far (the
 * transcript sends whole texts, not deltas) says which blocks became final and what
 * the tail is now.
 */
export class StreamingMarkdown {
  private readonly engine = new Engine();
  /** The source of the settled blocks: a prefix of every later text while streaming. */
  private settledSource = '';
  private settledBlocks: RenderedBlock[] = [];
  private tailBlocks: readonly RenderedBlock[] = [];

  /** Every block so far, settled first. */
  get blocks(): readonly RenderedBlock[] {
    return [...this.settledBlocks, ...this.tailBlocks];
  }

  update(rawText: string): BlockUpdate {
    const text = normalize(rawText);
    const reset = !text.startsWith(this.settledSource);
    if (reset) {
      this.settledSource = '';
      this.settledBlocks = [];
    }
    const rest = text.slice(this.settledSource.length);
    const tokens = this.engine.lex(rest);
    // The last token that is not blank lines may still grow; everything before it is final.
    let lastContent = tokens.length - 1;
    while (lastContent > 0 && tokens[lastContent]!.type === 'space') lastContent--;
    const finishedCount = Math.max(0, lastContent);
    const finished = tokens.slice(0, finishedCount);
    const finishedSource = finished.map((t) => t.raw).join('');
    // Should the raws ever not spell the text (a marked change), settle nothing: correct, only slower.
    const consistent = tokens.map((t) => t.raw).join('') === rest && rest.startsWith(finishedSource);
    const settled = consistent ? finished.map((t) => this.block(t)) : [];
    if (consistent) {
      this.settledSource += finishedSource;
      this.settledBlocks.push(...settled);
    }
    this.tailBlocks = (consistent ? tokens.slice(finishedCount) : tokens).map((t) => this.block(t));
    return { reset, settled, tail: this.tailBlocks };
  }

  private block(token: Token): RenderedBlock {
    return { raw: token.raw, html: this.engine.render(token) };
  }
}

/** The whole text rendered at once (History, tests): the same HTML the streamed blocks add up to. */
export function renderMarkdownHtml(text: string): string {
  const engine = new Engine();
  return engine
    .lex(normalize(text))
    .map((t) => engine.render(t))
    .join('');
}
