/** Reads and checks the broker's credentials file; errors name the file and the field. */
import { promises as fs } from 'node:fs';
import { BrokerConfigError, parseBrokerConfig, type BrokerConfig } from './brokerConfig';

export async function readBrokerConfigFile(path: string): Promise<BrokerConfig> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new BrokerConfigError(path, `cannot read the credentials file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BrokerConfigError(path, 'is not valid JSON');
  }
  try {
    return parseBrokerConfig(raw);
  } catch (err) {
    if (err instanceof BrokerConfigError) throw new BrokerConfigError(`${path}: ${err.field}`, err.message.slice(err.field.length + 2));
    throw err;
  }
}
