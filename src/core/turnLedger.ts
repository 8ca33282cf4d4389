/**
 * Which user turns exist, which were sent, which were answered, and which of them
 * the newest resumption handle covers. Pure bookkeeping: no I/O, no clock.
 *
 * The invariant it keeps (CLI-CONTRACT.md): every user turn is answered exactly once
 * across any number of reconnects. A handle that arrives after turn k's turnComplete
 * covers turns 1..k. On reconnect with that handle, turns after k are sent again:
 * answered ones as context (never answered twice), the unanswered one as a new request.
 */
import type { Content } from './messages';
import { modelText, userText } from './messages';

export type TurnOrigin = 'text' | 'audio';
export type TurnStatus = 'queued' | 'sent' | 'complete';

export interface TurnRecord {
  readonly turn: number;
  readonly origin: TurnOrigin;
  /** The user's text, or the input transcription of an audio turn. */
  userText: string;
  status: TurnStatus;
  /** The model's text or output transcription, accumulated. */
  answer: string;
  /** How many times this turn was sent; above 1 it was restarted after a drop. */
  sends: number;
}

export interface LedgerLimits {
  /** Turns waiting to be sent. Default 100. */
  maxQueuedTurns: number;
  /** Completed turns kept to rebuild context in a fresh session. Default 50. */
  maxContextTurns: number;
  /** Characters of context resent to a fresh session, newest first. Default 32 000 (≈ 8k tokens). */
  maxContextChars: number;
}

export const DEFAULT_LEDGER_LIMITS: LedgerLimits = { maxQueuedTurns: 100, maxContextTurns: 50, maxContextChars: 32_000 };

export interface ReconnectPlan {
  /** Answered turns the server will not know about, sent with `turnComplete: false`. */
  context: Content[];
  /** Turns whose answer was cut off by the drop; they are sent again and answered once. */
  restarted: TurnRecord[];
}

/** What a state file or SecretStorage keeps so a later process can resume (issue: session persistence). */
export interface LedgerSnapshot {
  handle?: string;
  coveredThrough: number;
  nextTurn: number;
  turns: Array<Pick<TurnRecord, 'turn' | 'origin' | 'userText' | 'answer' | 'status'>>;
}

export class TurnLedger {
  private turns: TurnRecord[] = [];
  private nextTurn = 1;
  private handleValue: string | undefined;
  private covered = 0;
  /**
   * `turns[0..settled)` are all complete, so the scans for queued and in-flight turns (several a
   * turn) start here instead of walking every kept answered turn. A lower bound that stays true:
   * a complete turn never changes again, turns are only appended, and what drops turns resets it.
   */
  private settled = 0;

  constructor(private readonly limits: LedgerLimits = DEFAULT_LEDGER_LIMITS) {}

  /** The newest resumable handle, if any. */
  get handle(): string | undefined {
    return this.handleValue;
  }

  /** The highest turn number the handle covers (0 when none). */
  get coveredThrough(): number {
    return this.covered;
  }

  get queuedCount(): number {
    // Read for every turn sent: a count, not a filtered copy.
    let n = 0;
    const turns = this.turns;
    for (let i = this.openFrom(); i < turns.length; i++) if (turns[i]!.status === 'queued') n++;
    return n;
  }

  /** The index of the first turn that is not complete (or the length): advances `settled`. */
  private openFrom(): number {
    const turns = this.turns;
    let i = this.settled;
    while (i < turns.length && turns[i]!.status === 'complete') i++;
    this.settled = i;
    return i;
  }

  /** The first turn from `openFrom` with this status. */
  private firstWith(status: TurnRecord['status']): TurnRecord | undefined {
    const turns = this.turns;
    for (let i = this.openFrom(); i < turns.length; i++) if (turns[i]!.status === status) return turns[i];
    return undefined;
  }

  get lastTurnNumber(): number {
    return this.nextTurn - 1;
  }

  /** Adds a text turn. Returns undefined when the queue is full: the caller must tell the user, not drop it silently. */
  enqueue(text: string): TurnRecord | undefined {
    if (this.queuedCount >= this.limits.maxQueuedTurns) return undefined;
    const record: TurnRecord = { turn: this.nextTurn++, origin: 'text', userText: text, status: 'queued', answer: '', sends: 0 };
    this.turns.push(record);
    return record;
  }

  /** The turn being answered (sent, not complete), if any. At most one: turns go one at a time. */
  inFlight(): TurnRecord | undefined {
    // Called for every model frame and several times per turn: check the cached answer before
    // scanning. "Nothing in flight" is cached too (between turns every check found nothing
    // after a scan of all kept turns); only `markSent` and `turnForOutput` put a turn in flight.
    const cached = this.inFlightCache;
    if (cached && cached.status === 'sent') return cached;
    if (this.noneInFlight) return undefined;
    this.inFlightCache = this.firstWith('sent');
    this.noneInFlight = this.inFlightCache === undefined;
    return this.inFlightCache;
  }

  private inFlightCache: TurnRecord | undefined;
  /** A scan found no turn in flight, and none was sent or opened since. */
  private noneInFlight = false;

  /** The next turn to send, when nothing is in flight. */
  nextToSend(): TurnRecord | undefined {
    if (this.inFlight()) return undefined;
    return this.firstWith('queued');
  }

  markSent(record: TurnRecord): void {
    record.status = 'sent';
    record.sends += 1;
    this.noneInFlight = false;
  }

  /**
   * The turn that model output belongs to. Output with no text turn in flight comes from
   * spoken input (server activity detection): it opens an audio turn.
   */
  turnForOutput(): TurnRecord {
    const current = this.inFlight();
    if (current) return current;
    const record: TurnRecord = { turn: this.nextTurn++, origin: 'audio', userText: '', status: 'sent', answer: '', sends: 1 };
    // An audio turn takes the next number; queued text turns keep the numbers callers already hold.
    this.turns.push(record);
    this.inFlightCache = record;
    this.noneInFlight = false;
    return record;
  }

  /** Completes the in-flight turn; returns it, or undefined if nothing was in flight. */
  complete(): TurnRecord | undefined {
    const current = this.inFlight();
    if (!current) return undefined;
    current.status = 'complete';
    this.trim();
    return current;
  }

  /**
   * A `sessionResumptionUpdate` with `resumable: true`. The handle covers every turn
   * completed so far (turns complete in order, so that is a prefix).
   */
  recordHandle(handle: string): number {
    this.handleValue = handle;
    // The settled prefix is complete and turn numbers grow along the list: it covers its last.
    const from = this.openFrom();
    let covered = from > 0 ? this.turns[from - 1]!.turn : 0;
    for (let i = from; i < this.turns.length; i++) {
      const t = this.turns[i]!;
      // A typed turn still waiting in the queue was never sent: it does not block coverage of
      // later (audio) turns the server did answer meanwhile.
      if (t.status === 'queued') continue;
      if (t.status !== 'complete') break;
      covered = t.turn;
    }
    this.covered = Math.max(this.covered, covered);
    this.trim();
    return this.covered;
  }

  /** The handle was refused or has expired: forget it, a fresh session follows. */
  dropHandle(): void {
    this.handleValue = undefined;
    this.covered = 0;
  }

  /**
   * What to send on a new connection. With a handle, the server already has turns
   * 1..coveredThrough; without one (fresh session) it has nothing, so every kept
   * answered turn is context. An unanswered text turn is requeued and counted as
   * restarted; an unanswered audio turn cannot be re-spoken, so what was heard of it
   * becomes context.
   */
  planReconnect(resumingWithHandle: boolean): ReconnectPlan {
    const restarted: TurnRecord[] = [];
    for (const t of this.turns) {
      if (t.status !== 'sent') continue;
      if (t.origin === 'text') {
        t.status = 'queued';
        t.answer = '';
        restarted.push(t);
      } else {
        t.status = 'complete';
      }
    }
    const from = resumingWithHandle ? this.covered : 0;
    const answered = this.turns.filter((t) => t.status === 'complete' && t.turn > from);
    if (!resumingWithHandle) this.covered = 0;
    const context: Content[] = [];
    let chars = 0;
    // Newest first until the budget is spent, then restore chronological order.
    for (let i = answered.length - 1; i >= 0; i--) {
      const t = answered[i]!;
      const size = t.userText.length + t.answer.length;
      if (chars + size > this.limits.maxContextChars && context.length > 0) break;
      chars += size;
      if (t.answer) context.unshift(modelText(t.answer));
      if (t.userText) context.unshift(userText(t.userText));
    }
    return { context, restarted };
  }

  appendAnswer(record: TurnRecord, text: string): void {
    record.answer += text;
  }

  appendUserTranscript(record: TurnRecord, text: string): void {
    if (record.origin === 'audio') record.userText += text;
  }

  snapshot(): LedgerSnapshot {
    return {
      handle: this.handleValue,
      coveredThrough: this.covered,
      nextTurn: this.nextTurn,
      turns: this.turns.map(({ turn, origin, userText: u, answer, status }) => ({ turn, origin, userText: u, answer, status })),
    };
  }

  /**
   * A copy that shares nothing mutable with this one. The session's pure transition treats a
   * ledger as a value: it copies before it changes one, so the state it was given stays as it was.
   */
  clone(): TurnLedger {
    const copy = new TurnLedger(this.limits);
    // Complete turns are never changed again (only dropped by trim), so the copy shares them:
    // only queued and in-flight records are copied, which keeps a per-frame copy cheap.
    // Three copies a turn: a plain copy of the array, then a new record only where one may change.
    const turns = this.turns.slice();
    const cached = this.inFlightCache;
    for (let i = this.openFrom(); i < turns.length; i++) {
      const t = turns[i]!;
      if (t.status === 'complete') continue;
      const own: TurnRecord = { turn: t.turn, origin: t.origin, userText: t.userText, status: t.status, answer: t.answer, sends: t.sends };
      turns[i] = own;
      if (t === cached && t.status === 'sent') copy.inFlightCache = own;
    }
    copy.turns = turns;
    copy.noneInFlight = this.noneInFlight;
    copy.settled = this.settled;
    copy.nextTurn = this.nextTurn;
    copy.handleValue = this.handleValue;
    copy.covered = this.covered;
    return copy;
  }

  /** Restores a snapshot taken by an earlier process; turns that were in flight are requeued by the next planReconnect. */
  static fromSnapshot(snapshot: LedgerSnapshot, limits: LedgerLimits = DEFAULT_LEDGER_LIMITS): TurnLedger {
    const ledger = new TurnLedger(limits);
    ledger.handleValue = snapshot.handle;
    ledger.covered = snapshot.coveredThrough;
    ledger.nextTurn = snapshot.nextTurn;
    ledger.turns = snapshot.turns.map((t) => ({ ...t, sends: t.status === 'queued' ? 0 : 1 }));
    return ledger;
  }

  /**
   * Keeps memory flat: only the newest `maxContextTurns` answered turns are kept. Older ones
   * could never be resent anyway (context is capped at `maxContextChars`, newest first),
   * and turns the handle covers are never resent at all.
   */
  private trim(): void {
    // Runs twice a turn. The settled prefix is all complete: count only past it.
    const from = this.openFrom();
    let excess = from - this.limits.maxContextTurns;
    for (let i = from; i < this.turns.length; i++) if (this.turns[i]!.status === 'complete') excess++;
    if (excess <= 0) return;
    if (excess <= from) {
      // The usual case: the oldest answered turns are the front of the prefix. This ledger owns
      // its list (a clone copies it), so it is cut in place, without a new list every turn.
      this.turns.splice(0, excess);
      this.settled = from - excess;
      return;
    }
    this.turns = this.turns.filter((t) => t.status !== 'complete' || excess-- <= 0);
    this.settled = 0;
  }

  /** True when an answered turn exists that the newest handle does not cover yet. */
  hasUncoveredAnswers(): boolean {
    return this.turns.some((t) => t.status === 'complete' && t.turn > this.covered);
  }
}
