/** A Live client as the benchmarks use it: key auth, system clock, no logging (logging is not what they measure). */
import { systemClock } from '../src/common/clock';
import { nullLogger } from '../src/common/logger';
import { Redactor } from '../src/common/redact';
import { createLiveClient, type LiveClient, type LiveClientConfig } from '../src/live/liveClient';

export function benchClient(baseUrl: string, apiKey: string, session: LiveClientConfig['session']): LiveClient {
  return createLiveClient({ baseUrl, auth: { mode: 'key', apiKey }, clock: systemClock, logger: nullLogger, redactor: new Redactor(), session });
}
