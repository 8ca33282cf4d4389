/**
 * `broker add-client`: makes a credential, stores only its hash in the credentials
 * file, and hands the credential back to be shown once. The file is created with the
 * policy defaults when missing, kept at mode 0600, and replaced atomically (write a
 * temporary file beside it, then rename), so a running broker never reads half a file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BROKER_CONFIG_DEFAULTS, BrokerConfigError, isValidClientId, parseBrokerConfig } from './brokerConfig';
import { generateCredential, hashCredential } from './credentialHash';

export interface AddClientOptions {
  /** Narrow this client to these models (see BrokerClient.models). */
  models?: string[];
  /** Rotate: replace the credential of an existing client instead of refusing. */
  replace?: boolean;
  /** For tests: the source of random bytes. */
  random?: (n: number) => Buffer;
}

export interface AddClientResult {
  id: string;
  /** The only copy of the credential: show it once, never store or log it. */
  credential: string;
  created: boolean;
  replaced: boolean;
}

export async function addClientToFile(path: string, id: string, options: AddClientOptions = {}): Promise<AddClientResult> {
  if (!isValidClientId(id)) throw new BrokerConfigError('--id', 'must be 1-64 of A-Z a-z 0-9 . _ @ -');
  let raw: Record<string, unknown>;
  let created = false;
  try {
    raw = JSON.parse(await fs.readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      raw = { clients: [], ...BROKER_CONFIG_DEFAULTS };
      created = true;
    } else if (err instanceof SyntaxError) {
      throw new BrokerConfigError(path, 'is not valid JSON');
    } else {
      throw new BrokerConfigError(path, `cannot read the credentials file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  // Check the whole file first: never write back a file the broker would refuse.
  parseBrokerConfig(raw);
  const clients = raw['clients'] as Array<Record<string, unknown>>;
  const index = clients.findIndex((c) => c['id'] === id);
  if (index >= 0 && !options.replace) throw new BrokerConfigError('--id', `client "${id}" already exists (use --replace to rotate its credential)`);
  const credential = generateCredential(options.random);
  const entry: Record<string, unknown> = { ...(index >= 0 ? clients[index] : {}), id, sha256: hashCredential(credential) };
  if (options.models) entry['models'] = options.models;
  if (index >= 0) clients[index] = entry;
  else clients.push(entry);
  parseBrokerConfig(raw);
  await writePrivateFile(path, `${JSON.stringify(raw, null, 2)}\n`);
  return { id, credential, created, replaced: index >= 0 };
}

async function writePrivateFile(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await fs.chmod(tmp, 0o600); // the umask may have narrowed it further, never widened; be exact
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
