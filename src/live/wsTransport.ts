/**
 * The Transport port over `ws`. We own the sockets (rather than the SDK's
 * `live.connect`) because a warm standby needs a socket upgraded before its
 * `setup` is sent.
 */
import WebSocket from 'ws';
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import { Emitter } from '../common/event';
import { MoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ClientMessage, ServerFrame } from '../core/messages';
import type { CloseInfo, Credential, Transport, TransportFactory } from '../core/ports';
import { liveWebSocketUrl, type ApiVersion } from './endpoints';
import { parseServerFrame } from './serverFrames';

export interface WsTransportOptions {
  baseUrl: string;
  apiVersion?: ApiVersion;
  clock: Clock;
  logger: Logger;
  /** Upgrade must finish within this. Default 15 000. */
  handshakeTimeoutMs?: number;
  /** Ping this often. Default 30 000. */
  pingIntervalMs?: number;
  /**
   * Declare the connection dead after this long with no frame and no pong. Default 90 000.
   * The service's pongs take 8–30 s (measured), and a 20 s timeout caused
   * self-inflicted 1011 closes elsewhere (sip-to-ai PR 14), so this stays long.
   */
  deadAfterMs?: number;
}

export class WsTransportFactory implements TransportFactory {
  private nextId = 1;
  constructor(private readonly options: WsTransportOptions) {}

  open(credential: Credential): Promise<Transport> {
    const url = liveWebSocketUrl(this.options.baseUrl, credential, this.options.apiVersion);
    const id = this.nextId++;
    const log = this.options.logger.child('ws');
    return new Promise<Transport>((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: this.options.handshakeTimeoutMs ?? 15_000, perMessageDeflate: false });
      const fail = (err: MoonTalkError) => {
        cleanup();
        // A socket we leave keeps a no-op error listener, so a late error cannot crash the process.
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      };
      const onOpen = () => {
        cleanup();
        resolve(new WsTransport(id, ws, this.options, log));
      };
      const onError = (err: Error) => fail(new MoonTalkError('network', `Could not reach the Live API: ${err.message}`, { cause: err }));
      const onUnexpected = (_req: unknown, res: { statusCode?: number; statusMessage?: string }) => {
        const status = res.statusCode ?? 0;
        const reason = status === 401 || status === 403 ? (credential.kind === 'apiKey' ? 'badKey' : 'tokenRefused') : 'network';
        fail(new MoonTalkError(reason, `The Live API answered HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { code: status }));
      };
      const cleanup = () => {
        ws.off('open', onOpen);
        ws.off('error', onError);
        ws.off('unexpected-response', onUnexpected);
      };
      ws.on('open', onOpen);
      ws.on('error', onError);
      ws.on('unexpected-response', onUnexpected);
    });
  }
}

class WsTransport implements Transport {
  private readonly frameEmitter = new Emitter<ServerFrame>();
  private readonly badFrameEmitter = new Emitter<{ error: string; bytes: number }>();
  private readonly closeEmitter = new Emitter<CloseInfo>();
  readonly onFrame = this.frameEmitter.event;
  readonly onBadFrame = this.badFrameEmitter.event;
  readonly onClose = this.closeEmitter.event;
  private closed = false;
  private lastHeard: number;
  private pingTimer: Disposable | undefined;
  private closeWaiters: Array<() => void> = [];

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly options: WsTransportOptions,
    private readonly log: Logger,
  ) {
    this.lastHeard = options.clock.now();
    ws.on('message', (data) => {
      this.lastHeard = this.options.clock.now();
      const parsed = parseServerFrame(data);
      if (parsed.ok) {
        this.frameEmitter.fire(parsed.frame);
      } else {
        const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
        this.badFrameEmitter.fire({ error: parsed.error, bytes });
      }
    });
    ws.on('pong', () => {
      this.lastHeard = this.options.clock.now();
    });
    ws.on('close', (code, reason) => this.finish({ code, reason: reason.toString('utf8') }));
    // Errors are followed by 'close'; logging them is all there is to do.
    ws.on('error', (err) => this.log.debug(`socket ${id} error: ${err.message}`));
    this.schedulePing();
  }

  send(message: ClientMessage): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) {
      throw new MoonTalkError('network', 'The connection is closed; the message was not sent.');
    }
    this.ws.send(JSON.stringify(message));
  }

  close(code: number, reason: string, ackTimeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.closeWaiters.push(resolve);
      const timer = this.options.clock.setTimeout(() => {
        if (!this.closed) this.ws.terminate();
      }, ackTimeoutMs);
      this.closeWaiters.push(() => timer.dispose());
      try {
        this.ws.close(code, reason);
      } catch {
        this.ws.terminate();
      }
    });
  }

  dispose(): void {
    if (this.closed) return;
    this.ws.terminate();
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs ?? 30_000;
    const deadAfter = this.options.deadAfterMs ?? 90_000;
    this.pingTimer = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      const silentMs = this.options.clock.now() - this.lastHeard;
      if (silentMs >= deadAfter) {
        this.log.warn(`socket ${this.id}: nothing heard for ${Math.round(silentMs / 1000)} s; treating it as broken`);
        this.ws.terminate();
        return;
      }
      if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
      this.schedulePing();
    }, interval);
  }

  private finish(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.pingTimer?.dispose();
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of waiters) w();
    this.closeEmitter.fire(info);
    this.frameEmitter.dispose();
    this.badFrameEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
