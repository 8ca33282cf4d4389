/**
 * Flag checks that must fail with exit 2 before anything connects: a mistake in a
 * flag is the user's to fix, and finding it only after a connection (or never, when a
 * request silently goes somewhere else) wastes a session and can send a credential
 * where it should not go.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseWav, WavFormatError } from '../audio/wav';
import { contextWindowTokens, type CompressionConfig } from '../core/compression';
import { isLoopbackUrl } from '../live/endpoints';
import { UsageError } from './cliIo';

const BASE_URL_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

function parseUrl(flag: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a URL: ${value}`);
  }
}

/** `--base-url`: http, https, ws or wss (the SDK's `httpOptions.baseUrl`; ws/wss name the socket directly). */
export function checkBaseUrlFlag(value: string): void {
  const url = parseUrl('--base-url', value);
  if (!BASE_URL_SCHEMES.has(url.protocol)) {
    throw new UsageError(`--base-url must be an http, https, ws or wss URL (got the scheme "${url.protocol.replace(/:$/, '')}" in ${value})`);
  }
}

/**
 * `--broker-url`: http or https, and plain http only to loopback unless
 * `--allow-insecure-broker`: the broker credential and the tokens would otherwise
 * cross the network unencrypted.
 */
export function checkBrokerUrlFlag(value: string, allowInsecure: boolean): void {
  const url = parseUrl('--broker-url', value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--broker-url must be an http or https URL (got ${value})`);
  if (url.protocol === 'http:' && !isLoopbackUrl(value) && !allowInsecure) {
    throw new UsageError(`--broker-url ${value}: refusing plain http to a non-loopback host (the broker credential and tokens would travel unencrypted); use https, or pass --allow-insecure-broker`);
  }
}

/** The compression trigger must fit the model's context window (from the model table, src/core/models.ts). */
export function checkCompressionForModel(compression: CompressionConfig, model: string): void {
  if (!compression.enabled) return;
  const window = contextWindowTokens(model);
  if (compression.triggerTokens > window) {
    throw new UsageError(`--compression-trigger ${compression.triggerTokens} is beyond the context window of ${model} (${window} tokens); use at most ${window}`);
  }
}

/** `--audio-in`: a readable WAV file the CLI can speak (read and parsed now, before connecting). */
export async function checkAudioInFile(file: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new UsageError(`--audio-in ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    parseWav(bytes);
  } catch (err) {
    if (err instanceof WavFormatError) throw new UsageError(`--audio-in ${file}: not a WAV file the CLI can speak (${err.message})`);
    throw err;
  }
}

/** `--audio-out`: not a folder, and its folder exists (the WAV is written as replies arrive). */
export async function checkAudioOutFile(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isDirectory()) throw new UsageError(`--audio-out ${file} is a folder; name a .wav file`);
  const dir = path.dirname(path.resolve(file));
  const dirStat = await fs.stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`--audio-out ${file}: the folder ${dir} does not exist`);
}
