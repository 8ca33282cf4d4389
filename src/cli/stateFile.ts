/**
 * `--state-file F`: the resumption handle and what it covers, so a later run resumes
 * the same session. The handle is a credential: the file is written 0600, atomically.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LedgerSnapshot } from '../core/turnLedger';

export interface SavedState {
  version: 1;
  model: string;
  ledger: LedgerSnapshot;
  lastConnectionEndedAt?: number;
}

export async function loadState(file: string): Promise<SavedState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read the state file ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The state file ${file} is not valid JSON; delete it to start a new session.`);
  }
  const v = value as Partial<SavedState>;
  if (v.version !== 1 || !v.ledger || typeof v.ledger.nextTurn !== 'number' || !Array.isArray(v.ledger.turns)) {
    throw new Error(`The state file ${file} has an unknown format; delete it to start a new session.`);
  }
  return v as SavedState;
}

export async function saveState(file: string, state: SavedState): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await fs.rename(tmp, file);
  await fs.chmod(file, 0o600);
}
