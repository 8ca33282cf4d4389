/**
 * Tool calls waiting for the user, inline above the chat: what Gemini wants to do, the
 * text or command it would use, and Allow / Deny. The host owns the list (it is state,
 * sent whole); a question the model cancelled simply disappears from it.
 */
import type { ToolConfirmation } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { button } from './components';
import { h } from './dom';
import { t } from '../l10n';

export class ToolConfirmPanel implements Disposable {
  readonly element: HTMLElement;
  private shownIds = '';

  constructor(
    private readonly host: HostChannel,
    private readonly announce: (text: string) => void,
  ) {
    this.element = h('div', { class: 'mt-tool-confirms', role: 'region', 'aria-label': t('Tool calls waiting for your answer'), 'data-testid': 'tool-confirms' });
    this.element.hidden = true;
  }

  update(confirmations: readonly ToolConfirmation[]): void {
    const ids = confirmations.map((c) => c.id).join('\n');
    if (ids === this.shownIds) return;
    const isNew = confirmations.some((c) => !this.shownIds.split('\n').includes(c.id));
    this.shownIds = ids;
    this.element.hidden = confirmations.length === 0;
    this.element.replaceChildren(
      ...confirmations.map((c) => {
        const allow = button(t('Allow'), { appearance: 'primary', title: t('Let Gemini do this'), onClick: () => this.host.answerTool(c.id, true) });
        const deny = button(t('Deny'), { title: t('Refuse; Gemini is told you declined'), onClick: () => this.host.answerTool(c.id, false) });
        allow.element.dataset.testid = 'tool-allow';
        deny.element.dataset.testid = 'tool-deny';
        // Tools of other extensions and MCP servers can be allowed for good (the user's allow-list).
        const always = c.alwaysAllow
          ? button(t('Always Allow'), { title: t('Let Gemini use this tool from now on without asking (moontalk.tools.languageModelToolsAllowed)'), onClick: () => this.host.answerTool(c.id, true, true) })
          : undefined;
        if (always) always.element.dataset.testid = 'tool-always-allow';
        return h(
          'article',
          { class: 'mt-tool-confirm', 'data-id': c.id, 'data-tool': c.tool },
          h('p', { class: 'mt-tool-title' }, c.title),
          h('pre', { class: 'mt-tool-detail' }, c.detail),
          h('div', { class: 'mt-row' }, ...(always ? [allow.element, always.element, deny.element] : [allow.element, deny.element])),
        );
      }),
    );
    if (isNew && confirmations.length > 0) this.announce(`Gemini asks: ${confirmations.at(-1)!.title}`);
  }

  dispose(): void {
    this.element.remove();
  }
}
