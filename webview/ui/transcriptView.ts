/**
 * The live transcript: user and model turns streaming in place by id, role labels,
 * markers (generation complete, interrupted, …). Follows new text only while the
 * reader is at the bottom; after they scroll up, a "Jump to latest" button appears.
 */
import type { TranscriptEntry } from '../../src/protocol/messages';
import type { Disposable } from '../../src/common/disposable';
import { button, type ButtonHandle } from './components';
import { h, setText } from './dom';
import { fromSnapshot, isPinnedToBottom, markerLabel, mergeEntry, roleLabel } from './transcriptModel';

interface Row {
  readonly el: HTMLElement;
  readonly text: HTMLElement;
  readonly markers: HTMLElement;
  readonly meta: HTMLElement;
  readonly sources: HTMLElement;
}

function timeOfDay(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

export class TranscriptPanel implements Disposable {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty = h('p', { class: 'mt-empty mt-muted' }, 'No conversation yet. Connect, then speak or type below.');
  private readonly jump: ButtonHandle;
  private readonly rows = new Map<string, Row>();
  private entries: readonly TranscriptEntry[] = [];
  private follow: boolean;

  constructor(
    follow: boolean,
    private readonly onFollowChange: (follow: boolean) => void,
    /** A source link was activated: the host opens it (it checks the scheme). */
    private readonly onOpenLink: (url: string) => void,
  ) {
    this.follow = follow;
    // role=log, but not live: streaming deltas would flood a screen reader.
    this.list = h('div', { class: 'mt-transcript-list', role: 'log', 'aria-live': 'off', 'aria-label': 'Transcript', tabindex: 0, 'data-testid': 'transcript' });
    this.jump = button('Jump to latest ↓', { title: 'Scroll to the newest message (End)', onClick: () => this.scrollToEnd(true) });
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
    for (const r of this.rows.values()) r.el.remove();
    this.rows.clear();
    for (const e of this.entries) this.render(e);
    this.empty.hidden = this.entries.length > 0;
    this.scrollToEnd(this.follow);
  }

  upsert(entry: TranscriptEntry): void {
    const result = mergeEntry(this.entries, entry);
    this.entries = result.entries;
    for (const id of result.evicted) {
      this.rows.get(id)?.el.remove();
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
      const sources = h('nav', { class: 'mt-sources', 'aria-label': 'Sources', 'data-testid': 'sources' });
      const el = h('article', { class: 'mt-entry', 'data-id': entry.id }, h('header', { class: 'mt-entry-head' }, h('span', { class: 'mt-role' }, roleLabel(entry.role)), meta), text, sources, markers);
      row = { el, text, markers, meta, sources };
      this.rows.set(entry.id, row);
      this.list.append(el);
    }
    row.el.dataset.role = entry.role;
    row.el.classList.toggle('mt-partial', entry.partial);
    row.el.setAttribute('aria-busy', String(entry.partial));
    setText(row.text, entry.text);
    // System notes (handoffs, new conversations) sit between turns: no turn number for them.
    setText(row.meta, entry.role === 'system' ? timeOfDay(entry.at) : `turn ${entry.turn} · ${timeOfDay(entry.at)}`);
    this.renderSources(row.sources, entry.sources ?? []);
    const markerText = entry.markers.map(markerLabel).join('|');
    if (row.markers.dataset.value !== markerText) {
      row.markers.dataset.value = markerText;
      row.markers.replaceChildren(...entry.markers.map((m) => h('span', { class: `mt-marker mt-marker-${m}` }, markerLabel(m))));
    }
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
        this.onOpenLink(s.uri);
      });
      return h('li', {}, a);
    });
    el.replaceChildren(h('span', { class: 'mt-muted' }, 'Sources:'), h('ol', { class: 'mt-source-list' }, ...links));
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
    this.rows.clear();
    this.element.remove();
  }
}
