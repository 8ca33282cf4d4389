/**
 * `moontalk-live broker`: runs the team token broker until SIGINT/SIGTERM
 * (SIGHUP re-reads the credentials file), and `moontalk-live broker add-client`,
 * which adds a client and prints its credential once. Flags: docs/broker.md.
 */
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { systemClock } from '../common/clock';
import { errorMessage } from '../common/errors';
import { isLoopbackUrl } from '../live/endpoints';
import { RestTokenMinter } from '../live/restTokenMinter';
import { resolveBackend } from './backend';
import { UsageError, type CliIo } from './cliIo';
import { addClientToFile } from '../broker/addClientToFile';
import { BrokerConfigError } from '../broker/brokerConfig';
import { BrokerServer } from '../broker/brokerServer';
import { cappedFetch } from '../broker/cappedFetch';
import { readBrokerConfigFile } from '../broker/readBrokerConfigFile';
import { didYouMean, withFlagHint } from './cliHelp';

export interface BrokerCommandIo extends CliIo {
  env: NodeJS.ProcessEnv;
  /**
   * Raw stdout for the one line that must not be redacted: the new credential of
   * `add-client` (`emit` would mask it, rightly, everywhere else). Default: process.stdout.
   */
  stdout?: (text: string) => void;
  /** Stops the broker when aborted. Default: SIGINT or SIGTERM. */
  stop?: AbortSignal;
}

const SERVE_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  credentials: { type: 'string' },
  'base-url': { type: 'string' },
  'allow-insecure-upstream': { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

const ADD_CLIENT_FLAGS = {
  file: { type: 'string' },
  credentials: { type: 'string' },
  id: { type: 'string' },
  models: { type: 'string' },
  replace: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

export const BROKER_USAGE = `usage: moontalk-live broker --credentials FILE [--port N] [--host H] [--base-url URL] [--allow-insecure-upstream]
       moontalk-live broker add-client --file FILE --id ID [--models m1,m2] [--replace]`;

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: T): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError(`${withFlagHint(errorMessage(err), Object.keys(options))}\n${BROKER_USAGE}`);
  }
}

export async function runBrokerCommand(argv: string[], io: BrokerCommandIo): Promise<number> {
  if (argv[0] === 'add-client') return addClient(argv.slice(1), io);
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    const hint = didYouMean(argv[0], ['add-client']);
    throw new UsageError(`unknown broker subcommand "${argv[0]}"${hint ? `; did you mean "${hint}"?` : ''}\n${BROKER_USAGE}`);
  }
  return serve(argv, io);
}

async function addClient(argv: string[], io: BrokerCommandIo): Promise<number> {
  const values = parse(argv, ADD_CLIENT_FLAGS);
  const file = (values['file'] ?? values['credentials']) as string | undefined;
  const id = values['id'] as string | undefined;
  if (!file) throw new UsageError(`--file is required\n${BROKER_USAGE}`);
  if (!id) throw new UsageError(`--id is required\n${BROKER_USAGE}`);
  const models = typeof values['models'] === 'string' ? values['models'].split(',').map((m) => m.trim()).filter(Boolean) : undefined;
  if (models && models.length === 0) throw new UsageError('--models must name at least one model');
  let result;
  try {
    result = await addClientToFile(file, id, { models, replace: values['replace'] === true });
  } catch (err) {
    if (err instanceof BrokerConfigError) throw new UsageError(err.message);
    throw err;
  }
  io.redactor.addSecret(result.credential);
  io.logger.info(`${result.replaced ? 'rotated the credential of' : 'added'} client "${id}" in ${file}${result.created ? ' (created, mode 0600)' : ''}; its credential is printed once on stdout`);
  // Not io.emit: it redacts `credential`, and this line exists to show it, once.
  const line = JSON.stringify({ type: 'clientCredential', id, credential: result.credential, t: Math.round(performance.now()) });
  (io.stdout ?? ((s: string) => void process.stdout.write(s)))(`${line}\n`);
  return 0;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${value}")`);
  return Number(value);
}

async function serve(argv: string[], io: BrokerCommandIo): Promise<number> {
  const values = parse(argv, SERVE_FLAGS);
  const port = parsePort(values['port'] as string | undefined);
  const host = (values['host'] as string | undefined) ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host must not be empty');
  const file = values['credentials'] as string | undefined;
  if (!file) throw new UsageError(`--credentials FILE is required (create it with "moontalk-live broker add-client --file FILE --id ID")\n${BROKER_USAGE}`);
  const log = io.logger.child('broker');

  let config;
  try {
    config = await readBrokerConfigFile(file);
  } catch (err) {
    if (err instanceof BrokerConfigError) throw new UsageError(`--credentials ${err.message}`);
    throw err;
  }
  if (process.platform !== 'win32') {
    const mode = (await fs.stat(file)).mode & 0o777;
    if (mode & 0o077) log.warn(`${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it.`);
  }
  if (config.clients.length === 0) log.warn(`${file} has no clients yet: every request will get 401. Add one with "broker add-client".`);

  const baseUrlFlag = values['base-url'] as string | undefined;
  const backend = await resolveBackend({ baseUrl: baseUrlFlag, needsKey: true, env: io.env, logger: io.logger });
  io.redactor.addSecret(backend.apiKey);
  let server: BrokerServer | undefined;
  try {
    if (baseUrlFlag && new URL(baseUrlFlag).protocol === 'http:' && !isLoopbackUrl(baseUrlFlag) && values['allow-insecure-upstream'] !== true) {
      throw new UsageError(`--base-url ${baseUrlFlag}: refusing to send the API key over plain http to a non-loopback host; use https, or pass --allow-insecure-upstream`);
    }
    if (backend.emulator) log.warn('The upstream is the built-in offline emulator: its tokens work only against that emulator. Set GEMINI_API_KEY for real tokens.');
    if (!isLoopbackUrl(`http://${host.includes(':') ? `[${host}]` : host}/`)) {
      log.warn(`Listening on ${host}, not loopback: the broker speaks plain HTTP. Put a TLS proxy in front (docs/broker.md); clients refuse http:// to other hosts unless told otherwise.`);
    }
    server = new BrokerServer({
      config,
      // Capped: a huge upstream answer must not grow the broker (cappedFetch.ts).
      minter: new RestTokenMinter(backend.baseUrl, backend.apiKey!, cappedFetch()),
      clock: systemClock,
      logger: io.logger,
      redactor: io.redactor,
      secrets: backend.apiKey ? [backend.apiKey] : [],
      host,
      port,
    });
    let listening;
    try {
      listening = await server.start();
    } catch (err) {
      throw new UsageError(`--port ${port} / --host ${host}: cannot listen (${errorMessage(err)})`);
    }
    io.emit({ type: 'listening', baseUrl: listening.baseUrl });
    const running = server;
    const reload = () => {
      readBrokerConfigFile(file).then(
        (c) => running.updateConfig(c),
        (err: unknown) => log.error(`reload failed, keeping the previous credentials: ${errorMessage(err)}`),
      );
    };
    await waitForStop(io.stop, reload);
    log.info('stopping');
    return 0;
  } finally {
    await server?.stop();
    await backend.emulator?.stop();
  }
}

/** Resolves on SIGINT/SIGTERM, calling `onReload` on SIGHUP meanwhile (or, given `stop`, when it aborts); removes its listeners. */
function waitForStop(stop: AbortSignal | undefined, onReload: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      process.off('SIGHUP', onReload);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    if (stop) {
      if (stop.aborted) return done();
      stop.addEventListener('abort', done, { once: true });
    } else {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      if (process.platform !== 'win32') process.on('SIGHUP', onReload);
    }
  });
}
