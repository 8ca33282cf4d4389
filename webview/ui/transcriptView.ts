/**
 * The live transcript: user and model turns streaming in place by id, role labels,
 * markers (generation complete, interrupted, …). Gemini's answers are Markdown
 * (markdownView.ts: sanitized, code blocks with Copy and Insert at Cursor, links opened
 * by the host); what the user typed and system notes stay plain text. Follows new text
 * only while the reader is at the bottom; after they scroll up, a "Jump to latest"
 * button appears.
 */
import type { TranscriptEntry } from '../../src/protocol/messages';
import type { Disposable } from '../../src/common/disposable';
import { t } from '../l10n';
import { button, type ButtonHandle } from './components';
import { h, setText } from './dom';
import { createAnswerSanitizer, MarkdownView, type AnswerActions, type ButtonFactory } from './markdownView';
import { fromSnapshot, isPinnedToBottom, markerLabel, mergeEntry, roleLabel } from './transcriptModel';

interface Row {
  readonly el: HTMLElement;
  readonly text: HTMLElement;
  readonly markers: HTMLElement;
  readonly meta: HTMLElement;
  /** Set while the entry is an answer (role model) shown as Markdown. */
  markdown: MarkdownView | undefined;
  readonly sources: HTMLElement;
}

/** The code blocks' buttons: compact toolkit buttons with a tooltip. */
const codeButton: ButtonFactory = (label, title, onClick) => {
  const b = button(label, { title, onClick });
  b.element.classList.add('mt-code-button');
  return b.element;
};

function timeOfDay(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

export class TranscriptPanel implements Disposable {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty = h('p', { class: 'mt-empty mt-muted' }, t('No conversation yet. Connect, then speak or type below.'));
  private readonly sanitize = createAnswerSanitizer(window);
  private readonly jump: ButtonHandle;
  private readonly rows = new Map<string, Row>();
  private entries: readonly TranscriptEntry[] = [];
  private follow: boolean;

  constructor(
    follow: boolean,
    private readonly onFollowChange: (follow: boolean) => void,
    private readonly actions: AnswerActions,
  ) {
    this.follow = follow;
    // role=log, but not live: streaming deltas would flood a screen reader.
    this.list = h('div', { class: 'mt-transcript-list', role: 'log', 'aria-live': 'off', 'aria-label': t('Transcript'), tabindex: 0, 'data-testid': 'transcript' });
    this.jump = button(t('Jump to latest ↓'), { title: t('Scroll to the newest message (End)'), onClick: () => this.scrollToEnd(true) });
    this.jump.element.classList.add('mt-jump');
    this.jump.element.hidden = true;
    this.element = h('div', { class: 'mt-transcript' }, this.list, this.jump.element);
    this.list.append(this.empty);
    this.list.addEventListener('scroll', () => {
      const pinned = isPinnedToBottom(this.list.scrollTop, this.list.scrollHeight, this.list.clientHeight);
      if (pinned !== this.follow) {
        this.follow = pinned;
        this.onFollowChange(pinned);
      }
      if (pinned) this.jump.element.hidden = true;
    });
    this.list.addEventListener('keydown', (e) => {
      if (e.key === 'End') this.scrollToEnd(true);
    });
  }

  get all(): readonly TranscriptEntry[] {
    return this.entries;
  }

  reset(snapshot: readonly TranscriptEntry[]): void {
    this.entries = fromSnapshot(snapshot);
    for (const r of this.rows.values()) this.removeRow(r);
    this.rows.clear();
    for (const e of this.entries) this.render(e);
    this.empty.hidden = this.entries.length > 0;
    this.scrollToEnd(this.follow);
  }

  upsert(entry: TranscriptEntry): void {
    const result = mergeEntry(this.entries, entry);
    this.entries = result.entries;
    for (const id of result.evicted) {
      const row = this.rows.get(id);
      if (row) this.removeRow(row);
      this.rows.delete(id);
    }
    if (result.change !== 'unchanged') this.render(entry);
    this.empty.hidden = this.entries.length > 0;
    if (this.follow) this.scrollToEnd(false);
    else if (result.change !== 'unchanged') this.jump.element.hidden = false;
  }

  private render(entry: TranscriptEntry): void {
    let row = this.rows.get(entry.id);
    if (!row) {
      const text = h('div', { class: 'mt-entry-text' });
      const markers = h('div', { class: 'mt-markers' });
      const meta = h('span', { class: 'mt-entry-meta mt-muted' });
      const sources = h('nav', { class: 'mt-sources', 'aria-label': t('Sources'), 'data-testid': 'sources' });
      const el = h('article', { class: 'mt-entry', 'data-id': entry.id }, h('header', { class: 'mt-entry-head' }, h('span', { class: 'mt-role' }, roleLabel(entry.role)), meta), text, sources, markers);
      row = { el, text, markers, meta, sources, markdown: undefined };
      this.rows.set(entry.id, row);
      this.list.append(el);
    }
    row.el.dataset.role = entry.role;
    row.el.classList.toggle('mt-partial', entry.partial);
    row.el.setAttribute('aria-busy', String(entry.partial));
    this.renderText(row, entry);
    // System notes (handoffs, new conversations) sit between turns: no turn number for them.
    setText(row.meta, entry.role === 'system' ? timeOfDay(entry.at) : t('turn {0} · {1}', entry.turn, timeOfDay(entry.at)));
    this.renderSources(row.sources, entry.sources ?? []);
    const markerText = entry.markers.map(markerLabel).join('|');
    if (row.markers.dataset.value !== markerText) {
      row.markers.dataset.value = markerText;
      row.markers.replaceChildren(...entry.markers.map((m) => h('span', { class: `mt-marker mt-marker-${m}` }, markerLabel(m))));
    }
  }

  /** Answers as Markdown (only the streaming tail is rebuilt per chunk); everything else as plain text. */
  private renderText(row: Row, entry: TranscriptEntry): void {
    if (entry.role !== 'model') {
      if (row.markdown) {
        row.markdown.dispose();
        row.markdown = undefined;
        row.text.classList.remove('mt-entry-markdown');
      }
      setText(row.text, entry.text);
      return;
    }
    if (!row.markdown) {
      row.markdown = new MarkdownView({ sanitize: this.sanitize, actions: this.actions, makeButton: codeButton });
      row.text.classList.add('mt-entry-markdown');
      row.text.replaceChildren(row.markdown.element);
    }
    row.markdown.update(entry.text);
  }

  private removeRow(row: Row): void {
    row.markdown?.dispose();
    row.el.remove();
  }

  /** Google Search sources under the answer: links the host opens in the browser. */
  private renderSources(el: HTMLElement, sources: NonNullable<TranscriptEntry['sources']>): void {
    const value = sources.map((s) => s.uri).join(' ');
    if (el.dataset.value === value) return;
    el.dataset.value = value;
    if (sources.length === 0) {
      el.replaceChildren();
      return;
    }
    const links = sources.map((s) => {
      const a = h('a', { class: 'mt-source', href: s.uri, title: s.uri }, s.title);
      a.addEventListener('click', (e) => {
        e.preventDefault();
        this.actions.openLink(s.uri);
      });
      return h('li', {}, a);
    });
    el.replaceChildren(h('span', { class: 'mt-muted' }, t('Sources:')), h('ol', { class: 'mt-source-list' }, ...links));
  }

  private scrollToEnd(force: boolean): void {
    if (!force && !this.follow) return;
    this.list.scrollTop = this.list.scrollHeight;
    this.jump.element.hidden = true;
    if (force && !this.follow) {
      this.follow = true;
      this.onFollowChange(true);
    }
  }

  dispose(): void {
    for (const r of this.rows.values()) r.markdown?.dispose();
    this.rows.clear();
    this.element.remove();
  }
}
