/**
 * Answers as Markdown in the panel (webview/ui/markdownView.ts): which renderer, by
 * measurement. The candidates' cost in the minified webview bundle, a whole re-render
 * of a streamed answer per chunk with each, and what rendering only the tail
 * (markdownBlocks.ts) saves against the whole re-render. The HTML step only: DOMPurify
 * and the DOM work follow the same split (finished blocks once, the tail per chunk).
 */
import * as esbuild from 'esbuild';
import MarkdownIt from 'markdown-it';
import { Marked } from 'marked';
import { renderMarkdownHtml, StreamingMarkdown } from '../webview/ui/markdownBlocks';

export interface MarkdownStreamResult {
  readonly answerChars: number;
  readonly chunks: number;
  /** Minified bytes of a bundle holding only the library, as the webview bundle would. */
  readonly bytes: { readonly marked: number; readonly markdownIt: number; readonly dompurify: number };
  /** Mean ms per chunk for a whole re-render. */
  readonly wholeMsPerChunk: { readonly marked: number; readonly markdownIt: number };
  /** Mean ms per chunk, this panel's way (StreamingMarkdown: finished blocks once, the tail per chunk). */
  readonly tailMsPerChunk: number;
}

async function minifiedBytes(source: string): Promise<number> {
  const out = await esbuild.build({ stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, write: false, platform: 'browser', format: 'iife', legalComments: 'none', logLevel: 'silent' });
  return out.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
}

/** An answer the size of a long explanation: steps, lists, code blocks. */
function answer(sections: number): string {
  const para = 'Here is **some** text with `inline code`, a [link](https://example.com) and _emphasis_. ';
  let text = '';
  for (let i = 0; i < sections; i++) text += `## Step ${i}\n\n${para.repeat(3)}\n\n- item one\n- item two with \`code\`\n\n\`\`\`ts\nfunction f${i}(x: number): number {\n  return x * ${i};\n}\n\`\`\`\n\n`;
  return text;
}

function msPerChunk(prefixes: readonly string[], render: (text: string) => unknown, rounds = 3): number {
  for (const p of prefixes) render(p); // warm up
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const p of prefixes) render(p);
  return (performance.now() - start) / rounds / prefixes.length;
}

export async function benchMarkdownStream(sections = 40, chunkChars = 40): Promise<MarkdownStreamResult> {
  const text = answer(sections);
  const prefixes: string[] = [];
  for (let i = chunkChars; i < text.length + chunkChars; i += chunkChars) prefixes.push(text.slice(0, i));
  const markdownIt = new MarkdownIt({ html: false });
  const marked = new Marked({ gfm: true });
  let streaming = new StreamingMarkdown();
  const tailMsPerChunk = msPerChunk(prefixes, (p) => {
    if (p.length <= chunkChars) streaming = new StreamingMarkdown();
    return streaming.update(p);
  });
  if (streaming.blocks.map((b) => b.html).join('') !== renderMarkdownHtml(text)) throw new Error('the streamed rendering differs from the whole one');
  return {
    answerChars: text.length,
    chunks: prefixes.length,
    bytes: {
      marked: await minifiedBytes(`import { marked } from 'marked'; console.log(marked.parse('# x'));`),
      markdownIt: await minifiedBytes(`import MarkdownIt from 'markdown-it'; console.log(new MarkdownIt().render('# x'));`),
      dompurify: await minifiedBytes(`import DOMPurify from 'dompurify'; console.log(DOMPurify.sanitize('<b>x</b>'));`),
    },
    wholeMsPerChunk: { marked: msPerChunk(prefixes, (p) => marked.parse(p)), markdownIt: msPerChunk(prefixes, (p) => markdownIt.render(p)) },
    tailMsPerChunk,
  };
}
