/**
 * `--state-file F`: the resumption handle and what it covers, so a later run resumes
 * the same session. The handle is a credential: the file is written 0600, atomically.
 *
 * @remarks
 * - Loading checks the whole file against a schema, so a hand-edited or truncated file
 *   fails at once with the file and the field named (exit 2), instead of reaching the
 *   session core: a `null` turn text used to make the CLI wait forever.
 * - Writing goes to a temp file with a random name, created exclusively (`wx`: an
 *   existing file or a planted symlink at that name is an error, never followed) with
 *   mode 0600, then renamed over F. The old name `.F.<pid>.tmp` was predictable, so
 *   another user could plant a symlink there and have the handle written through it.
 * - {@link openStateFile} also proves the folder is writable before anything connects:
 *   a run that cannot save its handle should not start a session it cannot resume.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as v from 'valibot';
import type { LedgerSnapshot } from '../core/turnLedger';
import { UsageError } from './cliIo';

export interface SavedState {
  version: 1;
  model: string;
  ledger: LedgerSnapshot;
  lastConnectionEndedAt?: number;
}

/** Generous bounds: a state file is small, and one far larger than these was not written by us. */
const MAX_TEXT_CHARS = 1_000_000;
const MAX_TURNS = 10_000;
const turnNumber = v.pipe(v.number(), v.integer(), v.minValue(1));

const SavedStateSchema = v.object({
  version: v.literal(1),
  model: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  ledger: v.object({
    handle: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(10_000))),
    coveredThrough: v.pipe(v.number(), v.integer(), v.minValue(0)),
    nextTurn: turnNumber,
    turns: v.pipe(
      v.array(
        v.object({
          turn: turnNumber,
          origin: v.picklist(['text', 'audio']),
          userText: v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARS)),
          answer: v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARS)),
          status: v.picklist(['queued', 'sent', 'complete']),
        }),
      ),
      v.maxLength(MAX_TURNS),
    ),
  }),
  lastConnectionEndedAt: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
});

function invalid(file: string, detail: string): UsageError {
  return new UsageError(`The state file ${file} is not usable: ${detail}. Delete it (or use another --state-file) to start a new session.`);
}

/** Reads and checks F; undefined when it does not exist. Throws a UsageError (exit 2) naming the file and the field. */
export async function loadState(file: string): Promise<SavedState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`Cannot read the state file ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(file, 'it is not valid JSON');
  }
  const result = v.safeParse(SavedStateSchema, value);
  if (!result.success) {
    const issue = result.issues[0];
    const field = (issue && v.getDotPath(issue)) || '(top level)';
    throw invalid(file, `field ${field}: ${issue?.message ?? 'invalid'}`);
  }
  const state = result.output;
  // Cross-field checks the schema cannot express; the core relies on them.
  const { ledger } = state;
  if (ledger.coveredThrough >= ledger.nextTurn) throw invalid(file, `field ledger.coveredThrough: ${ledger.coveredThrough} is not below ledger.nextTurn (${ledger.nextTurn})`);
  for (let i = 0; i < ledger.turns.length; i++) {
    const t = ledger.turns[i]!;
    if (t.turn >= ledger.nextTurn) throw invalid(file, `field ledger.turns.${i}.turn: ${t.turn} is not below ledger.nextTurn (${ledger.nextTurn})`);
    if (i > 0 && t.turn <= ledger.turns[i - 1]!.turn) throw invalid(file, `field ledger.turns.${i}.turn: turns must be in increasing order`);
  }
  return state as SavedState;
}

/** A fresh name next to F, so the rename stays on one file system. */
function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(12).toString('hex')}.tmp`);
}

/** Writes `data` to a new 0600 file that did not exist (never through a symlink), returning its name. */
async function writeExclusive(file: string, data: string): Promise<string> {
  const tmp = tempName(file);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return tmp;
}

export async function saveState(file: string, state: SavedState): Promise<void> {
  await writePrivateFile(file, JSON.stringify(state));
}

/**
 * Replaces `file` with `data`, mode 0600, atomically, never writing through a link: a new
 * temp file (random name, exclusive create) renamed over it. Also for `token create --save`.
 */
export async function writePrivateFile(file: string, data: string): Promise<void> {
  const tmp = await writeExclusive(file, data);
  try {
    // rename replaces F itself (a symlink at F is replaced, not followed).
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * `--state-file` at start: proves F's folder takes a new file (written and removed
 * again) and that F, if present, is a regular file, then loads it. Every failure is a
 * UsageError (exit 2) raised before any connection.
 */
export async function openStateFile(file: string): Promise<SavedState | undefined> {
  await checkPrivateFileLocation(file, '--state-file');
  return loadState(file);
}

/**
 * Before anything connects: `file`, if present, is a regular file, and its folder takes
 * a new file (written and removed again). Every failure is a UsageError (exit 2).
 */
export async function checkPrivateFileLocation(file: string, flag: string): Promise<void> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) throw new UsageError(`${flag} ${file} is not a regular file${stat.isSymbolicLink() ? ' (it is a symbolic link)' : ''}.`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot use ${flag} ${file}: ${(err as Error).message}`);
  }
  try {
    const probe = await writeExclusive(file, '');
    await fs.unlink(probe);
  } catch (err) {
    throw new UsageError(`Cannot write ${flag === '--state-file' ? 'the state file' : `${flag}`} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} in ${path.dirname(path.resolve(file))}. Choose a writable location for ${flag}.`);
  }
}
