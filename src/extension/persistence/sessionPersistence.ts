/**
 * Keeps this workspace's Live session across window reloads: the resumption record
 * in SecretStorage (it holds the handle, a credential: never globalState or
 * workspaceState), written debounced as the conversation runs, and the lease that
 * makes one window at a time the conversation's owner (in globalState, which every
 * window of the user shares). The rules are pure (resumptionRecord.ts,
 * sessionLease.ts); this is the vscode adapter.
 */
import * as vscode from 'vscode';
import type { Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { Redactor } from '../../common/redact';
import { Disposable } from '../lifecycle';
import { decodeRecord, encodeRecord, isRecordError, resumptionSecretKey, type ResumptionRecord } from './resumptionRecord';
import { DEFAULT_LEASE_TIMING, parseLease, SessionLease, type ClaimResult, type LeaseStore, type LeaseTiming, type TakeOverChoice } from './sessionLease';

export interface SessionPersistenceDeps {
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  /** From workspaceId(): one record and one lease per workspace. */
  workspace: string;
  /** Unique per activation. */
  windowId: string;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  /** Asks the user when another window holds the conversation (a modal by default; tests pass their answer). */
  askTakeOver?: () => Promise<TakeOverChoice>;
  saveDelayMs?: number;
  leaseTiming?: LeaseTiming;
}

/** Writes coalesce: a burst of handle updates and turn ends is one SecretStorage write. */
const DEFAULT_SAVE_DELAY_MS = 1_000;

export async function askTakeOverModal(): Promise<TakeOverChoice> {
  const takeOver = vscode.l10n.t('Take Over');
  const fresh = vscode.l10n.t('Start a New Conversation');
  const picked = await vscode.window.showWarningMessage(
    vscode.l10n.t('This conversation is live in another window.'),
    { modal: true, detail: vscode.l10n.t('Take it over here (the other window disconnects), or start a new conversation in this window.') },
    takeOver,
    fresh,
  );
  return picked === takeOver ? 'takeOver' : picked === fresh ? 'newConversation' : 'cancel';
}

export class SessionPersistence extends Disposable {
  private readonly lease: SessionLease;
  private readonly key: string;
  private saveTimer: vscode.Disposable | undefined;
  private pending: (() => ResumptionRecord | undefined) | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  /** Another window took the conversation over: this one must stop using (and writing) it. */
  readonly onDidLoseLease: vscode.Event<{ holder: string }>;

  constructor(private readonly deps: SessionPersistenceDeps) {
    super();
    this.log = deps.logger.child('persistence');
    this.key = resumptionSecretKey(deps.workspace);
    const leaseKey = `moontalk.lease.${deps.workspace}`;
    const store: LeaseStore = {
      get: () => parseLease(deps.globalState.get(leaseKey)),
      set: (lease) => Promise.resolve(deps.globalState.update(leaseKey, lease)),
    };
    this.lease = this._register(new SessionLease(store, deps.clock, deps.windowId, this.log, deps.leaseTiming ?? DEFAULT_LEASE_TIMING));
    const lost = this._register(new vscode.EventEmitter<{ holder: string }>());
    this._register(this.lease.onDidLose((e) => lost.fire(e)));
    this.onDidLoseLease = lost.event;
    this._onDispose(() => this.saveTimer?.dispose());
  }

  /** The stored record, or undefined (nothing stored, or unreadable: logged and ignored). */
  async load(): Promise<ResumptionRecord | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.deps.secrets.get(this.key);
    } catch (err) {
      this.log.warn(`could not read the stored session: ${errorMessage(err)}`);
      return undefined;
    }
    if (!raw) return undefined;
    const record = decodeRecord(raw);
    if (isRecordError(record)) {
      this.log.warn(`ignoring a stored session that cannot be read (${record.error})`);
      return undefined;
    }
    // Before anything logs it: the handle is a credential.
    this.deps.redactor.addRotatingSecret(record.snapshot.ledger.handle);
    return record;
  }

  /** Saves `build()` after a short delay; later calls replace the pending one. */
  scheduleSave(build: () => ResumptionRecord | undefined): void {
    this.pending = build;
    if (this.saveTimer) return;
    this.saveTimer = this.deps.clock.setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, this.deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
  }

  /** Writes a pending save now (deactivation, disconnect). Resolves when it is stored. */
  async flush(): Promise<void> {
    this.saveTimer?.dispose();
    this.saveTimer = undefined;
    const build = this.pending;
    this.pending = undefined;
    const record = build?.();
    if (record) {
      // Writes go in order: an older snapshot must never land after a newer one.
      this.writing = this.writing.then(() => this.write(record));
    }
    await this.writing;
  }

  /** Forgets the stored session (a new conversation replaces it). */
  async clear(): Promise<void> {
    this.pending = undefined;
    this.saveTimer?.dispose();
    this.saveTimer = undefined;
    await this.writing;
    await Promise.resolve(this.deps.secrets.delete(this.key)).catch((err: unknown) => this.log.warn(`could not delete the stored session: ${errorMessage(err)}`));
  }

  /** Takes the lease before connecting; asks first when another window holds it. */
  claim(): Promise<ClaimResult> {
    return this.lease.claim(this.deps.askTakeOver ?? askTakeOverModal);
  }

  /** Lets the conversation go (disconnect, deactivate). */
  releaseLease(): Promise<void> {
    return this.lease.release().catch((err: unknown) => this.log.warn(`could not release the session lease: ${errorMessage(err)}`));
  }

  get holdsLease(): boolean {
    return this.lease.held;
  }

  private async write(record: ResumptionRecord): Promise<void> {
    try {
      await this.deps.secrets.store(this.key, encodeRecord(record));
      this.log.debug(`session saved (turns through ${record.snapshot.ledger.nextTurn - 1}, handle covers ${record.snapshot.ledger.coveredThrough})`);
    } catch (err) {
      this.log.warn(`could not save the session for the next window: ${errorMessage(err)}`);
    }
  }
}
