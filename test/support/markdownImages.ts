/**
 * The images a Markdown file shows, as VS Code and vsce see them: rendered with markdown-it
 * (raw HTML allowed, as vsce renders a README), then every <img> of the result. Images in
 * code spans and code blocks are text, not images, and are left out.
 */
import { JSDOM } from 'jsdom';
import MarkdownIt from 'markdown-it';

export interface MarkdownImage {
  readonly alt: string;
  readonly src: string;
}

export function markdownImages(markdown: string): MarkdownImage[] {
  const html = new MarkdownIt({ html: true }).render(markdown);
  const { document } = new JSDOM(html).window;
  return Array.from(document.querySelectorAll('img'), (img) => ({ alt: img.getAttribute('alt') ?? '', src: decodeURI(img.getAttribute('src') ?? '') }));
}
