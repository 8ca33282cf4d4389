/**
 * The conversation as the panel shows it: user and model entries per turn, with
 * streaming partials and markers (generationComplete, interrupted, restarted,
 * resumed, handoff). Fed session events; returns the changes to send, so the
 * controller bridges them in one place. Bounded: the oldest entries go first. No vscode:
 * system lines are localized through `t` (vscode.l10n.t in the extension).
 */
import { mergeSources } from '../core/grounding';
import type { SessionEvent } from '../core/sessionEvents';
import type { TranscriptEntry } from '../protocol/messages';
import { MAX_TRANSCRIPT_ENTRIES, MAX_TRANSCRIPT_ENTRY_CHARS } from './constants';
import type { Localize } from './localize';
import { turnEndNotice } from './turnEndNotice';

export type TranscriptChange = { type: 'appended'; entry: TranscriptEntry } | { type: 'updated'; entry: TranscriptEntry } | { type: 'cleared' };

type Marker = TranscriptEntry['markers'][number];

export class Transcript {
  private list: TranscriptEntry[] = [];
  /** Entries by id, for streaming appends. */
  private readonly byId = new Map<string, TranscriptEntry>();
  /** Turn numbers restart with a fresh session; the generation keeps ids unique. */
  private generation = 0;
  private systemCount = 0;
  private handoffInProgress = false;
  private toolCount = 0;
  private readonly toolIds = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly t: Localize,
    private readonly maxEntries = MAX_TRANSCRIPT_ENTRIES,
  ) {}

  /** A copy of the entries, oldest first. */
  entries(): TranscriptEntry[] {
    return this.list.map(copy);
  }

  /** Marks the start of a new conversation (another model or backend): turn numbers start over. */
  startConversation(note: string): TranscriptChange[] {
    this.generation++;
    this.handoffInProgress = false;
    return this.list.length > 0 ? this.system(note, []) : [];
  }

  /** A one-line system entry, e.g. the editor context that was sent ('context'). */
  note(text: string, markers: Marker[]): TranscriptChange[] {
    return this.system(text, markers);
  }

  /**
   * A tool call's line, updated in place as it goes from waiting to done: `key` is
   * stable per (turn, name, args), so a repeat after a handoff updates the same line.
   */
  toolCall(key: string, text: string): TranscriptChange[] {
    if (this.toolIds.size > 1_000) this.toolIds.clear(); // bounded; an old call's line just stops updating
    const id = `g${this.generation}-t${this.toolIds.get(key) ?? this.toolIds.set(key, ++this.toolCount).get(key)}`;
    const entry = this.byId.get(id);
    if (!entry) return this.append({ id, turn: 0, role: 'system', text: clip(text), partial: false, markers: ['tool'], at: this.now() });
    entry.text = clip(text);
    return [{ type: 'updated', entry: copy(entry) }];
  }

  /**
   * Shows the earlier part of a conversation that continues after a window reload (from
   * the history store), read-only, followed by a note. New turns get fresh ids.
   */
  restore(entries: ReadonlyArray<{ turn: number; role: 'user' | 'model' | 'system'; text: string; at: number }>, note: string): TranscriptChange[] {
    this.generation++;
    const changes: TranscriptChange[] = [];
    entries.slice(-this.maxEntries + 1).forEach((e, i) => {
      changes.push(...this.append({ id: `g${this.generation}-r${i}`, turn: e.turn, role: e.role, text: clip(e.text), partial: false, markers: [], at: e.at }));
    });
    changes.push(...this.system(note, ['resumed']));
    this.generation++;
    return changes;
  }

  clear(): TranscriptChange[] {
    this.list = [];
    this.byId.clear();
    return [{ type: 'cleared' }];
  }

  apply(e: SessionEvent): TranscriptChange[] {
    switch (e.type) {
      case 'turnSent': {
        const id = this.id('u', e.turn);
        if (this.byId.has(id)) return []; // a resend after a drop: the user said it once
        return this.append({ id, turn: e.turn, role: 'user', text: e.text, partial: false, markers: [], at: this.now() });
      }
      case 'inputTranscription':
        return this.appendText('u', e.turn, 'user', e.text);
      case 'text':
        return this.appendText('m', e.turn, 'model', e.text);
      case 'generationComplete':
        return this.mark('m', e.turn, 'generationComplete', undefined);
      case 'interrupted':
        return this.mark('m', e.turn, 'interrupted', false);
      case 'turnComplete': {
        const changes = [...this.finish('u', e.turn), ...this.finish('m', e.turn)];
        const notice = turnEndNotice(e.reason, this.t);
        return notice ? [...changes, ...this.system(notice, [])] : changes;
      }
      case 'thinking':
        // turnComplete with interactionStatus IN_PROGRESS: the answer goes on until IDLE.
        return this.mark('m', e.turn, 'thinking', true);
      case 'waitingForInput':
        return this.system(this.t('Gemini is waiting for you to say more.'), []);
      case 'grounding':
        return this.addSources(e.turn, e.sources);
      case 'turnRestarted': {
        // The answer starts over on the new connection: what streamed before is stale.
        const entry = this.byId.get(this.id('m', e.turn));
        if (!entry) return [];
        entry.text = '';
        entry.partial = true;
        if (!entry.markers.includes('restarted')) entry.markers.push('restarted');
        return [{ type: 'updated', entry: copy(entry) }];
      }
      case 'handoff':
        if (e.phase === 'started') {
          this.handoffInProgress = true;
          return [];
        }
        this.handoffInProgress = false;
        return this.system(this.t('Switched to a new connection ({0} ms without a connection).', Math.round(e.gapMs)), ['handoff']);
      case 'connected':
        // A handoff reports itself when it completes; a resume after a drop is worth a line.
        if (this.handoffInProgress || !e.resumed) return [];
        return this.system(this.t('Reconnected and resumed the conversation (connection {0}).', e.connection), ['resumed']);
      case 'resumeFailed':
        return this.system(this.t('The conversation could not be resumed; a fresh session started with the earlier turns as context.'), []);
      default:
        return [];
    }
  }

  private id(prefix: 'u' | 'm', turn: number): string {
    return `g${this.generation}-${prefix}${turn}`;
  }

  private appendText(prefix: 'u' | 'm', turn: number, role: 'user' | 'model', text: string): TranscriptChange[] {
    const id = this.id(prefix, turn);
    const entry = this.byId.get(id);
    if (!entry) return this.append({ id, turn, role, text: clip(text), partial: true, markers: [], at: this.now() });
    entry.text = clip(entry.text + text);
    entry.partial = true;
    return [{ type: 'updated', entry: copy(entry) }];
  }

  /**
   * The answer's sources, under the answer. They may come before its first words (or with an
   * answer that is only audio): the entry is made then, and the text streams into it.
   */
  private addSources(turn: number, sources: ReadonlyArray<{ uri: string; title: string }>): TranscriptChange[] {
    if (sources.length === 0) return [];
    const id = this.id('m', turn);
    const entry = this.byId.get(id);
    if (!entry) return this.append({ id, turn, role: 'model', text: '', partial: true, markers: [], at: this.now(), sources: mergeSources([], sources) });
    entry.sources = mergeSources(entry.sources ?? [], sources);
    return [{ type: 'updated', entry: copy(entry) }];
  }

  private mark(prefix: 'u' | 'm', turn: number, marker: Marker, partial: boolean | undefined): TranscriptChange[] {
    const entry = this.byId.get(this.id(prefix, turn));
    if (!entry) return [];
    if (!entry.markers.includes(marker)) entry.markers.push(marker);
    if (partial !== undefined) entry.partial = partial;
    return [{ type: 'updated', entry: copy(entry) }];
  }

  private finish(prefix: 'u' | 'm', turn: number): TranscriptChange[] {
    const entry = this.byId.get(this.id(prefix, turn));
    if (!entry || (!entry.partial && !entry.markers.includes('thinking'))) return [];
    entry.partial = false;
    // Done thinking: the marker said the model was still at work.
    entry.markers = entry.markers.filter((m) => m !== 'thinking');
    return [{ type: 'updated', entry: copy(entry) }];
  }

  private system(text: string, markers: Marker[]): TranscriptChange[] {
    const id = `g${this.generation}-s${++this.systemCount}`;
    return this.append({ id, turn: 0, role: 'system', text, partial: false, markers, at: this.now() });
  }

  private append(entry: TranscriptEntry): TranscriptChange[] {
    this.list.push(entry);
    this.byId.set(entry.id, entry);
    while (this.list.length > this.maxEntries) this.byId.delete(this.list.shift()!.id);
    return [{ type: 'appended', entry: copy(entry) }];
  }
}

function copy(e: TranscriptEntry): TranscriptEntry {
  return e.sources ? { ...e, markers: [...e.markers], sources: e.sources.map((s) => ({ ...s })) } : { ...e, markers: [...e.markers] };
}

/** Keeps the newest text of a very long entry (the protocol's limit per entry). */
function clip(text: string): string {
  return text.length <= MAX_TRANSCRIPT_ENTRY_CHARS ? text : `…${text.slice(text.length - MAX_TRANSCRIPT_ENTRY_CHARS + 1)}`;
}
