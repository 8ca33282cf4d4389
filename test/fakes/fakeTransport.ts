/**
 * In-memory Transport and TransportFactory for driving the session core without
 * sockets. Mirrors the real ws transport where it matters to the core:
 * - `send` on a socket that is closing or closed throws (as `WsTransport.send` does);
 * - `onClose` fires once, with the code of whatever ended the socket;
 * - a client `close()` resolves after the close handshake (at once by default, or
 *   when the test calls `ackClose()`), and onClose carries the client's code;
 * - raw server data goes through the real `parseServerFrame`, so bad frames reach `onBadFrame`.
 * Every open, send and close is also written to one ordered log on the factory, so
 * tests can check ordering across sockets ("old socket closed before setup on the new one").
 */
import { Emitter } from '../../src/common/event';
import { MoonTalkError } from '../../src/common/errors';
import type { ClientMessage, ServerFrame } from '../../src/core/messages';
import type { CloseInfo, Credential, Transport, TransportFactory } from '../../src/core/ports';
import { parseServerFrame } from '../../src/live/serverFrames';

export type FakeTransportStatus = 'open' | 'closing' | 'closed';

export type TransportLogEntry =
  | { kind: 'opened'; transport: number }
  | { kind: 'sent'; transport: number; message: ClientMessage }
  | { kind: 'clientClose'; transport: number; code: number; reason: string }
  | { kind: 'closed'; transport: number; code: number; reason: string; by: 'client' | 'server' | 'break' | 'dispose' };

export class FakeTransport implements Transport {
  private readonly frames = new Emitter<ServerFrame>();
  private readonly badFrames = new Emitter<{ error: string; bytes: number }>();
  private readonly closes = new Emitter<CloseInfo>();
  readonly onFrame = this.frames.event;
  readonly onBadFrame = this.badFrames.event;
  readonly onClose = this.closes.event;

  /** Every message the client sent on this socket, in order. */
  readonly sent: ClientMessage[] = [];
  /** Every `close()` call from the client. */
  readonly closeCalls: Array<{ code: number; reason: string; ackTimeoutMs: number }> = [];
  status: FakeTransportStatus = 'open';
  /** How the socket ended, once it has. */
  closedWith: (CloseInfo & { by: 'client' | 'server' | 'break' | 'dispose' }) | undefined;
  disposed = false;
  private pendingAcks: Array<() => void> = [];

  constructor(
    /** 0-based index in the factory's `transports`. */
    readonly index: number,
    readonly credential: Credential,
    private readonly factory: FakeTransportFactory,
  ) {}

  get isOpen(): boolean {
    return this.status === 'open';
  }

  get isClosed(): boolean {
    return this.status === 'closed';
  }

  /** The `setup` frames sent on this socket. */
  get setups(): NonNullable<ClientMessage['setup']>[] {
    return this.sent.flatMap((m) => (m.setup ? [m.setup] : []));
  }

  // ------------------------------------------------------------ Transport (client side)

  send(message: ClientMessage): void {
    const hook = this.factory.beforeNextSend;
    if (hook) {
      this.factory.beforeNextSend = undefined;
      hook(this);
    }
    if (this.status !== 'open') throw new MoonTalkError('network', `fake transport ${this.index}: send while ${this.status}`);
    // Deep copy: the test sees what went on the wire, not an object the core may change later.
    const copy = JSON.parse(JSON.stringify(message)) as ClientMessage;
    this.sent.push(copy);
    this.factory.log.push({ kind: 'sent', transport: this.index, message: copy });
  }

  close(code: number, reason: string, ackTimeoutMs: number): Promise<void> {
    this.closeCalls.push({ code, reason, ackTimeoutMs });
    if (this.status === 'closed') return Promise.resolve();
    this.factory.log.push({ kind: 'clientClose', transport: this.index, code, reason });
    return new Promise<void>((resolve) => {
      const ack = () => {
        // As in WsTransport.finish: waiters resolve, then onClose fires (synchronously).
        resolve();
        this.finish({ code, reason }, 'client');
      };
      if (this.status === 'closing') {
        this.pendingAcks.push(ack);
        return;
      }
      this.status = 'closing';
      if (this.factory.autoAckClose) ack();
      else this.pendingAcks.push(ack);
    });
  }

  /** Ends the socket with no handshake; a late 1006 close follows (as `ws.terminate()` does). */
  dispose(): void {
    this.disposed = true;
    if (this.status === 'closed') return;
    this.status = 'closing';
    queueMicrotask(() => this.finish({ code: 1006, reason: 'terminated' }, 'dispose'));
  }

  // ------------------------------------------------------------ test controls (server side)

  /** The server sends a frame. Throws if the socket is no longer open (a test mistake). */
  serverSends(...frames: ServerFrame[]): void {
    for (const frame of frames) {
      if (this.status === 'closed') throw new Error(`fake transport ${this.index}: serverSends on a closed socket`);
      // Through JSON, as on the wire, so the core never shares objects with the test.
      this.frames.fire(JSON.parse(JSON.stringify(frame)) as ServerFrame);
    }
  }

  /** The server sends raw data (text or bytes); parsed by the real `parseServerFrame`. */
  serverSendsRaw(data: string | Uint8Array): void {
    if (this.status === 'closed') throw new Error(`fake transport ${this.index}: serverSendsRaw on a closed socket`);
    const parsed = parseServerFrame(data);
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (parsed.ok) this.frames.fire(parsed.frame);
    else this.badFrames.fire({ error: parsed.error, bytes });
  }

  /** The server closes the socket with a close frame. */
  serverCloses(code: number, reason = ''): void {
    this.finish({ code, reason }, 'server');
  }

  /** The connection breaks without a close frame (1006). */
  breaks(reason = 'connection reset'): void {
    this.finish({ code: 1006, reason }, 'break');
  }

  /** Completes pending client closes (when the factory does not ack them automatically). */
  ackClose(): void {
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const a of acks) a();
  }

  get closeAwaitingAck(): boolean {
    return this.pendingAcks.length > 0;
  }

  private finish(info: CloseInfo, by: 'client' | 'server' | 'break' | 'dispose'): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.closedWith = { ...info, by };
    this.factory.log.push({ kind: 'closed', transport: this.index, code: info.code, reason: info.reason, by });
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const a of acks) a();
    this.closes.fire(info);
    this.frames.dispose();
    this.badFrames.dispose();
    this.closes.dispose();
  }
}

/** What the next `open()` does. */
export type OpenBehaviour =
  | { kind: 'ok' }
  | { kind: 'network'; message?: string }
  /** The upgrade is refused with an HTTP status (401/403 → badKey/tokenRefused, as WsTransportFactory maps it). */
  | { kind: 'http'; status: number }
  /** The open stays pending until the test releases or fails it through `pendingOpens`. */
  | { kind: 'hold' };

export interface PendingOpen {
  readonly credential: Credential;
  /** Completes the upgrade; returns the new transport. */
  release(): FakeTransport;
  fail(error: unknown): void;
  readonly settled: boolean;
}

export interface OpenCall {
  credential: Credential;
  outcome: 'opened' | 'rejected' | 'pending';
  transport?: FakeTransport;
}

export class FakeTransportFactory implements TransportFactory {
  /** Every transport that finished opening, in order. */
  readonly transports: FakeTransport[] = [];
  /** Every `open()` call, successful or not. */
  readonly openCalls: OpenCall[] = [];
  /** Opens held by a `hold` behaviour and not yet settled. */
  readonly pendingOpens: PendingOpen[] = [];
  /** Ordered log of opens, sends and closes across all transports. */
  readonly log: TransportLogEntry[] = [];
  /** Client closes complete at once; set false to complete them with `transport.ackClose()`. */
  autoAckClose = true;
  /** Runs once, inside the next send on any transport, before the send happens (to close a socket under a sender). */
  beforeNextSend: ((t: FakeTransport) => void) | undefined;
  private readonly plan: OpenBehaviour[] = [];
  /** Used when the plan is empty. */
  defaultBehaviour: OpenBehaviour = { kind: 'ok' };

  /** Queues behaviours for the next `open()` calls, in order. */
  nextOpens(...behaviours: OpenBehaviour[]): this {
    this.plan.push(...behaviours);
    return this;
  }

  open(credential: Credential): Promise<FakeTransport> {
    const behaviour = this.plan.shift() ?? this.defaultBehaviour;
    const call: OpenCall = { credential: { ...credential }, outcome: 'pending' };
    this.openCalls.push(call);
    switch (behaviour.kind) {
      case 'ok':
        return Promise.resolve(this.create(call));
      case 'network':
        call.outcome = 'rejected';
        return Promise.reject(new MoonTalkError('network', `Could not reach the Live API: ${behaviour.message ?? 'ECONNREFUSED'}`));
      case 'http': {
        call.outcome = 'rejected';
        const status = behaviour.status;
        const reason = status === 401 || status === 403 ? (credential.kind === 'apiKey' ? 'badKey' : 'tokenRefused') : 'network';
        return Promise.reject(new MoonTalkError(reason, `The Live API answered HTTP ${status}`, { code: status }));
      }
      case 'hold':
        return new Promise<FakeTransport>((resolve, reject) => {
          let settled = false;
          const pending: PendingOpen = {
            credential: call.credential,
            release: () => {
              if (settled) throw new Error('pending open already settled');
              settled = true;
              this.pendingOpens.splice(this.pendingOpens.indexOf(pending), 1);
              const t = this.create(call);
              resolve(t);
              return t;
            },
            fail: (error) => {
              if (settled) throw new Error('pending open already settled');
              settled = true;
              this.pendingOpens.splice(this.pendingOpens.indexOf(pending), 1);
              call.outcome = 'rejected';
              reject(error);
            },
            get settled() {
              return settled;
            },
          };
          this.pendingOpens.push(pending);
        });
      default: {
        const never: never = behaviour;
        throw new Error(`unknown open behaviour ${JSON.stringify(never)}`);
      }
    }
  }

  /** The newest transport (throws if none opened: a test expecting one should say so). */
  get last(): FakeTransport {
    const t = this.transports[this.transports.length - 1];
    if (!t) throw new Error('no transport has been opened');
    return t;
  }

  get openTransports(): FakeTransport[] {
    return this.transports.filter((t) => t.status !== 'closed');
  }

  private create(call: OpenCall): FakeTransport {
    const t = new FakeTransport(this.transports.length, call.credential, this);
    this.transports.push(t);
    call.outcome = 'opened';
    call.transport = t;
    this.log.push({ kind: 'opened', transport: t.index });
    return t;
  }
}
