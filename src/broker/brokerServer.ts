/**
 * The team token broker's HTTP service: holds the API key (inside its TokenMinter)
 * and mints ephemeral tokens for clients that present a credential from the
 * credentials file.
 *
 * | request | answer |
 * | --- | --- |
 * | `POST /v1/tokens` | 200 `{name, expireTime, newSessionExpireTime, uses}`; 400 bad JSON or field (unknown fields named); 401 missing/unknown credential (`WWW-Authenticate: Bearer`); 403 model/modality/constraint not allowed; 413 body over the limit; 429 rate limit (`Retry-After`); 502 upstream refused or unreachable, with a fixed message and `error.requestId` (the upstream's own text goes only to the log) |
 * | `GET /healthz` | 200 `{ok: true}` |
 * | anything else | 404 (405 for another method on a known path) |
 *
 * @remarks Plain HTTP by design: TLS is terminated by a reverse proxy in front of it
 * (docs/broker.md). Nothing it answers or logs contains the key. Upstream error text is
 * never answered (it may echo the key, the broker's configuration or a proxy's page): the
 * client gets a fixed sentence and a request id, and the log gets the text under that id,
 * through the redactor and with every 5-character piece of the key removed.
 * @example
 * ```ts
 * const server = new BrokerServer({ config, minter: new RestTokenMinter(baseUrl, apiKey), redactor });
 * const { baseUrl } = await server.start();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../common/clock';
import { errorMessage, isMoonTalkError } from '../common/errors';
import { nullLogger, type Logger } from '../common/logger';
import { Redactor } from '../common/redact';
import type { TokenMinter } from '../core/tokens';
import type { BrokerConfig } from './brokerConfig';
import { sendError, sendJson } from './brokerResponse';
import { checkTokenRequest } from './checkTokenRequest';
import { authenticateClient } from './clientAuthenticator';
import { formatAuditLine, type AuditEntry } from './formatAuditLine';
import { RateLimiter } from './rateLimiter';
import { BodyTooLargeError, readRequestBody } from './readRequestBody';
import { redactKeyPieces } from './redactKeyPieces';

export const TOKENS_PATH = '/v1/tokens';
export const HEALTH_PATH = '/healthz';

export interface BrokerServerOptions {
  config: BrokerConfig;
  /** Mints upstream with the key (RestTokenMinter); the server never sees the key itself. */
  minter: TokenMinter;
  /** Drives the rate limiter and the lifetime policy. Default: the system clock. */
  clock?: Clock;
  logger?: Logger;
  /** Scrubs upstream error text before it is logged; register the key on it. */
  redactor?: Redactor;
  /** The API key (and any other long-lived secret): no 5-character piece of them reaches the log. */
  secrets?: readonly string[];
  /** Default '127.0.0.1': put a TLS proxy in front rather than listening on the network. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Largest request body accepted. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Whole-request deadline (slow clients). Default 15 s. */
  requestTimeoutMs?: number;
}

export class BrokerServer {
  private config: BrokerConfig;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly redactor: Redactor;
  private readonly limiter: RateLimiter;
  private readonly maxBodyBytes: number;
  private server: Server | undefined;

  constructor(private readonly options: BrokerServerOptions) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? nullLogger).child('broker');
    this.redactor = options.redactor ?? new Redactor();
    this.limiter = new RateLimiter(this.clock, this.config.ratePerMinute);
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  }

  /** Listens; resolves with the address to hand to clients (before any TLS proxy). */
  async start(): Promise<{ baseUrl: string; port: number }> {
    if (this.server) throw new Error('broker already started');
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        const requestId = randomUUID();
        this.log.error(`request ${requestId} failed: ${this.scrub(errorMessage(err))}`);
        if (!res.headersSent) sendError(res, 500, `The broker failed to answer this request (request id ${requestId}).`, { 'X-Request-Id': requestId }, requestId);
        else res.destroy();
      });
    });
    server.requestTimeout = this.options.requestTimeoutMs ?? 15_000;
    server.headersTimeout = Math.min(server.requestTimeout, 10_000);
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : (this.options.port ?? 0);
    const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.log.info(`listening on ${baseUrl} (${this.config.clients.length} clients)`);
    return { baseUrl, port };
  }

  /** Stops listening and closes every connection now. Safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Swaps in a re-read credentials file (SIGHUP); rate buckets of remaining clients are kept. */
  updateConfig(config: BrokerConfig): void {
    this.config = config;
    this.limiter.setRate(config.ratePerMinute);
    this.limiter.retain(new Set(config.clients.map((c) => c.id)));
    this.log.info(`credentials reloaded (${config.clients.length} clients)`);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === HEALTH_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET.', { Allow: 'GET' });
      return sendJson(res, 200, { ok: true });
    }
    if (path !== TOKENS_PATH) return sendError(res, 404, 'Not found. The broker serves POST /v1/tokens and GET /healthz.');
    if (req.method !== 'POST') return sendError(res, 405, 'Use POST.', { Allow: 'POST' });
    await this.mintForClient(req, res);
  }

  private async mintForClient(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const remote = req.socket.remoteAddress;
    const config = this.config;
    const auth = authenticateClient(req.headers.authorization, config.clients);
    if (!auth.ok) {
      this.audit({ event: 'denied', client: null, status: 401, reason: `credential ${auth.reason}`, remote });
      // The body was not read: close rather than leave it in the keep-alive stream.
      return sendError(res, 401, auth.reason === 'missing' ? 'A broker credential is required: Authorization: Bearer <credential>.' : 'The broker credential is not valid.', {
        'WWW-Authenticate': 'Bearer realm="moontalk-broker"',
        Connection: 'close',
      });
    }
    const client = auth.client;
    const rate = this.limiter.take(client.id);
    if (!rate.ok) {
      const retryAfterS = Math.max(1, Math.ceil(rate.retryAfterMs / 1000));
      this.audit({ event: 'denied', client: client.id, status: 429, reason: 'rate limit', remote });
      return sendError(res, 429, `Too many token requests; try again in ${retryAfterS} s.`, { 'Retry-After': String(retryAfterS), Connection: 'close' });
    }
    let raw: string;
    try {
      raw = await readRequestBody(req, this.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        this.audit({ event: 'denied', client: client.id, status: 413, reason: 'body too large', remote });
        return sendError(res, 413, err.message, { Connection: 'close' });
      }
      throw err;
    }
    let body: unknown;
    try {
      body = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      this.audit({ event: 'denied', client: client.id, status: 400, reason: 'bad JSON', remote });
      return sendError(res, 400, 'The request body is not valid JSON.');
    }
    const policy = checkTokenRequest(body, client, config, this.clock.now());
    if (!policy.ok) {
      this.audit({ event: 'denied', client: client.id, status: policy.status, reason: policy.message, remote });
      return sendError(res, policy.status, policy.message);
    }
    let minted;
    try {
      minted = await this.options.minter.mint(policy.request);
    } catch (err) {
      // The client never sees upstream text: it can echo the key, pieces of it, or whatever a
      // proxy put in its error page. The operator finds it in the log under the request id.
      const requestId = randomUUID();
      const badKey = isMoonTalkError(err, 'badKey');
      this.log.error(`upstream mint failed for client ${client.id} (request id ${requestId}${badKey ? ', the key was refused' : ''}): ${this.scrub(errorMessage(err))}`);
      this.audit({ event: 'denied', client: client.id, status: 502, reason: `upstream failed (request id ${requestId})`, remote });
      const message = badKey
        ? `The upstream token service refused the broker's API key; ask the broker's operator to check it (request id ${requestId}).`
        : `The upstream token service could not mint a token; the broker's operator can look it up by request id ${requestId}.`;
      return sendError(res, 502, message, { 'X-Request-Id': requestId }, requestId);
    }
    this.redactor.addRotatingSecret(minted.name);
    const answer = {
      name: minted.name,
      expireTime: minted.expireTime ?? policy.request.expireTime,
      newSessionExpireTime: minted.newSessionExpireTime ?? policy.request.newSessionExpireTime,
      uses: minted.uses ?? policy.request.uses,
    };
    this.audit({
      event: 'tokenMinted',
      client: client.id,
      model: policy.model,
      expireTime: answer.expireTime,
      newSessionExpireTime: answer.newSessionExpireTime,
      uses: answer.uses,
      tokenName: minted.name,
      clamped: policy.clamped,
    });
    sendJson(res, 200, answer);
  }

  /** Upstream or internal error text, fit for the log: redacted, and no 5-character piece of a secret left. */
  private scrub(text: string): string {
    return redactKeyPieces(this.redactor.text(text), this.options.secrets ?? []);
  }

  private audit(entry: AuditEntry): void {
    const line = formatAuditLine(entry);
    if (entry.event === 'tokenMinted') this.log.info(line);
    else this.log.warn(line);
  }
}
