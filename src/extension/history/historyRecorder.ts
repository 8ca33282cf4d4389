/**
 * Feeds session events into the conversation history: which conversation and Live
 * session we are in, which connection, and each turn's text as it streams. Pure (no
 * vscode): the controller calls it with every event and saves when told something
 * changed.
 *
 * @remarks
 * Ids: a conversation is what the history lists; it spans windows (a reload resumes
 * it). A session id names one Live session: a fresh session (first connect, a refused
 * or expired handle) gets a new one, a resume keeps it. Both are local random ids,
 * never the resumption handle.
 */
import type { SessionEvent } from '../../core/sessionEvents';
import type { ConversationHistory, HistoryToolCall } from './conversationHistory';

export interface RecorderIds {
  conversationId: string;
  sessionId: string;
}

export class HistoryRecorder {
  private ids: RecorderIds | undefined;
  private connection = 0;
  /** Set by a restore: the next `connected` that resumes keeps this session id. */
  private resumingSession = false;

  constructor(
    private readonly history: ConversationHistory,
    private readonly now: () => number,
    private readonly newId: () => string,
    private readonly changed: () => void,
  ) {}

  /** The conversation and session in progress, if any. */
  get current(): RecorderIds | undefined {
    return this.ids && { ...this.ids };
  }

  /**
   * Begins (or, with `continueIds` from a stored record, continues) a conversation.
   * Returns its ids, which the resumption record stores.
   */
  start(backend: string, model: string, continueIds?: RecorderIds): RecorderIds {
    this.ids = continueIds ? { ...continueIds } : { conversationId: this.newId(), sessionId: this.newId() };
    this.resumingSession = continueIds !== undefined;
    this.connection = 0;
    this.history.begin(this.ids.conversationId, this.now(), backend, model);
    this.changed();
    return { ...this.ids };
  }

  apply(e: SessionEvent): void {
    const ids = this.ids;
    if (!ids) return;
    const base = { sessionId: ids.sessionId, connection: this.connection, at: this.now() };
    switch (e.type) {
      case 'connected':
        if (!e.resumed && (this.connection > 0 || this.resumingSession)) {
          // A fresh Live session inside the same conversation (handle refused or expired).
          ids.sessionId = this.newId();
        }
        this.resumingSession = false;
        this.connection = e.connection;
        return;
      case 'turnSent':
        // 'replace': a turn resent after a drop is the same turn, said once.
        this.history.write(ids.conversationId, { ...base, turn: e.turn, role: 'user', text: e.text }, 'replace');
        break;
      case 'inputTranscription':
        this.history.write(ids.conversationId, { ...base, turn: e.turn, role: 'user', text: e.text }, 'append');
        break;
      case 'text':
        this.history.write(ids.conversationId, { ...base, turn: e.turn, role: 'model', text: e.text }, 'append');
        break;
      case 'turnRestarted':
        this.history.write(ids.conversationId, { ...base, turn: e.turn, role: 'model', text: '' }, 'replace');
        break;
      case 'resumeFailed':
        this.history.write(ids.conversationId, { ...base, turn: 0, role: 'system', text: 'The previous session could not be resumed; a new one started with the earlier turns as context.', kind: 'notice' });
        break;
      case 'turnComplete':
        break;
      default:
        return;
    }
    this.changed();
  }

  /** A compact marker: editor context sent as the given turn. */
  contextSent(summary: string): void {
    if (!this.ids) return;
    this.history.write(this.ids.conversationId, { turn: 0, role: 'system', text: summary, at: this.now(), sessionId: this.ids.sessionId, connection: this.connection, kind: 'context' });
    this.changed();
  }

  toolCall(turn: number, call: HistoryToolCall): void {
    if (!this.ids) return;
    this.history.recordToolCall(this.ids.conversationId, turn, this.ids.sessionId, this.connection, this.now(), call);
    this.changed();
  }
}
