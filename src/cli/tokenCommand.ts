/**
 * `moontalk-live token create [--save F]` and `moontalk-live token status [F]`:
 * mint an ephemeral token with the key from the environment and print its status.
 * Never prints the key or a whole token name.
 */
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../common/clock';
import { errorMessage, isMoonTalkError } from '../common/errors';
import { DEFAULT_MODEL } from '../core/defaults';
import { DEFAULT_SESSION_OPTIONS } from '../core/liveSession';
import { DEFAULT_TOKEN_POLICY, parseMintedToken, tokenStatus, TokenCredentials, type EphemeralToken } from '../core/tokens';
import { tokenConstraints } from '../live/liveClient';
import { RestTokenMinter } from '../live/restTokenMinter';
import { resolveBackend } from './backend';
import { UsageError, type CliIo } from './cliIo';
import { checkPrivateFileLocation, writePrivateFile } from './stateFile';
import { EXIT } from './chatCommand';
import { planModel } from './modelOptions';
import { didYouMean, withFlagHint } from './cliHelp';

const FLAGS = {
  'base-url': { type: 'string' },
  model: { type: 'string' },
  uses: { type: 'string' },
  'expire-s': { type: 'string' },
  'new-session-expire-s': { type: 'string' },
  save: { type: 'string' },
  text: { type: 'boolean' },
} as const;

/** What `token create --save` writes: the token and its bookkeeping, versioned. */
type SavedToken = { version: 1 } & EphemeralToken;

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number (got "${value}")`);
  return Number(value);
}

export async function runToken(argv: string[], io: CliIo & { env: NodeJS.ProcessEnv }): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'status') return runStatus(rest, io);
  if (sub !== 'create') {
    const hint = sub === undefined ? undefined : didYouMean(sub, ['create', 'status']);
    throw new UsageError(`${hint ? `unknown token subcommand "${sub}"; did you mean "${hint}"?\n` : ''}usage: moontalk-live token create [--save FILE] | token status FILE`);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(withFlagHint(errorMessage(err), Object.keys(FLAGS)));
  }
  const uses = nonNegativeInt('uses', values.uses as string | undefined) ?? DEFAULT_TOKEN_POLICY.uses;
  const expireS = nonNegativeInt('expire-s', values['expire-s'] as string | undefined);
  const newSessionS = nonNegativeInt('new-session-expire-s', values['new-session-expire-s'] as string | undefined);
  const model = (values.model as string | undefined) ?? DEFAULT_MODEL;
  // The token locks the setup: ask what the model takes (`--text` on a model that only speaks
  // is AUDIO with transcription, as in chat), and warn about a shut-down model before minting.
  const modelPlan = planModel({ model, text: !!values.text });
  for (const warning of modelPlan.warnings) io.logger.warn(warning);
  const backend = await resolveBackend({ baseUrl: values['base-url'] as string | undefined, needsKey: true, env: io.env, logger: io.logger });
  try {
    io.redactor.addSecret(backend.apiKey);
    const options = { ...DEFAULT_SESSION_OPTIONS, setup: modelPlan.setup };
    const tokens = new TokenCredentials(
      new RestTokenMinter(backend.baseUrl, backend.apiKey!),
      systemClock,
      () => tokenConstraints(options),
      {
        ...DEFAULT_TOKEN_POLICY,
        uses,
        lifetimeMs: expireS !== undefined ? expireS * 1000 : DEFAULT_TOKEN_POLICY.lifetimeMs,
        newSessionWindowMs: newSessionS !== undefined ? newSessionS * 1000 : DEFAULT_TOKEN_POLICY.newSessionWindowMs,
      },
      (name) => io.redactor.addRotatingSecret(name),
    );
    // A token that cannot be saved should not be minted: check the location first (exit 2).
    if (values.save) await checkPrivateFileLocation(values.save as string, '--save');
    let token: EphemeralToken;
    try {
      token = await tokens.mint('first');
    } catch (err) {
      io.logger.error(errorMessage(err));
      return isMoonTalkError(err, 'badKey') ? EXIT.refused : EXIT.fatal;
    }
    if (values.save) {
      const saved: SavedToken = { version: 1, ...token };
      // Atomic and never through a link (a plain writeFile followed one, and kept an existing file's mode).
      await writePrivateFile(values.save as string, JSON.stringify(saved));
      io.logger.info(`saved the token to ${values.save} (mode 0600)`);
    }
    io.emit({ type: 'tokenStatus', ...tokens.status() });
    return EXIT.ok;
  } finally {
    await backend.emulator?.stop();
  }
}

async function runStatus(argv: string[], io: CliIo): Promise<number> {
  if (argv.length !== 1) throw new UsageError('usage: moontalk-live token status FILE (a file written by token create --save)');
  const file = argv[0]!;
  let saved: SavedToken;
  try {
    saved = JSON.parse(await fs.readFile(file, 'utf8')) as SavedToken;
  } catch (err) {
    throw new UsageError(`Cannot read the token file ${file}: ${errorMessage(err)}`);
  }
  if (saved.version !== 1 || typeof saved.name !== 'string') throw new UsageError(`${file} is not a token file written by token create --save`);
  io.redactor.addRotatingSecret(saved.name);
  const token = parseMintedToken(
    { name: saved.name, expireTime: new Date(saved.expiresAt).toISOString(), newSessionExpireTime: new Date(saved.newSessionExpiresAt).toISOString(), uses: saved.uses },
    { uses: saved.uses, expireTime: '', newSessionExpireTime: '', constraints: {} },
    saved.mintedAt,
  );
  token.usesConsumed = saved.usesConsumed ?? 0;
  io.emit({ type: 'tokenStatus', ...tokenStatus(token, Date.now()) });
  return EXIT.ok;
}
