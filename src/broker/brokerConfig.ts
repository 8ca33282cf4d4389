/**
 * The broker's credentials file: who may ask for tokens, and what the broker will sign.
 * Parsed and checked where it enters; every error names the field.
 *
 * @example
 * ```json
 * { "clients": [ { "id": "alice", "sha256": "<hex sha256 of alice's credential>", "models": ["gemini-3.8-live"] } ],
 *   "allowedModels": ["gemini-3.8-live", "gemini-3.8-live-extended-thinking"], "allowedModalities": ["AUDIO", "TEXT"],
 *   "maxLifetimeS": 1800, "maxNewSessionWindowS": 300, "maxUses": 1, "ratePerMinute": 10 }
 * ```
 */
import { DEFAULT_MODEL } from '../core/defaults';
import { isSha256Hex } from './credentialHash';

export type BrokerModality = 'AUDIO' | 'TEXT';

export interface BrokerClient {
  /** Shown in the audit log: letters, digits, `.`, `_`, `@`, `-`; at most 64 characters. */
  readonly id: string;
  /** Lowercase hex SHA-256 of the client's credential. */
  readonly sha256: string;
  /** Narrows `allowedModels` for this client (it never widens it). Default: all allowed models. */
  readonly models?: readonly string[];
}

export interface BrokerConfig {
  readonly clients: readonly BrokerClient[];
  /**
   * Models the broker signs tokens for, with or without `models/`. Default: [DEFAULT_MODEL],
   * `gemini-3.8-live` (core/models.ts); list the others your team may use explicitly.
   */
  readonly allowedModels: readonly string[];
  /** Response modalities a token may be locked to. Default: ["AUDIO", "TEXT"]. */
  readonly allowedModalities: readonly BrokerModality[];
  /** Longest token lifetime (`expireTime - now`); longer requests are clamped. Default 1800 s (the API's own default); at most 72000 s (20 h, the API's limit). */
  readonly maxLifetimeS: number;
  /** Longest window for starting new sessions (`newSessionExpireTime - now`); clamped. Default 300 s. */
  readonly maxNewSessionWindowS: number;
  /** Most sessions one token may start; 0 = the broker allows unlimited tokens. Requests above it (or for 0) are clamped. Default 1. */
  readonly maxUses: number;
  /** Token requests per client per minute (token bucket, burst = this many). Default 10. */
  readonly ratePerMinute: number;
}

export const BROKER_CONFIG_DEFAULTS: Omit<BrokerConfig, 'clients'> = {
  allowedModels: [DEFAULT_MODEL],
  allowedModalities: ['AUDIO', 'TEXT'],
  maxLifetimeS: 1800,
  maxNewSessionWindowS: 300,
  maxUses: 1,
  ratePerMinute: 10,
};

/** The API refuses `expireTime` more than 20 h ahead (LIVE-PROTOCOL.md "Ephemeral tokens"). */
export const MAX_LIFETIME_LIMIT_S = 20 * 3600;

const CLIENT_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const MODALITIES: readonly BrokerModality[] = ['AUDIO', 'TEXT'];

export class BrokerConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'BrokerConfigError';
  }
}

export function isValidClientId(id: string): boolean {
  return CLIENT_ID.test(id);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new BrokerConfigError(field, 'must be a list of non-empty strings');
  }
  return value as string[];
}

function whole(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BrokerConfigError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Checks a parsed credentials file and fills in defaults. Throws {@link BrokerConfigError}. */
export function parseBrokerConfig(raw: unknown): BrokerConfig {
  if (!isObject(raw)) throw new BrokerConfigError('(file)', 'must be a JSON object');
  if (!Array.isArray(raw['clients'])) throw new BrokerConfigError('clients', 'must be a list');
  const ids = new Set<string>();
  const hashes = new Set<string>();
  const clients = raw['clients'].map((c: unknown, i: number): BrokerClient => {
    const at = `clients[${i}]`;
    if (!isObject(c)) throw new BrokerConfigError(at, 'must be an object');
    const id = c['id'];
    if (typeof id !== 'string' || !isValidClientId(id)) throw new BrokerConfigError(`${at}.id`, 'must be 1-64 of A-Z a-z 0-9 . _ @ -');
    if (ids.has(id)) throw new BrokerConfigError(`${at}.id`, `"${id}" appears twice`);
    ids.add(id);
    const sha256 = c['sha256'];
    if (typeof sha256 !== 'string' || !isSha256Hex(sha256)) throw new BrokerConfigError(`${at}.sha256`, 'must be 64 lowercase hex digits');
    if (hashes.has(sha256)) throw new BrokerConfigError(`${at}.sha256`, 'two clients share one credential');
    hashes.add(sha256);
    const client: { id: string; sha256: string; models?: string[] } = { id, sha256 };
    if (c['models'] !== undefined) client.models = stringList(c['models'], `${at}.models`);
    return client;
  });
  const d = BROKER_CONFIG_DEFAULTS;
  const allowedModels = raw['allowedModels'] === undefined ? [...d.allowedModels] : stringList(raw['allowedModels'], 'allowedModels');
  let allowedModalities: BrokerModality[] = [...d.allowedModalities];
  if (raw['allowedModalities'] !== undefined) {
    const list = stringList(raw['allowedModalities'], 'allowedModalities').map((m) => m.toUpperCase());
    const bad = list.find((m) => !MODALITIES.includes(m as BrokerModality));
    if (bad !== undefined) throw new BrokerConfigError('allowedModalities', `"${bad}" is not AUDIO or TEXT`);
    allowedModalities = list as BrokerModality[];
  }
  return {
    clients,
    allowedModels,
    allowedModalities,
    maxLifetimeS: whole(raw['maxLifetimeS'], 'maxLifetimeS', 1, MAX_LIFETIME_LIMIT_S, d.maxLifetimeS),
    maxNewSessionWindowS: whole(raw['maxNewSessionWindowS'], 'maxNewSessionWindowS', 1, MAX_LIFETIME_LIMIT_S, d.maxNewSessionWindowS),
    maxUses: whole(raw['maxUses'], 'maxUses', 0, 1_000_000, d.maxUses),
    ratePerMinute: whole(raw['ratePerMinute'], 'ratePerMinute', 1, 100_000, d.ratePerMinute),
  };
}
