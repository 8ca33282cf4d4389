/**
 * Answers as Markdown in a real DOM (jsdom): what survives the sanitizer, the code
 * blocks' buttons, links through the host, and the streamed DOM against the whole.
 */
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { AnswerActions, ButtonFactory, MarkdownView as MarkdownViewType } from '../../../webview/ui/markdownView';

describe('answers as Markdown (webview/ui/markdownView.ts)', () => {
  let dom: JSDOM;
  let mod: typeof import('../../../webview/ui/markdownView');
  let calls: string[];
  const actions: AnswerActions = {
    copy: (code) => calls.push(`copy:${code}`),
    insert: (code, language) => calls.push(`insert:${language}:${code}`),
    openLink: (url) => calls.push(`open:${url}`),
  };
  const plainButton: ButtonFactory = (label, title, onClick) => {
    const b = dom.window.document.createElement('button');
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', onClick);
    return b;
  };
  const g = globalThis as unknown as Record<string, unknown>;

  before(async () => {
    dom = new JSDOM('<!DOCTYPE html><body></body>');
    g.document = dom.window.document;
    mod = await import('../../../webview/ui/markdownView');
  });
  after(() => {
    delete g.document;
    dom.window.close();
  });
  beforeEach(() => {
    calls = [];
  });

  function view(): MarkdownViewType {
    return new mod.MarkdownView({ sanitize: mod.createAnswerSanitizer(dom.window as unknown as Window), actions, makeButton: plainButton });
  }
  function render(text: string): HTMLElement {
    const v = view();
    v.update(text);
    return v.element;
  }

  it('removes scripts, event handlers and raw HTML (shown as text, never as elements)', () => {
    const el = render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <b onclick="alert(3)">bold</b>\n\n<iframe src="https://evil.example"></iframe>\n\n<div onmouseover="alert(4)">block</div>');
    for (const tag of ['script', 'img', 'b', 'iframe', 'div']) assert.equal(el.querySelector(tag), null, `no <${tag}> element`);
    assert.equal(el.querySelectorAll('*').length, el.querySelectorAll('p').length, 'only paragraphs');
    for (const node of el.querySelectorAll('*')) assert.deepEqual([...node.attributes].map((a) => a.name), [], 'no attributes at all');
    assert.match(el.textContent ?? '', /<script>alert\(1\)<\/script>/, 'the raw HTML is visible as text');
  });

  it('keeps http and https links, drops javascript:, data: and other URLs from links', () => {
    const el = render('[ok](https://example.com/a?b=1) [plain](http://example.org) [js](javascript:alert(1)) [js2](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [file](file:///etc/passwd) [cmd](command:workbench.action.quit) ![img](https://example.com/i.png)');
    const hrefs = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    assert.deepEqual(
      hrefs.filter((h) => h !== null),
      ['https://example.com/a?b=1', 'http://example.org', 'https://example.com/i.png'],
    );
    assert.equal(el.querySelector('img'), null, 'images become links');
    assert.match(el.textContent ?? '', /js2/);
  });

  it('opens links through the host and never navigates the webview', () => {
    const v = view();
    v.update('See [the docs](https://example.com/docs) or [this](javascript:alert(1)).');
    const [good, bad] = [...v.element.querySelectorAll('a')];
    const click = (a: Element) => {
      const e = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
      a.dispatchEvent(e);
      return e.defaultPrevented;
    };
    assert.equal(click(good!), true, 'navigation prevented');
    assert.equal(click(bad!), true, 'navigation prevented');
    assert.deepEqual(calls, ['open:https://example.com/docs']);
  });

  it('renders a fence as a code block with Copy and Insert at Cursor that pass its exact code', () => {
    const code = 'function f(a) {\n  return a < 1 && "x";\n}';
    const el = render(`Here:\n\n\`\`\`js\n${code}\n\`\`\`\n\nDone.`);
    const block = el.querySelector('.mt-code');
    assert.ok(block, 'a code block');
    assert.equal(block.querySelector('pre > code.language-js')?.textContent, `${code}\n`);
    assert.equal(block.querySelector('.mt-code-lang')?.textContent, 'js');
    const copy = block.querySelector<HTMLElement>('[data-testid="code-copy"]')!;
    const insert = block.querySelector<HTMLElement>('[data-testid="code-insert"]')!;
    assert.equal(copy.textContent, 'Copy');
    assert.equal(insert.textContent, 'Insert at Cursor');
    assert.ok(copy.title && insert.title, 'both have a tooltip');
    insert.click();
    copy.click();
    assert.deepEqual(calls, [`insert:js:${code}`, `copy:${code}`]);
    assert.equal(copy.textContent, 'Copied', 'Copy confirms');
  });

  it('disables the buttons of an empty code block', () => {
    const el = render('```\n```');
    assert.ok(el.querySelector('[data-testid="code-copy"]')!.hasAttribute('disabled'));
    assert.ok(el.querySelector('[data-testid="code-insert"]')!.hasAttribute('disabled'));
  });

  it('builds the same DOM streamed in small chunks as rendered whole, reusing finished blocks', () => {
    const text = 'Intro with **bold** and a [link](https://example.com).\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote <b>x</b>\n\nThe end.';
    const streamed = view();
    // Past the first paragraph and into the fence: the paragraph is finished now.
    streamed.update(text.slice(0, 64));
    const firstParagraph = streamed.element.firstChild;
    assert.equal(firstParagraph?.nodeName, 'P');
    for (let i = 64; i <= text.length; i += 7) streamed.update(text.slice(0, i));
    streamed.update(text);
    assert.equal(streamed.element.innerHTML, render(text).innerHTML);
    assert.equal(streamed.element.firstChild, firstParagraph, 'the finished first paragraph was built once and kept');
  });
});
