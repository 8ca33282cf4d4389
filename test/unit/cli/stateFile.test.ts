import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/cli/cliIo';
import { loadState, openStateFile, saveState, writePrivateFile, type SavedState } from '../../../src/cli/stateFile';

const state = (): SavedState => ({
  version: 1,
  model: 'gemini-3.8-live',
  ledger: {
    handle: 'handle-0123456789',
    coveredThrough: 1,
    nextTurn: 3,
    turns: [
      { turn: 1, origin: 'text', userText: 'hello', answer: 'hi', status: 'complete' },
      { turn: 2, origin: 'text', userText: 'again', answer: '', status: 'sent' },
    ],
  },
  lastConnectionEndedAt: 1_700_000_000_000,
});

describe('CLI state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'mt-state-'));
  });
  afterEach(async () => {
    await fs.chmod(dir, 0o700).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('round-trips a state, mode 0600, and leaves no temp file behind', async () => {
    const file = join(dir, 'state.json');
    await saveState(file, state());
    await saveState(file, state());
    assert.deepEqual(await loadState(file), state());
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await fs.readdir(dir), ['state.json']);
  });

  it('refuses a null turn text at load, naming the file and the field', async () => {
    const file = join(dir, 'state.json');
    const bad = state() as unknown as { ledger: { turns: Array<Record<string, unknown>> } };
    bad.ledger.turns[1]!['userText'] = null;
    await fs.writeFile(file, JSON.stringify(bad));
    await assert.rejects(loadState(file), (err: unknown) => err instanceof UsageError && err.message.includes(file) && err.message.includes('ledger.turns.1.userText'));
  });

  it('refuses other malformed files with the field named (exit 2 as a UsageError)', async () => {
    const file = join(dir, 'state.json');
    const cases: Array<[unknown, string]> = [
      [{ ...state(), version: 2 }, 'version'],
      [{ ...state(), model: '' }, 'model'],
      [{ ...state(), ledger: { ...state().ledger, nextTurn: 'x' } }, 'ledger.nextTurn'],
      [{ ...state(), ledger: { ...state().ledger, turns: [{ ...state().ledger.turns[0], status: 'odd' }] } }, 'ledger.turns.0.status'],
      [{ ...state(), ledger: { ...state().ledger, coveredThrough: 5 } }, 'ledger.coveredThrough'],
      [{ ...state(), ledger: { ...state().ledger, turns: [...state().ledger.turns].reverse() } }, 'ledger.turns.1.turn'],
      [{ ...state(), lastConnectionEndedAt: -1 }, 'lastConnectionEndedAt'],
      [null, '(top level)'],
      [[], 'version'],
    ];
    for (const [value, field] of cases) {
      await fs.writeFile(file, JSON.stringify(value));
      await assert.rejects(loadState(file), (err: unknown) => err instanceof UsageError && err.message.includes(`field ${field}`), `${field}: ${JSON.stringify(value).slice(0, 100)}`);
    }
    await fs.writeFile(file, '{not json');
    await assert.rejects(loadState(file), (err: unknown) => err instanceof UsageError && /not valid JSON/.test(err.message));
  });

  it('never writes through a symlink planted at the old predictable temp name', async () => {
    const file = join(dir, 'state.json');
    const victim = join(dir, 'victim.txt');
    await fs.writeFile(victim, 'untouched');
    const planted = join(dir, `.state.json.${process.pid}.tmp`);
    await fs.symlink(victim, planted);
    await saveState(file, state());
    assert.equal(await fs.readFile(victim, 'utf8'), 'untouched');
    assert.equal(await fs.readlink(planted), victim, 'the planted link itself is left alone');
    assert.deepEqual(await loadState(file), state());
  });

  it('writePrivateFile (token create --save): an existing world-readable file becomes 0600; a link at the name is replaced, not followed', async () => {
    const file = join(dir, 'token.json');
    await fs.writeFile(file, 'old', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    await writePrivateFile(file, '{"t":1}');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.equal(await fs.readFile(file, 'utf8'), '{"t":1}');
    const victim = join(dir, 'victim.txt');
    await fs.writeFile(victim, 'untouched', { mode: 0o644 });
    const link = join(dir, 'linked.json');
    await fs.symlink(victim, link);
    await writePrivateFile(link, '{"t":2}');
    assert.equal(await fs.readFile(victim, 'utf8'), 'untouched');
    assert.equal((await fs.stat(victim)).mode & 0o777, 0o644);
    assert.ok(!(await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readFile(link, 'utf8'), '{"t":2}');
  });

  it('openStateFile: an unwritable folder or a non-file is a UsageError before anything else', async function () {
    if (process.getuid?.() === 0) {
      // root writes anywhere: use a path whose folder does not exist instead.
      await assert.rejects(openStateFile(join(dir, 'missing', 'state.json')), (err: unknown) => err instanceof UsageError && /Cannot write the state file/.test(err.message));
    } else {
      await fs.chmod(dir, 0o500);
      await assert.rejects(openStateFile(join(dir, 'state.json')), (err: unknown) => err instanceof UsageError && /Cannot write the state file/.test(err.message));
      await fs.chmod(dir, 0o700);
    }
    await fs.mkdir(join(dir, 'adir'));
    await assert.rejects(openStateFile(join(dir, 'adir')), (err: unknown) => err instanceof UsageError && /not a regular file/.test(err.message));
    assert.equal(await openStateFile(join(dir, 'new.json')), undefined);
    assert.deepEqual(await fs.readdir(dir), ['adir'], 'the write probe leaves nothing behind');
  });
});
