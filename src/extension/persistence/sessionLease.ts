/**
 * One live session per conversation: a lease in shared storage (window id and a
 * heartbeat time) says which window holds the workspace's conversation. A second
 * window that finds a fresh lease held by another asks before taking over; the
 * window that lost it notices at its next heartbeat and lets go.
 *
 * Pure: the store and the clock come in (the vscode adapter wraps globalState), so
 * the rules are unit-tested with a fake clock.
 *
 * @remarks
 * Why a heartbeat and not a flag: a window that crashes or is killed never clears its
 * flag. A lease whose heartbeat is older than `staleAfterMs` is free. Defaults: beat
 * every 4 s, stale after 12 s (three missed beats). Before asking the user, a claimant
 * watches one heartbeat: a window that reloaded leaves a fresh lease nobody renews.
 */
import type { Clock } from '../../common/clock';
import type { Disposable } from '../../common/disposable';
import { Emitter, type Event } from '../../common/event';
import type { Logger } from '../../common/logger';

export interface Lease {
  windowId: string;
  heartbeatAt: number;
}

/** Where the lease lives; every window of the user sees the same value. */
export interface LeaseStore {
  get(): Lease | undefined;
  set(lease: Lease | undefined): Promise<void>;
}

export interface LeaseTiming {
  /** Default 4 000. */
  heartbeatMs: number;
  /** Default 12 000. */
  staleAfterMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { heartbeatMs: 4_000, staleAfterMs: 12_000 };

export type LeaseStatus = 'free' | 'mine' | 'heldElsewhere';

/** Reads a stored value defensively: anything that is not a lease is no lease. */
export function parseLease(raw: unknown): Lease | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { windowId, heartbeatAt } = raw as Partial<Lease>;
  if (typeof windowId !== 'string' || windowId.length === 0 || typeof heartbeatAt !== 'number' || !Number.isFinite(heartbeatAt)) return undefined;
  return { windowId, heartbeatAt };
}

export function leaseStatus(lease: Lease | undefined, windowId: string, now: number, staleAfterMs: number): LeaseStatus {
  if (!lease) return 'free';
  if (lease.windowId === windowId) return 'mine';
  return now - lease.heartbeatAt > staleAfterMs ? 'free' : 'heldElsewhere';
}

/** What the user chose when another window holds the conversation. */
export type TakeOverChoice = 'takeOver' | 'newConversation' | 'cancel';

/** The outcome of {@link SessionLease.claim}. */
export type ClaimResult = 'claimed' | 'newConversation' | 'cancelled';

export class SessionLease implements Disposable {
  private readonly lostEmitter = new Emitter<{ holder: string }>();
  /** Another window took the lease while this one held it. */
  readonly onDidLose: Event<{ holder: string }> = this.lostEmitter.event;
  private heartbeat: Disposable | undefined;
  private disposed = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly clock: Clock,
    readonly windowId: string,
    private readonly log: Logger,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {}

  /** True while this window holds the lease and beats it. */
  get held(): boolean {
    return this.heartbeat !== undefined;
  }

  status(): LeaseStatus {
    return leaseStatus(this.store.get(), this.windowId, this.clock.now(), this.timing.staleAfterMs);
  }

  /**
   * Takes the lease, asking `ask` first when another window holds a fresh one.
   * `newConversation` and `cancelled` leave the lease with its holder.
   */
  async claim(ask: () => Promise<TakeOverChoice>): Promise<ClaimResult> {
    if (this.status() === 'heldElsewhere' && !(await this.holderIsAlive())) {
      // A window that reloaded or crashed leaves a fresh-looking lease nobody beats any more
      // (its release on the way out may never reach storage): take it without asking.
      this.log.info(`window ${this.store.get()?.windowId ?? '?'} stopped beating its lease; taking the conversation`);
    } else if (this.status() === 'heldElsewhere') {
      const choice = await ask();
      if (choice === 'cancel') return 'cancelled';
      if (choice === 'newConversation') return 'newConversation';
      this.log.info(`taking the conversation over from window ${this.store.get()?.windowId ?? '?'}`);
    }
    await this.acquire();
    return 'claimed';
  }

  /**
   * Watches the holder's lease for one heartbeat (plus a second of slack): a live window
   * renews it, a dead one does not. Resolves false as soon as the lease is freed.
   */
  private holderIsAlive(): Promise<boolean> {
    const seen = this.store.get();
    if (!seen) return Promise.resolve(false);
    const deadline = this.clock.now() + this.timing.heartbeatMs + 1_000;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        const now = this.store.get();
        if (!now || leaseStatus(now, this.windowId, this.clock.now(), this.timing.staleAfterMs) !== 'heldElsewhere') return resolve(false);
        if (now.windowId !== seen.windowId || now.heartbeatAt !== seen.heartbeatAt) return resolve(true);
        if (this.clock.now() >= deadline || this.disposed) return resolve(false);
        this.clock.setTimeout(check, 250);
      };
      check();
    });
  }

  /** Writes the lease for this window and starts beating it. */
  async acquire(): Promise<void> {
    await this.store.set({ windowId: this.windowId, heartbeatAt: this.clock.now() });
    this.scheduleBeat();
  }

  /** Stops beating and clears the lease if it is still this window's. */
  async release(): Promise<void> {
    this.stopBeat();
    if (this.store.get()?.windowId === this.windowId) await this.store.set(undefined);
  }

  private scheduleBeat(): void {
    this.stopBeat();
    if (this.disposed) return;
    this.heartbeat = this.clock.setTimeout(() => void this.beat(), this.timing.heartbeatMs);
  }

  private async beat(): Promise<void> {
    this.heartbeat = undefined;
    const lease = this.store.get();
    if (lease && lease.windowId !== this.windowId) {
      // Someone wrote over our lease: they asked their user and took over. Let go; never fight back.
      this.log.warn(`window ${lease.windowId} took over the conversation`);
      this.lostEmitter.fire({ holder: lease.windowId });
      return;
    }
    try {
      await this.store.set({ windowId: this.windowId, heartbeatAt: this.clock.now() });
    } catch (err) {
      this.log.warn(`could not renew the session lease: ${String(err)}`);
    }
    this.scheduleBeat();
  }

  private stopBeat(): void {
    this.heartbeat?.dispose();
    this.heartbeat = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stopBeat();
    this.lostEmitter.dispose();
  }
}
