/**
 * The conversation history on disk: one JSON file in the extension's workspace
 * storage (`context.storageUri`; the global storage when no folder is open), read
 * once at activation and written debounced and atomically (a temporary file renamed
 * over the old one, so a crash mid-write never leaves half a file). Everything is
 * redacted before it is written: nothing secret reaches the disk.
 */
import * as vscode from 'vscode';
import type { Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { Redactor } from '../../common/redact';
import { Disposable } from '../lifecycle';
import { ConversationHistory, type Conversation, type ConversationSummary, type HistoryLimits } from './conversationHistory';
import { HistoryRecorder } from './historyRecorder';
import { conversationToMarkdown } from './historyMarkdown';

export const HISTORY_FILE_NAME = 'conversation-history.json';
const DEFAULT_SAVE_DELAY_MS = 1_000;

export interface HistoryStoreDeps {
  /** The folder the file lives in. */
  dir: vscode.Uri;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  newId: () => string;
  limits?: HistoryLimits;
  saveDelayMs?: number;
}

export class HistoryStore extends Disposable {
  private readonly history: ConversationHistory;
  /** Feeds session events into the history; owned here so there is one history per window. */
  readonly recorder: HistoryRecorder;
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** The list or a conversation changed (debounced with the save). */
  readonly onDidChange: vscode.Event<void> = this.changeEmitter.event;
  private saveTimer: vscode.Disposable | undefined;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: vscode.Uri;
  private readonly log: Logger;

  /** Settles once the file was read (or found missing or damaged). */
  private readonly loaded: Promise<void>;

  constructor(private readonly deps: HistoryStoreDeps) {
    super();
    this.log = deps.logger.child('history');
    this.history = new ConversationHistory(deps.limits);
    this.file = vscode.Uri.joinPath(deps.dir, HISTORY_FILE_NAME);
    this.recorder = new HistoryRecorder(this.history, () => deps.clock.now(), deps.newId, () => this.changed());
    this._onDispose(() => this.saveTimer?.dispose());
    // Read in the background so activation does not wait on the disk; writes wait for it.
    this.loaded = this.load();
  }

  /** Resolves when the saved history has been read. Readers (commands, the panel) await it. */
  ready(): Promise<void> {
    return this.loaded;
  }

  private async load(): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.file);
      const parsed = ConversationHistory.fromJson(new TextDecoder().decode(bytes), this.deps.limits);
      if (parsed.error) {
        this.log.warn(`${parsed.error}; starting an empty history (the old file is kept as ${HISTORY_FILE_NAME}.damaged)`);
        await Promise.resolve(vscode.workspace.fs.rename(this.file, vscode.Uri.joinPath(this.deps.dir, `${HISTORY_FILE_NAME}.damaged`), { overwrite: true })).catch(() => undefined);
      }
      this.history.mergeOlder(parsed.history);
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) this.log.warn(`could not read the history: ${errorMessage(err)}`);
    }
  }

  list(): ConversationSummary[] {
    return this.history.list();
  }

  get(id: string): Conversation | undefined {
    return this.history.get(id);
  }

  /** The conversation being recorded now, else the most recent one. */
  currentOrLatest(): Conversation | undefined {
    const id = this.recorder.current?.conversationId;
    return (id ? this.history.get(id) : undefined) ?? this.history.latest();
  }

  markdown(id: string): string | undefined {
    const c = this.history.get(id);
    return c && conversationToMarkdown(this.deps.redactor.value(c) as Conversation);
  }

  /** Deletes every conversation (the one in progress starts over empty). */
  async clear(): Promise<void> {
    this.history.clear();
    const current = this.recorder.current;
    if (current) this.history.begin(current.conversationId, this.deps.clock.now(), '', '');
    this.changed();
    await this.flush();
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    await this.loaded;
    this.saveTimer?.dispose();
    this.saveTimer = undefined;
    if (this.dirty) {
      this.dirty = false;
      const json = JSON.stringify(this.deps.redactor.value(JSON.parse(this.history.toJson())));
      this.writing = this.writing.then(() => this.write(json));
    }
    await this.writing;
  }

  private changed(): void {
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = this.deps.clock.setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush().then(() => this.changeEmitter.fire());
    }, this.deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
  }

  private async write(json: string): Promise<void> {
    const tmp = vscode.Uri.joinPath(this.deps.dir, `${HISTORY_FILE_NAME}.tmp`);
    try {
      await vscode.workspace.fs.createDirectory(this.deps.dir);
      await vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(json));
      await vscode.workspace.fs.rename(tmp, this.file, { overwrite: true });
    } catch (err) {
      this.log.warn(`could not save the conversation history: ${errorMessage(err)}`);
    }
  }
}
