import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Clock } from '../common/clock';
import { Emitter, type Event } from '../common/event';
import type { Logger } from '../common/logger';
import type { Disposable } from '../common/disposable';
import { AuthTokenStore, tokenResponseBody } from './authTokenStore';
import { normalizeFieldNames } from './clientMessage';
import { EmulatorConnection, type ConnectionAuth, type ConnectionHost } from './emulatorConnection';
import type { EmulatorEvent } from './emulatorEvent';
import { QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON, resolveEmulatorOptions, type EmulatorOptions } from './emulatorOptions';
import { findModelProfile, listModelsBody, modelNotFoundReason } from './modelProfiles';
import { classifyEndpoint, parseRequestTarget } from './requestTarget';
import { SessionStore } from './sessionStore';

/** A session as tests see it through {@link LiveEmulator.sessions}. */
export interface EmulatorSessionInfo {
  id: string;
  history: Array<{ role: 'user' | 'model'; text: string }>;
  connectionCount: number;
  resumeCount: number;
  /** Sum of totalTokenCount over answered turns. */
  tokensUsed: number;
  /** True while a connection serves the session. */
  connected: boolean;
  /** Ended by the session cap (1011 "Deadline expired"); its handles are refused. */
  capped: boolean;
  receivedAudio: { bytes: number; durationMs: number; sampleRate: number; pcm: Int16Array };
}

/** REST bodies above this get 413 (a token request is a few hundred bytes). */
const MAX_BODY_BYTES = 1 << 20;
/** A too-large body is read and thrown away up to this, so the 413 reaches the client; beyond it the socket is cut. */
const MAX_DRAIN_BYTES = 64 << 20;

/**
 * A local, offline Gemini Live API: the key and token WebSocket endpoints,
 * `POST /v1alpha/auth_tokens`, sessions with resumption handles, goAway and
 * connection lifetimes, session caps, context window compression, and faults
 * on demand (drops, latency, late pongs, stale handles). Faithful to
 * shared/LIVE-PROTOCOL.md; the official SDK runs against it unchanged.
 *
 * @remarks Every timer runs on `options.clock`; `stop()` clears them all.
 * @example
 * ```ts
 * const emulator = new LiveEmulator({ clock: new ScaledClock(100) });
 * const { baseUrl } = await emulator.start();
 * const ai = new GoogleGenAI({ apiKey: 'any', httpOptions: { baseUrl } });
 * // ...
 * await emulator.stop();
 * ```
 */
export class LiveEmulator {
  readonly options: EmulatorOptions;
  private readonly events = new Emitter<EmulatorEvent>((err) => this.log.error(`event listener failed: ${String(err)}`));
  /** Everything the emulator does, as typed events (wait on these instead of polling). */
  readonly onDidEvent: Event<EmulatorEvent> = this.events.event;

  private readonly log: Logger;
  private readonly sessionStore: SessionStore;
  private readonly tokenStore: AuthTokenStore;
  private readonly connections = new Map<string, EmulatorConnection>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private nextConnection = 1;
  private nextCall = 1;
  private sweepTimer: Disposable | undefined;
  private readonly host: ConnectionHost;
  private quotaExhausted: boolean;

  constructor(options: Partial<EmulatorOptions> = {}) {
    this.options = resolveEmulatorOptions(options);
    this.quotaExhausted = this.options.quotaExhausted;
    this.log = this.options.logger.child('emulator');
    this.sessionStore = new SessionStore(this.options.clock, this.options.handleLifetimeMs, this.options.maxRecordedAudioBytes);
    this.tokenStore = new AuthTokenStore(this.options.clock);
    this.host = {
      options: this.options,
      clock: this.options.clock,
      logger: this.options.logger,
      sessions: this.sessionStore,
      tokens: this.tokenStore,
      fire: (e) => this.events.fire(e),
      nextFunctionCallId: () => `function-call-${this.nextCall++}`,
      connectionEnded: (c) => {
        this.connections.delete(c.id);
      },
      clientHasClosed: (id) => this.connections.get(id)?.clientCloseReceived ?? true,
      quotaExhausted: () => this.quotaExhausted,
    };
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Listens on `options.host:options.port` (0 = a free port). */
  async start(): Promise<{ baseUrl: string; port: number }> {
    if (this.server) throw new Error('emulator already started');
    const server = createServer((req, res) => this.onRequest(req, res));
    // maxPayload: a bigger client frame is closed 1009 by ws before it is buffered whole (issue 14).
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: this.options.maxIncomingFrameBytes });
    server.on('upgrade', (req, socket, head) => this.onUpgrade(wss, req, socket, head));
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.options.port;
    const baseUrl = `http://${this.options.host}:${port}`;
    this.log.info(`listening on ${baseUrl}`);
    this.scheduleSweep();
    return { baseUrl, port };
  }

  /** Closes every socket at once, clears every timer, stops listening. */
  async stop(): Promise<void> {
    this.sweepTimer?.dispose();
    this.sweepTimer = undefined;
    for (const c of [...this.connections.values()]) c.dispose();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    this.wss?.close();
    this.wss = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ------------------------------------------------------------ inspection

  sessions(): EmulatorSessionInfo[] {
    return this.sessionStore.list().map((s) => {
      const pcm = s.receivedPcm();
      return {
        id: s.id,
        history: s.history.map((t) => ({ role: t.role, text: t.text })),
        connectionCount: s.connectionCount,
        resumeCount: s.resumeCount,
        tokensUsed: s.tokensUsed,
        connected: s.activeConnectionId !== undefined,
        capped: s.capped,
        receivedAudio: { bytes: s.audio.bytes, durationMs: (s.audio.samples / s.audio.sampleRate) * 1000, sampleRate: s.audio.sampleRate, pcm },
      };
    });
  }

  session(id: string): EmulatorSessionInfo | undefined {
    return this.sessions().find((s) => s.id === id);
  }

  /** Sockets not yet closing (including those still waiting for setup). */
  openConnections(): number {
    let n = 0;
    for (const c of this.connections.values()) if (c.isOpen) n++;
    return n;
  }

  /** Resumption handles held, all sessions together (bounded-memory checks). */
  handleCount(): number {
    return this.sessionStore.handleCount;
  }

  /** Tokens held (bounded-memory checks). */
  tokenCount(): number {
    return this.tokenStore.all().length;
  }

  /**
   * Evicts, on the emulator's clock: sessions (and their handles) whose last connection
   * ended more than `handleLifetimeMs` ago (docs: a handle lives about 2 h), and tokens
   * past `expireTime`. Runs every `sweepIntervalMs` and on each new request.
   */
  sweep(): void {
    const sessions = this.sessionStore.evictExpired().length;
    const tokens = this.tokenStore.evictExpired();
    if (sessions + tokens > 0) {
      this.log.debug(`evicted ${sessions} sessions, ${tokens} tokens`);
      this.events.fire({ type: 'evicted', sessions, tokens });
    }
  }

  private scheduleSweep(): void {
    this.sweepTimer = this.options.clock.setTimeout(() => {
      if (!this.server) return;
      this.sweep();
      this.scheduleSweep();
    }, this.options.sweepIntervalMs);
  }

  // ------------------------------------------------------------ faults

  /** Sends `goAway` with `timeLeftMs` to every set-up connection; each is closed 1008 if still there after it. */
  goAwayAll(timeLeftMs: number): void {
    for (const c of this.connections.values()) c.goAway(timeLeftMs);
  }

  /** Breaks every TCP connection without a close frame (clients see 1006). */
  dropAll(): void {
    for (const c of [...this.connections.values()]) c.drop();
  }

  /** Closes every connection with a close frame. */
  closeAll(code: number, reason: string): void {
    // 1004-1006 and 1015 are reserved: they never travel in a close frame (use dropAll for 1006).
    const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    if (!sendable) throw new RangeError(`close code ${code} cannot be sent in a close frame`);
    for (const c of this.connections.values()) c.close(code, reason);
  }

  /**
   * Uses up the key's quota (or restores it): open sessions are closed with the service's
   * quota close (1011 RESOURCE_EXHAUSTED), later setups get the same, token requests HTTP 429.
   */
  exhaustQuota(exhausted = true): void {
    this.quotaExhausted = exhausted;
    if (!exhausted) return;
    this.log.info('quota exhausted: closing every session with 1011 RESOURCE_EXHAUSTED');
    for (const c of this.connections.values()) c.close(QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON);
  }

  /** Sends `toolCallCancellation` for a pending call; false when no connection holds it. */
  cancelToolCall(id: string): boolean {
    for (const c of this.connections.values()) if (c.cancelToolCall(id)) return true;
    return false;
  }

  // ------------------------------------------------------------ HTTP

  private onUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {}); // a client that vanishes mid-upgrade must not crash the emulator
    const target = parseRequestTarget(req.url);
    const endpoint = classifyEndpoint(target.path);
    if (!endpoint || endpoint.kind === 'authTokens') {
      const body = JSON.stringify(googleError(404, 'NOT_FOUND', `The requested URL ${target.path} was not found on this server.`));
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.sweep();
    let auth: ConnectionAuth;
    if (endpoint.kind === 'liveKey') {
      // The service takes the key as `?key=` or the `x-goog-api-key` header.
      auth = { kind: 'key', valid: this.keyValid(target.query.get('key') ?? header(req, 'x-goog-api-key')) };
    } else {
      // The token as `?access_token=` or `Authorization: Token auth_tokens/…`.
      const fromHeader = /^Token\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
      const name = target.query.get('access_token') ?? fromHeader;
      auth = { kind: 'token', token: name ? this.tokenStore.get(name) : undefined };
    }
    const apiVersion = endpoint.kind === 'liveKey' ? endpoint.apiVersion : 'v1alpha';
    wss.handleUpgrade(req, socket, head, (ws) => {
      const id = `conn-${this.nextConnection++}`;
      const connection = new EmulatorConnection(id, this.host, ws, auth.kind, apiVersion);
      this.connections.set(id, connection);
      this.log.debug(`${id} opened on ${target.path} (${auth.kind})`);
      connection.start(auth);
    });
  }

  private keyValid(key: string | undefined): boolean {
    if (!key || key.startsWith('auth_tokens/')) return false;
    return this.options.apiKey === undefined || key === this.options.apiKey;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.sweep();
    const target = parseRequestTarget(req.url);
    const endpoint = classifyEndpoint(target.path);
    if (endpoint?.kind === 'authTokens' && req.method === 'POST') {
      void this.mintToken(req, res, target.query.get('key'));
      return;
    }
    const models = MODELS_PATH.exec(target.path);
    if (models && req.method === 'GET') {
      this.models(req, res, models[1]!, models[2], target.query.get('key'));
      return;
    }
    if (endpoint && endpoint.kind !== 'authTokens') {
      sendJson(res, 400, googleError(400, 'FAILED_PRECONDITION', 'This endpoint needs a WebSocket upgrade.'));
      return;
    }
    if (target.path === INSPECT_PATH && req.method === 'GET') {
      // What the emulator received, for tests that drive it from another process (the e2e
      // suite compares the audio a browser captured with the file it was fed).
      sendJson(res, 200, { sessions: this.sessions().map((s) => inspectSession(s, target.query.get('pcm') === '1')) });
      return;
    }
    sendJson(res, 404, googleError(404, 'NOT_FOUND', `The requested URL ${target.path} was not found on this server.`));
  }

  /** REST key check as the service does it; sends the error and returns false when refused. */
  private restKeyOk(res: ServerResponse, key: string | undefined): boolean {
    if (!key) {
      sendJson(res, 403, googleError(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.'));
      return false;
    }
    if (!this.keyValid(key)) {
      // The service answers a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID, not 403.
      sendJson(res, 400, apiKeyInvalidError());
      return false;
    }
    return true;
  }

  /** ListModels (`GET /{v}/models`) and GetModel (`GET /{v}/models/NAME`): the models this emulator serves. */
  private models(req: IncomingMessage, res: ServerResponse, apiVersion: string, name: string | undefined, queryKey: string | undefined): void {
    if (!this.restKeyOk(res, header(req, 'x-goog-api-key') ?? queryKey)) return;
    const body = listModelsBody();
    if (name === undefined) {
      sendJson(res, 200, body);
      return;
    }
    const model = findModelProfile(name) ? body.models.find((m) => m['name'] === `models/${name}`) : undefined;
    if (!model) {
      sendJson(res, 404, googleError(404, 'NOT_FOUND', modelNotFoundReason(name, apiVersion).replace(' or is not supported for bidiGenerateContent', ' or is not supported for get')));
      return;
    }
    sendJson(res, 200, model);
  }

  private async mintToken(req: IncomingMessage, res: ServerResponse, queryKey: string | undefined): Promise<void> {
    const key = header(req, 'x-goog-api-key') ?? queryKey;
    const raw = await readBody(req);
    if (raw === undefined) {
      // Read (and thrown away) to the end, so the client gets this answer instead of a reset (issue 14).
      sendJson(res, 413, googleError(413, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`));
      return;
    }
    if (!this.restKeyOk(res, key)) return;
    if (this.quotaExhausted) {
      sendJson(res, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'));
      return;
    }
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = normalizeFieldNames(JSON.parse(raw));
      } catch {
        sendJson(res, 400, googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
        return;
      }
    }
    const result = this.tokenStore.mint(body);
    if (!result.ok) {
      sendJson(res, 400, googleError(400, 'INVALID_ARGUMENT', result.message));
      return;
    }
    const token = result.token;
    this.events.fire({ type: 'tokenMinted', name: token.name, uses: token.uses, expireTimeMs: token.expireTimeMs, newSessionExpireTimeMs: token.newSessionExpireTimeMs });
    sendJson(res, 200, tokenResponseBody(token));
  }
}

const MODELS_PATH = /^\/(v1|v1beta|v1alpha)\/models(?:\/([^/]+))?$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === '' ? undefined : first;
}

function googleError(code: number, status: string, message: string): { error: { code: number; message: string; status: string } } {
  return { error: { code, message, status } };
}

/** The body the service sends for a bad key (HTTP 400). */
export function apiKeyInvalidError(): Record<string, unknown> {
  return {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
      ],
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The body as text, or undefined when it is larger than {@link MAX_BODY_BYTES}: then the
 * rest is read and dropped (memory stays bounded) so the 413 can be sent after it; a
 * body beyond {@link MAX_DRAIN_BYTES} is cut off.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) chunks = undefined;
      else chunks?.push(chunk);
      if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on('end', () => resolve(chunks ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', () => resolve(undefined));
  });
}

/** Loopback inspection endpoint (not part of the Live API): sessions, history and received audio. */
export const INSPECT_PATH = '/emulator/sessions';

function inspectSession(s: EmulatorSessionInfo, withPcm: boolean): Record<string, unknown> {
  const { pcm, ...audio } = s.receivedAudio;
  return {
    id: s.id,
    connectionCount: s.connectionCount,
    resumeCount: s.resumeCount,
    connected: s.connected,
    history: s.history,
    receivedAudio: withPcm ? { ...audio, pcm: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64') } : audio,
  };
}
