/**
 * The chat box. Enter sends, Shift+Enter inserts a newline (IME composition is left
 * alone). The draft is persisted on every keystroke, so hiding the panel, reloading
 * it, or failing to send never loses what was typed: text is cleared only after a
 * send was handed to the host. Send works before connecting: the host connects first
 * (SessionController.sendText), so nobody has to find Connect to ask a question.
 */
import { MAX_USER_TEXT_CHARS } from '../../src/protocol/messages';
import type { Disposable } from '../../src/common/disposable';
import { button, textArea, type ButtonHandle, type TextFieldHandle } from './components';
import { h, setText } from './dom';
import { shortcutHint } from '../shortcuts';
import { t } from '../l10n';

export interface ChatInputOptions {
  readonly draft: string;
  readonly onDraft: (draft: string) => void;
  /** Returns true when the text was sent (then the box is cleared). */
  readonly onSend: (text: string) => boolean;
}

export class ChatInput implements Disposable {
  readonly element: HTMLElement;
  readonly field: TextFieldHandle;
  private readonly sendButton: ButtonHandle;
  private readonly hint = h('span', { class: 'mt-muted mt-chat-hint', id: 'mt-chat-hint' });
  private connected = false;

  constructor(private readonly opts: ChatInputOptions) {
    this.field = textArea('Message to Gemini', {
      value: opts.draft,
      rows: 2,
      hideLabel: true,
      placeholder: 'Type a message — Enter to send, Shift+Enter for a new line',
      title: t('Message ({0} to focus). Enter sends, Shift+Enter inserts a new line.', shortcutHint('focusChat')),
      onInput: (v) => {
        opts.onDraft(v);
        this.refresh();
      },
      onKeyDown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          this.submit();
        }
      },
    });
    this.field.element.setAttribute('aria-describedby', 'mt-chat-hint');
    this.field.element.setAttribute('data-testid', 'chat-input');
    this.sendButton = button('Send', { appearance: 'primary', title: 'Send the message (Enter)', onClick: () => this.submit() });
    this.sendButton.element.setAttribute('data-testid', 'chat-send');
    this.element = h('form', { class: 'mt-chat', 'aria-label': 'Send a message' }, this.field.element, h('div', { class: 'mt-chat-actions' }, this.hint, this.sendButton.element));
    this.element.addEventListener('submit', (e) => e.preventDefault());
    this.refresh();
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    this.refresh();
  }

  focus(): void {
    this.field.focus();
  }

  private refresh(): void {
    const text = this.field.value;
    const tooLong = text.length > MAX_USER_TEXT_CHARS;
    this.sendButton.setDisabled(text.trim().length === 0 || tooLong);
    setText(this.hint, tooLong ? `Too long: ${text.length} of ${MAX_USER_TEXT_CHARS} characters.` : this.connected ? '' : 'Not connected: Send connects first.');
  }

  private submit(): void {
    const text = this.field.value;
    if (text.trim().length === 0 || text.length > MAX_USER_TEXT_CHARS) {
      this.refresh();
      return;
    }
    if (this.opts.onSend(text)) {
      this.field.value = '';
      this.opts.onDraft('');
      this.refresh();
    }
  }

  dispose(): void {
    this.element.remove();
  }
}
