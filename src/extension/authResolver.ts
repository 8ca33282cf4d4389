/**
 * Decides how the next session authenticates, from the settings and SecretStorage:
 *
 * - emulator backend: a fixed, non-secret key (the user's key never goes to it),
 *   through ephemeral tokens when they are on, so the token path runs offline too;
 * - gemini backend with a broker URL: tokens from the team broker, its credential
 *   from SecretStorage;
 * - gemini backend otherwise: the stored API key, through ephemeral tokens by
 *   default (`moontalk.tokens.enabled`), else on the WebSocket URL directly.
 */
import { MoonTalkError } from '../common/errors';
import type { AuthConfig } from '../live/liveClient';
import { BrokerTokenMinter } from '../live/brokerTokenMinter';
import { EMULATOR_API_KEY } from './constants';
import type { Secrets } from './secrets';
import type { ExtensionSettings } from './settings';

export type AuthMode = AuthConfig['mode'];

/** The mode the settings ask for, before any secret is read (for views while idle). */
export function expectedAuthMode(settings: ExtensionSettings): AuthMode {
  if (!settings.tokens.enabled) return 'key';
  return settings.backend === 'gemini' && settings.tokens.brokerUrl ? 'broker' : 'token';
}

/**
 * The auth for the next session. Rejects with an 'invalidConfig' MoonTalkError whose
 * `field` names what is missing ('apiKey', 'brokerCredential', 'brokerUrl').
 */
export async function resolveAuth(settings: ExtensionSettings, secrets: Secrets): Promise<AuthConfig> {
  const policy = settings.tokens.policy;
  if (settings.backend === 'emulator') {
    return settings.tokens.enabled ? { mode: 'token', apiKey: EMULATOR_API_KEY, policy } : { mode: 'key', apiKey: EMULATOR_API_KEY };
  }
  if (settings.tokens.enabled && settings.tokens.brokerUrl) {
    const credential = await secrets.getBrokerCredential();
    if (!credential) throw new MoonTalkError('invalidConfig', 'No broker credential is stored.', { field: 'brokerCredential' });
    return { mode: 'broker', minter: new BrokerTokenMinter(settings.tokens.brokerUrl, credential), policy };
  }
  const apiKey = await secrets.getApiKey();
  if (!apiKey) throw new MoonTalkError('invalidConfig', 'No API key is stored.', { field: 'apiKey' });
  return settings.tokens.enabled ? { mode: 'token', apiKey, policy } : { mode: 'key', apiKey };
}
