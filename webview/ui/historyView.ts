/**
 * The History tab: this workspace's saved conversations (date and first user line),
 * newest first. Selecting one shows it read-only (its Markdown, as text: nothing from
 * the history is ever parsed as markup); Export saves it through the host's save dialog.
 */
import type { HistorySummary } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { button } from './components';
import { h, setText } from './dom';
import { t } from '../l10n';

function dateTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export class HistoryPanel implements Disposable {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'mt-history-list', 'aria-label': t('Saved conversations'), 'data-testid': 'history-list' });
  private readonly empty = h('p', { class: 'mt-muted' }, t('No saved conversations in this workspace yet.'));
  private readonly title = h('h3', { class: 'mt-history-title' });
  private readonly body = h('pre', { class: 'mt-history-body', tabindex: 0, 'aria-label': t('Conversation (read-only)'), 'data-testid': 'history-body' });
  private readonly viewer: HTMLElement;
  private selected: string | undefined;

  constructor(private readonly host: HostChannel) {
    const refresh = button(t('Refresh'), { title: t('Reload the list of conversations'), onClick: () => host.listHistory() });
    const exportButton = button(t('Export…'), { title: t('Save the shown conversation as Markdown'), onClick: () => this.selected && host.exportHistory(this.selected) });
    exportButton.element.dataset.testid = 'history-export';
    this.viewer = h('div', { class: 'mt-history-viewer' }, h('div', { class: 'mt-row mt-toolbar' }, this.title, exportButton.element), this.body);
    this.viewer.hidden = true;
    this.element = h('div', { class: 'mt-history' }, h('div', { class: 'mt-row mt-toolbar' }, refresh.element), this.empty, this.list, this.viewer);
  }

  setList(conversations: readonly HistorySummary[]): void {
    this.empty.hidden = conversations.length > 0;
    this.list.replaceChildren(
      ...conversations.map((c) => {
        const open = h(
          'button',
          { type: 'button', class: 'mt-history-item', title: t('Show this conversation (read-only)'), 'data-id': c.id, 'aria-current': c.id === this.selected ? 'true' : null },
          h('span', { class: 'mt-history-date mt-muted' }, dateTime(c.startedAt)),
          ' ',
          h('span', { class: 'mt-history-line' }, c.title),
        );
        open.addEventListener('click', () => {
          this.selected = c.id;
          this.host.showHistory(c.id);
        });
        return h('li', {}, open);
      }),
    );
    if (this.selected && !conversations.some((c) => c.id === this.selected)) {
      this.selected = undefined;
      this.viewer.hidden = true;
    }
  }

  show(id: string, title: string, markdown: string): void {
    this.selected = id;
    setText(this.title, title);
    setText(this.body, markdown);
    this.viewer.hidden = false;
    for (const b of this.list.querySelectorAll<HTMLElement>('.mt-history-item')) b.toggleAttribute('aria-current', b.dataset.id === id);
  }

  dispose(): void {
    this.element.remove();
  }
}
