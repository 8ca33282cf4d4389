/**
 * An answer rendered as Markdown in the panel: marked's HTML (markdownBlocks.ts),
 * sanitized by DOMPurify into inert DOM (an allow-list of tags and attributes, links
 * kept only for http/https: isWebUrl, which the host checks again), code blocks with Copy and Insert at Cursor, and links
 * that open through the host instead of navigating the webview.
 *
 * @remarks
 * CSP: nothing here needs 'unsafe-inline' or 'unsafe-eval'. DOMPurify parses in an
 * inert document and returns a fragment (no innerHTML on the live page), no style
 * attribute or event handler survives, and the buttons' listeners are added in code.
 * While an answer streams, finished blocks are sanitized and built once; only the
 * tail's nodes are replaced per chunk.
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import type { Disposable } from '../../src/common/disposable';
import { isWebUrl } from '../../src/protocol/messages';
import { t } from '../l10n';
import { StreamingMarkdown, type RenderedBlock } from './markdownBlocks';

/** What the code blocks' buttons and the links ask the host to do. */
export interface AnswerActions {
  copy(code: string): void;
  insert(code: string, language: string): void;
  openLink(url: string): void;
}

/** Builds a button (components.ts in the panel; a plain button in tests). */
export type ButtonFactory = (label: string, title: string, onClick: () => void) => HTMLElement;

/** How long Copy says "Copied". */
const FLASH_MS = 1_500;

const ALLOWED_TAGS = ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align'];

/** A DOMPurify for `window` with the answer policy: a fragment of allowed elements, nothing else. */
export function createAnswerSanitizer(window: Window): (html: string) => DocumentFragment {
  const purify: DOMPurify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      const href = el.getAttribute('href');
      if (href !== null && !isWebUrl(href)) el.removeAttribute('href');
    }
    // Only marked's `language-…` class on code survives: no answer can borrow the panel's styles.
    const cls = el.getAttribute?.('class');
    if (cls !== null && cls !== undefined) {
      const kept = el.tagName === 'CODE' ? cls.split(/\s+/).filter((c) => /^language-[\w+#.-]{1,40}$/.test(c)) : [];
      if (kept.length > 0) el.setAttribute('class', kept.join(' '));
      else el.removeAttribute('class');
    }
  });
  return (html) =>
    purify.sanitize(html, {
      ALLOWED_TAGS,
      ALLOWED_ATTR,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      RETURN_DOM_FRAGMENT: true,
    }) as DocumentFragment;
}

/** The code of a rendered `<pre><code>`, without the newline marked adds at its end. */
export function codeOf(pre: Element): { code: string; language: string } {
  const codeEl = pre.querySelector('code');
  const code = (codeEl?.textContent ?? pre.textContent ?? '').replace(/\n$/, '');
  const language = /(?:^|\s)language-([\w+#.-]+)/.exec(codeEl?.getAttribute('class') ?? '')?.[1] ?? '';
  return { code, language };
}

export interface MarkdownViewOptions {
  readonly sanitize: (html: string) => DocumentFragment;
  readonly actions: AnswerActions;
  readonly makeButton: ButtonFactory;
}

/** One answer's Markdown, updated with the whole text so far. */
export class MarkdownView implements Disposable {
  readonly element: HTMLElement;
  private readonly blocks = new StreamingMarkdown();
  /** Nodes of the tail blocks, replaced on each update. */
  private tailNodes: Node[] = [];
  private tailHtml = '';
  private text: string | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly options: MarkdownViewOptions) {
    this.element = document.createElement('div');
    this.element.className = 'mt-markdown';
    this.element.addEventListener('click', this.onClick);
  }

  update(text: string): void {
    if (text === this.text) return;
    this.text = text;
    const u = this.blocks.update(text);
    if (u.reset) {
      this.element.replaceChildren();
      this.tailNodes = [];
      this.tailHtml = '';
    }
    const tailHtml = u.tail.map((b) => b.html).join('');
    if (u.settled.length === 0 && tailHtml === this.tailHtml && !u.reset) return;
    for (const n of this.tailNodes) n.parentNode?.removeChild(n);
    if (u.settled.length > 0) this.element.append(this.build(u.settled));
    const tail = this.build(u.tail);
    this.tailNodes = [...tail.childNodes];
    this.tailHtml = tailHtml;
    this.element.append(tail);
  }

  private build(blocks: readonly RenderedBlock[]): DocumentFragment {
    const fragment = this.options.sanitize(blocks.map((b) => b.html).join(''));
    for (const pre of [...fragment.querySelectorAll('pre')]) this.decorate(pre);
    return fragment;
  }

  /** Wraps a code block with its language and the Copy / Insert at Cursor buttons. */
  private decorate(pre: HTMLPreElement): void {
    const { actions, makeButton } = this.options;
    const { code, language } = codeOf(pre);
    const wrapper = document.createElement('div');
    wrapper.className = 'mt-code';
    const bar = document.createElement('div');
    bar.className = 'mt-code-bar';
    const label = document.createElement('span');
    label.className = 'mt-code-lang';
    label.textContent = language;
    // The code is read when clicked (the DOM is what the user sees); a streaming block is rebuilt as it grows.
    const copy: HTMLElement = makeButton(t('Copy'), t('Copy this code to the clipboard'), () => {
      actions.copy(codeOf(pre).code);
      this.flash(copy, t('Copied'));
    });
    copy.dataset.testid = 'code-copy';
    const insert = makeButton(t('Insert at Cursor'), t('Insert this code at the cursor in the editor you were last in'), () => {
      const c = codeOf(pre);
      actions.insert(c.code, c.language);
    });
    insert.dataset.testid = 'code-insert';
    // An empty block has nothing to copy or insert.
    for (const b of [copy, insert]) b.toggleAttribute('disabled', code === '');
    bar.append(label, copy, insert);
    pre.replaceWith(wrapper);
    wrapper.append(bar, pre);
  }

  /** Shows `text` on a button for a moment (Copy → Copied), then its label again. */
  private flash(el: HTMLElement, text: string): void {
    const label = el.dataset.label ?? el.textContent ?? '';
    el.dataset.label = label;
    el.textContent = text;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      el.textContent = label;
    }, FLASH_MS);
    this.timers.add(timer);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target as Element | null;
    const link = target?.closest?.('a');
    if (!link || !this.element.contains(link)) return;
    // Never navigate the webview; the host opens http/https in the browser.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href && isWebUrl(href)) this.options.actions.openLink(href);
  };

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.element.removeEventListener('click', this.onClick);
    this.element.remove();
  }
}
