/**
 * Composition root for a Live session over real sockets: the one place that joins
 * the core (LiveSession, TokenCredentials) with the wire (ws, REST). The CLI,
 * the extension host, benchmarks and integration tests all build sessions here.
 */
import type { Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import type { Redactor } from '../common/redact';
import { DEFAULT_SESSION_OPTIONS, LiveSession, type LiveSessionOptions } from '../core/liveSession';
import { buildSetup, type ClientSetup } from '../core/messages';
import { ApiKeyCredentials, type CredentialSource } from '../core/ports';
import { DEFAULT_TOKEN_POLICY, TokenCredentials, type TokenMinter, type TokenPolicy } from '../core/tokens';
import type { LedgerSnapshot } from '../core/turnLedger';
import type { ApiVersion } from './endpoints';
import { RestTokenMinter } from './restTokenMinter';
import { WsTransportFactory } from './wsTransport';

export type AuthConfig =
  | { mode: 'key'; apiKey: string }
  | { mode: 'token'; apiKey: string; policy?: Partial<TokenPolicy> }
  | { mode: 'broker'; minter: TokenMinter; policy?: Partial<TokenPolicy> };

export interface LiveClientConfig {
  baseUrl: string;
  apiVersion?: ApiVersion;
  auth: AuthConfig;
  session: Partial<Omit<LiveSessionOptions, 'setup'>> & Pick<LiveSessionOptions, 'setup'>;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  random?: () => number;
  restored?: { ledger: LedgerSnapshot; lastConnectionEndedAt?: number };
  /** Transport keepalive; see WsTransportOptions. */
  pingIntervalMs?: number;
  deadAfterMs?: number;
}

export interface LiveClient {
  session: LiveSession;
  credentials: CredentialSource;
  /** Present in token and broker modes. */
  tokens?: TokenCredentials;
}

/** The setup a token is locked to: model, modality and resumption, as the SDK sends it. */
export function tokenConstraints(options: LiveSessionOptions): ClientSetup {
  const full = buildSetup(options.setup, options.resumption ? {} : undefined, undefined).setup!;
  const locked: ClientSetup = { model: full.model, generationConfig: { responseModalities: full.generationConfig?.responseModalities } };
  if (full.sessionResumption) locked.sessionResumption = {};
  return locked;
}

export function createLiveClient(config: LiveClientConfig): LiveClient {
  const options: LiveSessionOptions = { ...DEFAULT_SESSION_OPTIONS, ...config.session };
  const { redactor, clock } = config;
  let credentials: CredentialSource;
  let tokens: TokenCredentials | undefined;
  if (config.auth.mode === 'key') {
    redactor.addSecret(config.auth.apiKey);
    credentials = new ApiKeyCredentials(config.auth.apiKey);
  } else {
    const minter = config.auth.mode === 'token' ? new RestTokenMinter(config.baseUrl, config.auth.apiKey) : config.auth.minter;
    if (config.auth.mode === 'token') redactor.addSecret(config.auth.apiKey);
    tokens = new TokenCredentials(minter, clock, () => tokenConstraints(options), { ...DEFAULT_TOKEN_POLICY, ...config.auth.policy }, (name) =>
      redactor.addRotatingSecret(name),
    );
    credentials = tokens;
  }
  const transports = new WsTransportFactory({
    baseUrl: config.baseUrl,
    apiVersion: config.apiVersion,
    clock,
    logger: config.logger,
    pingIntervalMs: config.pingIntervalMs,
    deadAfterMs: config.deadAfterMs,
  });
  const session = new LiveSession(options, {
    transports,
    credentials,
    clock,
    random: config.random ?? Math.random,
    logger: config.logger,
    restored: config.restored,
  });
  // Handles are credentials too: keep them out of every log line.
  session.onDidEmit((e) => {
    if (e.type === 'resumptionUpdate' && e.resumable) redactor.addRotatingSecret(session.resumptionSnapshot().ledger.handle);
  });
  return { session, credentials, tokens };
}
