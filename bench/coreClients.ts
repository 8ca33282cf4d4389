/**
 * The two session cores of the core A/B bench (`npm run bench -- core-ab`), wired alike:
 * today's LiveSession (pure transition + driver) and the one-class LiveSession of commit
 * 406fe46, both bundled by bench/buildOldCore.mjs with the same esbuild options, each on
 * today's ws transport with an API key, the system clock and no logging. Nothing else is
 * attached (no redactor listener), so the only difference between the two is the core.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { systemClock } from '../src/common/clock';
import type { Event } from '../src/common/event';
import { nullLogger } from '../src/common/logger';
import type { LiveSessionOptions } from '../src/core/liveSession';
import type { TransportFactory } from '../src/core/ports';
import type { SessionEvent } from '../src/core/sessionEvents';
import { WsTransportFactory } from '../src/live/wsTransport';

/** What the A/B drives, common to both cores. */
export interface CoreSession {
  connect(): Promise<void>;
  sendText(text: string): number;
  close(): Promise<void>;
  readonly onDidEmit: Event<SessionEvent>;
}

export type CoreOptions = Partial<Omit<LiveSessionOptions, 'setup'>> & Pick<LiveSessionOptions, 'setup'>;
/** `transports` replaces today's ws transport (the in-process frame pump of coreAb.ts). */
export type CoreFactory = (baseUrl: string, apiKey: string, options: CoreOptions, transports?: TransportFactory) => CoreSession;

/** What a bundle of either core exports (bench/buildOldCore.mjs, its entry). */
interface CoreBundle {
  LiveSession: new (options: object, deps: object) => CoreSession;
  DEFAULT_SESSION_OPTIONS: object;
  ApiKeyCredentials: new (apiKey: string) => object;
}

function factory(core: CoreBundle, knowsResponseTimeout: boolean): CoreFactory {
  return (baseUrl, apiKey, options, transports) => {
    // The old core knows no responseTimeoutMs (it has no response timer).
    const { responseTimeoutMs, ...rest } = options;
    const own = knowsResponseTimeout && responseTimeoutMs !== undefined ? { ...rest, responseTimeoutMs } : rest;
    return new core.LiveSession(
      { ...core.DEFAULT_SESSION_OPTIONS, ...own },
      {
        transports: transports ?? new WsTransportFactory({ baseUrl, clock: systemClock, logger: nullLogger }),
        credentials: new core.ApiKeyCredentials(apiKey),
        clock: systemClock,
        random: Math.random,
        logger: nullLogger,
      },
    );
  };
}

/** Builds both bundles (the old one only when missing: it never changes) and loads them. */
export async function loadCores(): Promise<{ new: CoreFactory; old: CoreFactory }> {
  const build = (await import(path.join(__dirname, 'buildOldCore.mjs'))) as {
    buildOldCore(): Promise<string>;
    buildNewCore(): Promise<string>;
    OLD_CORE_BUNDLE: string;
  };
  const { existsSync } = await import('node:fs');
  const oldPath = existsSync(build.OLD_CORE_BUNDLE) ? build.OLD_CORE_BUNDLE : await build.buildOldCore();
  const newPath = await build.buildNewCore();
  const load = createRequire(__filename);
  return { new: factory(load(newPath) as CoreBundle, true), old: factory(load(oldPath) as CoreBundle, false) };
}
