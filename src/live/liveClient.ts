/**
 * Composition root for a Live session over real sockets: the one place that joins
 * the core (LiveSession, TokenCredentials) with the wire (ws, REST). The CLI,
 * the extension host, benchmarks and integration tests all build sessions here.
 */
import type { Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import type { Redactor } from '../common/redact';
import { DEFAULT_SESSION_OPTIONS, LiveSession, type LiveSessionOptions } from '../core/liveSession';
import { toWireCompression } from '../core/compression';
import { buildSetup, type ClientSetup } from '../core/messages';
import { ApiKeyCredentials, type CredentialSource } from '../core/ports';
import { DEFAULT_RENEWAL_POLICY, TokenRenewal, type RenewalPolicy } from '../core/tokenRenewal';
import { DEFAULT_TOKEN_POLICY, TokenCredentials, type TokenMinter, type TokenPolicy } from '../core/tokens';
import type { LedgerSnapshot } from '../core/turnLedger';
import type { ApiVersion } from './endpoints';
import { RestTokenMinter } from './restTokenMinter';
import { WsTransportFactory } from './wsTransport';

export type AuthConfig =
  | { mode: 'key'; apiKey: string }
  | { mode: 'token'; apiKey: string; policy?: Partial<TokenPolicy>; renewal?: Partial<RenewalPolicy> }
  | { mode: 'broker'; minter: TokenMinter; policy?: Partial<TokenPolicy>; renewal?: Partial<RenewalPolicy> };

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
  /** Renews the token in use before it expires (token and broker modes). */
  renewal?: TokenRenewal;
  /** Disposes the session and everything built with it. */
  dispose(): void;
}

/**
 * The setup a token is locked to: model, modality, resumption and (when on) the
 * compression config the session uses now, so a leaked token cannot be used for another
 * model or configuration. Evaluated at each mint, so a changed compression config is
 * locked into the next token.
 */
export function tokenConstraints(options: LiveSessionOptions, compression: LiveSessionOptions['compression'] = options.compression): ClientSetup {
  const full = buildSetup(options.setup, options.resumption ? {} : undefined, toWireCompression(compression)).setup!;
  const locked: ClientSetup = { model: full.model, generationConfig: { responseModalities: full.generationConfig?.responseModalities } };
  if (full.sessionResumption) locked.sessionResumption = {};
  if (full.contextWindowCompression) locked.contextWindowCompression = full.contextWindowCompression;
  return locked;
}

export function createLiveClient(config: LiveClientConfig): LiveClient {
  const options: LiveSessionOptions = { ...DEFAULT_SESSION_OPTIONS, ...config.session };
  const { redactor, clock } = config;
  let credentials: CredentialSource;
  let tokens: TokenCredentials | undefined;
  // Assigned below; the token constraints read its live compression config at mint time.
  let session: LiveSession | undefined;
  if (config.auth.mode === 'key') {
    redactor.addSecret(config.auth.apiKey);
    credentials = new ApiKeyCredentials(config.auth.apiKey);
  } else {
    const minter = config.auth.mode === 'token' ? new RestTokenMinter(config.baseUrl, config.auth.apiKey) : config.auth.minter;
    if (config.auth.mode === 'token') redactor.addSecret(config.auth.apiKey);
    tokens = new TokenCredentials(minter, clock, () => tokenConstraints(options, session?.compressionConfig), { ...DEFAULT_TOKEN_POLICY, ...config.auth.policy }, (name) =>
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
  session = new LiveSession(options, {
    transports,
    credentials,
    clock,
    random: config.random ?? Math.random,
    logger: config.logger,
    restored: config.restored,
  });
  // Handles are credentials too: keep them out of every log line.
  const live = session;
  live.onDidEmit((e) => {
    if (e.type === 'resumptionUpdate' && e.resumable) redactor.addRotatingSecret(live.resumptionSnapshot().ledger.handle);
  });
  const renewal =
    tokens && config.auth.mode !== 'key'
      ? new TokenRenewal(live, tokens, clock, config.random ?? Math.random, config.logger.child('tokens'), { ...DEFAULT_RENEWAL_POLICY, ...config.auth.renewal })
      : undefined;
  return {
    session: live,
    credentials,
    tokens,
    renewal,
    dispose() {
      renewal?.dispose();
      live.dispose();
      tokens?.dispose();
    },
  };
}
