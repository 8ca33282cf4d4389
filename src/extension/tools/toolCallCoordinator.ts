/**
 * Runs the model's tool calls: validates each, asks the user when the tool changes
 * something (or when read-only tools must ask too), runs it, and answers with one
 * `toolResponse` per call id: `{result}` or `{error}` in plain words. Pure: asking,
 * running and sending come in as ports (the vscode side is toolService.ts).
 *
 * @remarks
 * Invariants, and the races behind them:
 * - A call is run at most once per turn. After a drop or handoff the cut-off turn is
 *   resent and the model may call again with a new id; the repeat joins the first
 *   call (still waiting or running) or is answered from its cached outcome, without
 *   asking the user again (toolCallCache.ts).
 * - A response goes only to the connection its call came on. A blocking call whose
 *   connection ended is not answered (logged): the service forgot it with the socket, and
 *   the same id on another connection would be an error. The repeat on the new connection
 *   is the one answered. A background (NON_BLOCKING) call is not repeated, so its late
 *   answer goes to the session, which gives it to the model as content.
 * - `toolCallCancellation` for the only waiter of a call still waiting for the user
 *   dismisses the question and nothing runs. A call already running gets its signal
 *   cancelled: a tool that can stop (a language-model tool) stops and nothing is kept; one
 *   that cannot (an edit) finishes and its outcome is kept for a repeat.
 */
import type { Disposable } from '../../common/disposable';
import { errorMessage } from '../../common/errors';
import { Emitter, type Event } from '../../common/event';
import type { Logger } from '../../common/logger';
import type { FunctionResponse } from '../../core/messages';
import type { FunctionCallInfo } from '../../core/sessionEvents';
import { callKey, ToolCallCache } from './toolCallCache';
import { validateToolCall, type ValidatedCall } from './toolRegistry';

export type ToolOutcome = { status: 'ok'; result: unknown } | { status: 'error' | 'declined' | 'cancelled'; error: string };

/** Cancelled when the model withdraws the call; a confirmation UI closes on it. */
export class CancelSignal {
  private cancelledFlag = false;
  private readonly emitter = new Emitter<void>();
  readonly onCancel: Event<void> = this.emitter.event;

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  cancel(): void {
    if (this.cancelledFlag) return;
    this.cancelledFlag = true;
    this.emitter.fire();
    this.emitter.dispose();
  }
}

/** What the coordinator needs of a validated call: its function name and arguments. */
export interface CoordinatedCall {
  name: string;
  args: object;
}

export interface ToolPorts<C extends CoordinatedCall = ValidatedCall> {
  /** The connection a response can go to now (connected or handing off), else undefined. */
  liveConnection(): number | undefined;
  /** Sends one response on the live connection; may throw when there is none. */
  send(response: FunctionResponse): void;
  /**
   * Checks a call's name and arguments; the error text goes to the model. Default: the
   * editor tools' registry (toolRegistry.ts `validateToolCall`).
   */
  validate?(name: string | undefined, args: unknown): C | { error: string };
  /** Whether this call must be confirmed by the user first. */
  needsConfirmation(call: C): boolean;
  /** Asks the user; resolves true to run. Must settle (false) soon after `signal` is cancelled. */
  confirm(call: C, callId: string, signal: CancelSignal): Promise<boolean>;
  /**
   * Runs the call; its result goes to the model. Rejects with an Error whose message the model
   * reads. `signal` is cancelled when the model withdraws the call while it runs (or the
   * session ends): a long tool stops then; a quick one may ignore it.
   */
  execute(call: C, signal: CancelSignal): Promise<unknown>;
  allowedCommands(): readonly string[];
  /**
   * The calls run in the background (NON_BLOCKING): a call whose connection has ended is still
   * answered, and the session hands the result to the model as content on the live connection
   * (the model asks nothing again: its turn was over when it called). Blocking calls are
   * answered only on their own connection; their repeat on the new one gets the answer.
   */
  readonly lateAnswersReachTheModel?: boolean;
  log: Logger;
}

/** What happened to one call, for the transcript and the history. */
export interface ToolCallRecord {
  /** Stable per (turn, name, args): repeats update the same record. */
  key: string;
  turn: number;
  callId: string;
  name: string;
  args: Record<string, unknown>;
  status: 'pending' | 'running' | ToolOutcome['status'];
  output?: unknown;
}

interface Waiter {
  callId: string;
  connection: number;
}

interface Entry<C> {
  key: string;
  turn: number;
  call: C;
  waiters: Waiter[];
  state: 'confirming' | 'running' | 'done';
  outcome?: ToolOutcome;
  signal: CancelSignal;
}

export class ToolCallCoordinator<C extends CoordinatedCall = ValidatedCall> implements Disposable {
  private readonly cache = new ToolCallCache<Entry<C>>();
  private readonly recordEmitter = new Emitter<ToolCallRecord>();
  /** A call was received, is waiting, ran, failed or was cancelled. */
  readonly onDidRecord: Event<ToolCallRecord> = this.recordEmitter.event;
  private readonly responseEmitter = new Emitter<{ callId: string; connection: number; sent: boolean }>();
  /** Every response decision (tests count them: one sent per call). */
  readonly onDidRespond: Event<{ callId: string; connection: number; sent: boolean }> = this.responseEmitter.event;
  private disposed = false;

  constructor(private readonly ports: ToolPorts<C>) {}

  /** The model called `calls` during `turn`, on `connection`. */
  onToolCall(turn: number, connection: number, calls: readonly FunctionCallInfo[]): void {
    for (const c of calls) this.accept(turn, connection, c);
  }

  /** The model withdrew these call ids (toolCallCancellation). */
  onCancellation(ids: readonly string[]): void {
    for (const id of ids) {
      for (const entry of this.cache.values()) {
        const before = entry.waiters.length;
        entry.waiters = entry.waiters.filter((w) => w.callId !== id);
        if (entry.waiters.length === before) continue;
        this.ports.log.info(`tool call ${id} (${entry.call.name}) was cancelled by the model`);
        if (entry.waiters.length === 0 && entry.state === 'confirming') {
          this.cache.delete(entry.key);
          entry.signal.cancel();
          this.record(entry, id, { status: 'cancelled', error: 'The model cancelled the call.' });
        } else if (entry.waiters.length === 0 && entry.state === 'running') {
          // A tool that can stop (a language-model tool's CancellationToken) stops; one that
          // cannot finishes. Either way no answer is sent, and a cancelled outcome is not kept.
          entry.signal.cancel();
        }
        break;
      }
    }
  }

  private accept(turn: number, connection: number, c: FunctionCallInfo): void {
    const { log } = this.ports;
    if (!c.id) {
      log.warn(`a tool call for ${c.name ?? '?'} came without an id; it cannot be answered and is ignored`);
      return;
    }
    const waiter: Waiter = { callId: c.id, connection };
    const args = (c.args ?? {}) as Record<string, unknown>;
    const validated = this.ports.validate ? this.ports.validate(c.name, args) : (validateToolCall(c.name, args, this.ports.allowedCommands()) as C | { error: string });
    if ('error' in validated) {
      log.info(`tool call ${c.id} refused: ${validated.error}`);
      const outcome: ToolOutcome = { status: 'error', error: validated.error };
      this.recordEmitter.fire({ key: callKey(turn, c.name ?? '', args), turn, callId: c.id, name: c.name ?? '', args, status: 'error', output: validated.error });
      this.respond(waiter, c.name ?? '', outcome);
      return;
    }
    const key = callKey(turn, validated.name, validated.args);
    const existing = this.cache.get(key);
    if (existing) {
      if (existing.state === 'done') {
        log.info(`tool call ${c.id} repeats ${validated.name} of turn ${turn}; answered from the earlier outcome without running it again`);
        this.respond(waiter, validated.name, existing.outcome!);
      } else {
        log.info(`tool call ${c.id} repeats ${validated.name} of turn ${turn}, which is still ${existing.state}; it will get that outcome`);
        existing.waiters.push(waiter);
      }
      return;
    }
    const needs = this.ports.needsConfirmation(validated);
    const entry: Entry<C> = { key, turn, call: validated, waiters: [waiter], state: needs ? 'confirming' : 'running', signal: new CancelSignal() };
    this.cache.set(key, entry);
    this.recordEmitter.fire({ key, turn, callId: c.id, name: validated.name, args: validated.args as Record<string, unknown>, status: needs ? 'pending' : 'running' });
    void this.run(entry, needs);
  }

  private async run(entry: Entry<C>, needsConfirmation: boolean): Promise<void> {
    const { call } = entry;
    let outcome: ToolOutcome;
    try {
      if (needsConfirmation) {
        const allowed = await this.ports.confirm(call, entry.waiters[0]?.callId ?? '', entry.signal);
        if (entry.signal.cancelled || this.disposed) return; // withdrawn meanwhile: already recorded, nothing runs
        if (!allowed) {
          outcome = { status: 'declined', error: `The user declined to run ${call.name}.` };
          this.finish(entry, outcome);
          return;
        }
        entry.state = 'running';
        this.recordEmitter.fire({ key: entry.key, turn: entry.turn, callId: entry.waiters.at(-1)?.callId ?? '', name: call.name, args: call.args as Record<string, unknown>, status: 'running' });
      }
      const result = await this.ports.execute(call, entry.signal);
      outcome = { status: 'ok', result: result ?? 'done' };
    } catch (err) {
      outcome = entry.signal.cancelled ? { status: 'cancelled', error: 'The call was cancelled while it ran.' } : { status: 'error', error: errorMessage(err) };
    }
    this.finish(entry, outcome);
  }

  private finish(entry: Entry<C>, outcome: ToolOutcome): void {
    entry.state = 'done';
    // Only a call that did not run to its end may run again. An edit cancelled while it ran
    // still completed (it ignores the signal): its outcome is kept, so a repeat does not redo it.
    if (outcome.status === 'cancelled') this.cache.delete(entry.key);
    entry.outcome = outcome;
    const waiters = entry.waiters;
    entry.waiters = [];
    this.record(entry, waiters.at(-1)?.callId ?? '', outcome);
    if (this.disposed) return;
    if (waiters.length === 0) this.ports.log.info(`${entry.call.name} finished with no call waiting; the outcome is kept for a repeat`);
    for (const w of waiters) this.respond(w, entry.call.name, outcome);
  }

  private record(entry: Entry<C>, callId: string, outcome: ToolOutcome): void {
    const output = outcome.status === 'ok' ? outcome.result : outcome.error;
    this.recordEmitter.fire({ key: entry.key, turn: entry.turn, callId, name: entry.call.name, args: entry.call.args as Record<string, unknown>, status: outcome.status, output });
  }

  /** Sends the response if the call's connection is still the live one; returns whether it was sent. */
  private respond(waiter: Waiter, name: string, outcome: ToolOutcome): boolean {
    const live = this.ports.liveConnection();
    if (live !== waiter.connection && !(this.ports.lateAnswersReachTheModel && live !== undefined)) {
      this.ports.log.info(`not answering tool call ${waiter.callId}: its connection ${waiter.connection} has ended (now ${live ?? 'none'}); a repeat on the new connection gets the answer`);
      this.responseEmitter.fire({ callId: waiter.callId, connection: waiter.connection, sent: false });
      return false;
    }
    const response = outcome.status === 'ok' ? { result: outcome.result } : { error: outcome.error };
    try {
      this.ports.send({ id: waiter.callId, name, response });
    } catch (err) {
      this.ports.log.warn(`could not send the response to tool call ${waiter.callId}: ${errorMessage(err)}`);
      this.responseEmitter.fire({ callId: waiter.callId, connection: waiter.connection, sent: false });
      return false;
    }
    this.responseEmitter.fire({ callId: waiter.callId, connection: waiter.connection, sent: true });
    return true;
  }

  /** Dismisses every question still open; nothing more is sent. */
  dispose(): void {
    this.disposed = true;
    // Questions close; tools still running are told to stop (those that can).
    for (const entry of this.cache.values()) if (entry.state !== 'done') entry.signal.cancel();
    this.cache.clear();
    this.recordEmitter.dispose();
    this.responseEmitter.dispose();
  }
}
