/**
 * Decides where the CLI talks to: `--base-url`, the real API when a key is set, or an
 * in-process emulator when there is neither (so the CLI works offline).
 */
import type { Logger } from '../common/logger';
import { LiveEmulator } from '../emulator/liveEmulator';
import { GEMINI_API_BASE_URL } from '../live/endpoints';
import { UsageError } from './cliIo';
import { checkBaseUrlFlag } from './usageChecks';

/** The key the in-process emulator is given; it is not a secret and accepts any key. */
const EMULATOR_KEY = 'offline-emulator-key';

export interface Backend {
  baseUrl: string;
  apiKey: string | undefined;
  /** Set when an in-process emulator serves this run. */
  emulator?: LiveEmulator;
}

export function apiKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.GEMINI_API_KEY || env.GOOGLE_API_KEY || undefined;
}

export async function resolveBackend(options: { baseUrl?: string; needsKey: boolean; env: NodeJS.ProcessEnv; logger: Logger }): Promise<Backend> {
  const apiKey = apiKeyFromEnv(options.env);
  if (options.baseUrl) {
    checkBaseUrlFlag(options.baseUrl);
    if (!apiKey && options.needsKey) {
      throw new UsageError('No API key: set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment to use --base-url.');
    }
    return { baseUrl: options.baseUrl, apiKey };
  }
  if (apiKey) return { baseUrl: GEMINI_API_BASE_URL, apiKey };
  const emulator = new LiveEmulator({ logger: options.logger.child('emulator') });
  const { baseUrl } = await emulator.start();
  options.logger.info(`No GEMINI_API_KEY and no --base-url: using the built-in offline emulator at ${baseUrl}.`);
  return { baseUrl, apiKey: EMULATOR_KEY, emulator };
}
