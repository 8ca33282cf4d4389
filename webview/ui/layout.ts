/**
 * The two pages the one webview bundle builds (the HTML's `data-surface` picks):
 * - the editor panel (panelLayout): header with the shortcuts, the error banner, the
 *   grid of cards (session, audio, conversation, context, and the Token / Settings /
 *   Debug / History tabs), and the live region;
 * - the side bar chat view (viewLayout): conversation first (the session strip, the
 *   transcript, the message box with the mic button), and everything else folded
 *   behind one Details control, whose open state is remembered.
 * Builds elements only; main.ts owns the views in them.
 */
import { panels } from './components';
import { h } from './dom';
import { shortcutHint } from '../shortcuts';
import { t } from '../l10n';

export interface LayoutParts {
  readonly banner: HTMLElement;
  readonly session: HTMLElement;
  readonly audio: HTMLElement;
  readonly transcript: HTMLElement;
  readonly toolConfirms: HTMLElement;
  readonly chat: HTMLElement;
  readonly gauge: HTMLElement;
  readonly token: HTMLElement;
  readonly settings: HTMLElement;
  readonly debug: HTMLElement;
  readonly history: HTMLElement;
  readonly live: HTMLElement;
  /** The tab to show first, and where a change of tab is remembered. */
  readonly activeTab: string;
  readonly onTab: (id: string) => void;
}

/** Read when a layout is built (after main.ts set the panel's language), not at import. */
const tabsLabel = (): string => t('Token, settings, debug and history');

/** The token, settings, debug and history tabs: the same in the panel and behind the view's Details. */
function detailTabs(p: LayoutParts): ReturnType<typeof panels> {
  return panels(
    [
      { id: 'token', label: t('Token'), content: p.token },
      { id: 'settings', label: t('Settings'), content: p.settings },
      { id: 'debug', label: t('Debug'), content: p.debug },
      { id: 'history', label: t('History'), content: p.history },
    ],
    { ariaLabel: tabsLabel(), activeId: p.activeTab, onChange: p.onTab },
  );
}

export function panelLayout(p: LayoutParts): HTMLElement {
  const tabs = detailTabs(p);
  // A wrapper carries the card styling: classes on the toolkit host would override its internal grid layout.
  const tabsCard = h('section', { class: 'mt-card mt-tabs', 'aria-label': tabsLabel() }, tabs.element);
  const conversation = h('section', { class: 'mt-card mt-conversation', 'aria-labelledby': 'mt-conv-title' }, h('h2', { id: 'mt-conv-title' }, t('Conversation')), p.transcript, p.toolConfirms, p.chat);
  return h(
    'div',
    { class: 'mt-layout' },
    h('header', { class: 'mt-header' }, h('h1', {}, 'MoonTalk Live'), h('span', { class: 'mt-muted mt-shortcuts', title: t('Keyboard shortcuts') }, t('{0} connect · {1} disconnect · {2} listen · {3} type', shortcutHint('connect'), shortcutHint('disconnect'), shortcutHint('toggleListening'), shortcutHint('focusChat')))),
    p.banner,
    h('main', { class: 'mt-grid' }, p.session, p.audio, conversation, p.gauge, tabsCard),
    p.live,
  );
}

export interface ViewLayoutParts extends LayoutParts {
  readonly strip: HTMLElement;
  readonly mic: HTMLElement;
  /** Stop Speaking: beside the microphone, so silencing the voice never needs Details. */
  readonly stopSpeaking: HTMLElement;
  /** Details starts open (remembered across reloads). */
  readonly detailsOpen: boolean;
  readonly onDetails: (open: boolean) => void;
}

export function viewLayout(p: ViewLayoutParts): HTMLElement {
  const tabs = detailTabs(p);
  const details = h(
    'details',
    { class: 'mt-details', 'data-testid': 'details' },
    h('summary', { class: 'mt-details-summary', title: t('Session, audio, context, token, settings, debug and history') }, t('Details')),
    h('div', { class: 'mt-details-body' }, p.session, p.audio, p.gauge, h('section', { class: 'mt-card mt-tabs', 'aria-label': tabsLabel() }, tabs.element)),
  ) as HTMLDetailsElement;
  details.open = p.detailsOpen;
  details.addEventListener('toggle', () => p.onDetails(details.open));
  // The mic sits in the message box's action row, left of Send: talking and typing are one place.
  const actions = p.chat.querySelector('.mt-chat-actions');
  if (actions) actions.prepend(p.mic, p.stopSpeaking);
  const composer = h('div', { class: 'mt-composer' }, p.chat, actions ? null : p.mic, actions ? null : p.stopSpeaking);
  const conversation = h('section', { class: 'mt-view-conversation', 'aria-label': t('Conversation') }, p.transcript, p.toolConfirms);
  return h('div', { class: 'mt-view-layout' }, p.strip, p.banner, conversation, composer, details, p.live);
}
