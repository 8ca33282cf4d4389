/**
 * The conversation history kept per workspace: each conversation's user and model
 * turns with their times, the Live session and connection they happened on, and the
 * tool calls made. Bounded (oldest conversations go first), serialisable, and pure:
 * historyStore.ts writes it to disk, historyRecorder.ts feeds it session events.
 *
 * Nothing secret goes in: no handle, no key, no token. The store also redacts the
 * whole file before writing, in case a user pasted one into a turn.
 */
import * as v from 'valibot';

export const HISTORY_VERSION = 1;

export interface HistoryToolCall {
  /** The server's function call id (the last one, when a repeat after a handoff was answered). */
  callId?: string;
  name: string;
  args: Record<string, unknown>;
  status: 'pending' | 'ok' | 'error' | 'declined' | 'cancelled';
  /** The result or the error text sent back to the model. */
  output?: unknown;
}

export interface HistoryEntry {
  turn: number;
  role: 'user' | 'model' | 'system';
  text: string;
  /** Epoch ms when the entry began. */
  at: number;
  /** The local id of the Live session the entry happened in. */
  sessionId?: string;
  /** The connection number within the session (1-based; 0 before any). */
  connection: number;
  toolCalls?: HistoryToolCall[];
  /** A marker entry, e.g. editor context that was sent. */
  kind?: 'context' | 'notice';
}

export interface Conversation {
  id: string;
  startedAt: number;
  updatedAt: number;
  backend: string;
  model: string;
  entries: HistoryEntry[];
}

export interface ConversationSummary {
  id: string;
  /** The first user line (or a placeholder). */
  title: string;
  startedAt: number;
  updatedAt: number;
  entryCount: number;
}

export interface HistoryLimits {
  /** Conversations kept. Default 50. */
  maxConversations: number;
  /** Serialized size kept, in characters (≈ bytes for mostly-ASCII text). Default 2 000 000. */
  maxTotalChars: number;
  /** Longest text of one entry. Default 50 000. */
  maxEntryChars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxConversations: 50, maxTotalChars: 2_000_000, maxEntryChars: 50_000 };

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.pipe(v.number(), v.finite(), v.minValue(0));
const ToolCallSchema = v.object({
  callId: v.optional(v.string()),
  name: v.string(),
  args: v.record(v.string(), v.unknown()),
  status: v.picklist(['pending', 'ok', 'error', 'declined', 'cancelled']),
  output: v.optional(v.unknown()),
});
const EntrySchema = v.object({
  turn: count,
  role: v.picklist(['user', 'model', 'system']),
  text: v.string(),
  at: time,
  sessionId: v.optional(v.string()),
  connection: count,
  toolCalls: v.optional(v.array(ToolCallSchema)),
  kind: v.optional(v.picklist(['context', 'notice'])),
});
const ConversationSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  startedAt: time,
  updatedAt: time,
  backend: v.string(),
  model: v.string(),
  entries: v.array(EntrySchema),
});
const FileSchema = v.object({ v: v.literal(HISTORY_VERSION), conversations: v.array(ConversationSchema) });

export function conversationTitle(c: Conversation, maxChars = 80): string {
  const first = c.entries.find((e) => e.role === 'user' && e.kind === undefined && e.text.trim() !== '');
  const line = first?.text.trim().split('\n', 1)[0] ?? '';
  if (!line) return '(no user turn yet)';
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 1)}…`;
}

export class ConversationHistory {
  /** Oldest first. */
  private conversations: Conversation[] = [];

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  /**
   * Reads a saved file. A damaged file yields an empty history and the reason, so the
   * caller can log it (and keep the damaged file aside) instead of failing activation.
   */
  static fromJson(raw: string, limits: HistoryLimits = DEFAULT_HISTORY_LIMITS): { history: ConversationHistory; error?: string } {
    const history = new ConversationHistory(limits);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { history, error: 'the history file is not JSON' };
    }
    const result = v.safeParse(FileSchema, json);
    if (!result.success) {
      const issue = result.issues[0];
      return { history, error: `the history file is invalid at ${(issue && v.getDotPath(issue)) ?? 'root'}: ${issue?.message ?? ''}` };
    }
    history.conversations = result.output.conversations as Conversation[];
    history.enforceLimits();
    return { history };
  }

  /** Serializes, first dropping whatever exceeds the limits (sizes are checked here, not on every streamed chunk). */
  toJson(): string {
    this.enforceLimits();
    return this.serialize();
  }

  private serialize(): string {
    return JSON.stringify({ v: HISTORY_VERSION, conversations: this.conversations });
  }

  /** Newest first. */
  list(): ConversationSummary[] {
    return [...this.conversations]
      .reverse()
      .map((c) => ({ id: c.id, title: conversationTitle(c), startedAt: c.startedAt, updatedAt: c.updatedAt, entryCount: c.entries.length }));
  }

  get(id: string): Conversation | undefined {
    const c = this.conversations.find((x) => x.id === id);
    return c && structuredClone(c);
  }

  /** The most recently updated conversation. */
  latest(): Conversation | undefined {
    let best: Conversation | undefined;
    for (const c of this.conversations) if (!best || c.updatedAt >= best.updatedAt) best = c;
    return best && structuredClone(best);
  }

  get size(): number {
    return this.conversations.length;
  }

  /** Starts a conversation, or continues it when `id` is already known (a resumed session after a reload). */
  begin(id: string, at: number, backend: string, model: string): void {
    if (this.find(id)) return;
    this.conversations.push({ id, startedAt: at, updatedAt: at, backend, model, entries: [] });
    this.enforceLimits();
  }

  /**
   * Adds an entry, or, when the newest entry of the same turn and role exists, appends
   * to it (`mode: 'append'`, streaming) or replaces its text (`'replace'`, a restarted
   * answer). Entries of another kind (markers) are always added.
   */
  write(conversationId: string, entry: HistoryEntry, mode: 'add' | 'append' | 'replace' = 'add'): void {
    const c = this.find(conversationId);
    if (!c) return;
    const existing = mode === 'add' ? undefined : this.findEntry(c, entry.turn, entry.role, entry.sessionId);
    if (existing) {
      existing.text = this.clip(mode === 'append' ? existing.text + entry.text : entry.text);
      existing.connection = entry.connection;
    } else {
      c.entries.push({ ...entry, text: this.clip(entry.text) });
    }
    c.updatedAt = Math.max(c.updatedAt, entry.at);
  }

  /** Records a tool call on the model entry of its turn (made if missing), or updates the call with the same name and args. */
  recordToolCall(conversationId: string, turn: number, sessionId: string | undefined, connection: number, at: number, call: HistoryToolCall): void {
    const c = this.find(conversationId);
    if (!c) return;
    let entry = this.findEntry(c, turn, 'model', sessionId);
    if (!entry) {
      entry = { turn, role: 'model', text: '', at, sessionId, connection };
      c.entries.push(entry);
    }
    const calls = (entry.toolCalls ??= []);
    const same = calls.find((x) => x.name === call.name && JSON.stringify(x.args) === JSON.stringify(call.args) && x.status === 'pending');
    if (same) Object.assign(same, call);
    else calls.push({ ...call });
    c.updatedAt = Math.max(c.updatedAt, at);
  }

  clear(): void {
    this.conversations = [];
  }

  /**
   * Puts conversations read from disk before the ones recorded since activation (the
   * file is read asynchronously; a turn may be recorded first). Known ids are skipped.
   */
  mergeOlder(older: ConversationHistory): void {
    const known = new Set(this.conversations.map((c) => c.id));
    this.conversations = [...older.conversations.filter((c) => !known.has(c.id)), ...this.conversations];
    this.enforceLimits();
  }

  private find(id: string): Conversation | undefined {
    return this.conversations.find((x) => x.id === id);
  }

  private findEntry(c: Conversation, turn: number, role: HistoryEntry['role'], sessionId: string | undefined): HistoryEntry | undefined {
    for (let i = c.entries.length - 1; i >= 0; i--) {
      const e = c.entries[i]!;
      if (e.turn === turn && e.role === role && e.kind === undefined && e.sessionId === sessionId) return e;
    }
    return undefined;
  }

  private clip(text: string): string {
    const max = this.limits.maxEntryChars;
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  }

  /**
   * Drops the oldest conversations past the count or size limit. The newest one is
   * never dropped whole; when it alone is too big, its oldest entries go instead.
   */
  private enforceLimits(): void {
    while (this.conversations.length > this.limits.maxConversations) this.conversations.shift();
    let total = this.serialize().length;
    while (total > this.limits.maxTotalChars && this.conversations.length > 1) {
      const dropped = this.conversations.shift()!;
      total -= JSON.stringify(dropped).length + 1;
    }
    const only = this.conversations[0];
    if (only && this.conversations.length === 1) {
      while (total > this.limits.maxTotalChars && only.entries.length > 1) {
        total -= JSON.stringify(only.entries.shift()).length + 1;
      }
    }
  }
}
