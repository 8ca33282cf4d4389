import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addClientToFile } from '../../../src/broker/addClientToFile';
import { BROKER_CONFIG_DEFAULTS, BrokerConfigError, parseBrokerConfig } from '../../../src/broker/brokerConfig';
import { credentialMatches } from '../../../src/broker/credentialHash';
import { readBrokerConfigFile } from '../../../src/broker/readBrokerConfigFile';
import { DEFAULT_MODEL } from '../../../src/core/models';

const HASH = 'a'.repeat(64);

describe('broker credentials file', () => {
  it('fills in the documented defaults', () => {
    const c = parseBrokerConfig({ clients: [{ id: 'alice', sha256: HASH }] });
    assert.deepEqual({ ...c, clients: undefined }, { ...BROKER_CONFIG_DEFAULTS, clients: undefined });
    assert.deepEqual(BROKER_CONFIG_DEFAULTS, {
      allowedModels: [DEFAULT_MODEL],
      allowedModalities: ['AUDIO', 'TEXT'],
      maxLifetimeS: 1800,
      maxNewSessionWindowS: 300,
      maxUses: 1,
      ratePerMinute: 10,
    });
  });

  it('names the bad field', () => {
    const cases: Array<[unknown, string]> = [
      [[], '(file)'],
      [{}, 'clients'],
      [{ clients: [{ id: 'a b', sha256: HASH }] }, 'clients[0].id'],
      [{ clients: [{ id: 'a', sha256: 'xyz' }] }, 'clients[0].sha256'],
      [{ clients: [{ id: 'a', sha256: HASH }, { id: 'a', sha256: 'b'.repeat(64) }] }, 'clients[1].id'],
      [{ clients: [{ id: 'a', sha256: HASH }, { id: 'b', sha256: HASH }] }, 'clients[1].sha256'],
      [{ clients: [{ id: 'a', sha256: HASH, models: 'x' }] }, 'clients[0].models'],
      [{ clients: [], allowedModalities: ['VIDEO'] }, 'allowedModalities'],
      [{ clients: [], maxLifetimeS: 72_001 }, 'maxLifetimeS'],
      [{ clients: [], ratePerMinute: 0 }, 'ratePerMinute'],
      [{ clients: [], maxUses: -1 }, 'maxUses'],
    ];
    for (const [raw, field] of cases) {
      assert.throws(() => parseBrokerConfig(raw), (err: unknown) => err instanceof BrokerConfigError && err.field === field, JSON.stringify(raw));
    }
  });

  describe('addClientToFile', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(join(tmpdir(), 'mt-broker-'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('creates the file with mode 0600 and stores only the hash', async () => {
      const file = join(dir, 'creds.json');
      const r = await addClientToFile(file, 'alice');
      assert.equal(r.created, true);
      assert.match(r.credential, /^mtb_/);
      const text = await fs.readFile(file, 'utf8');
      assert.ok(!text.includes(r.credential), 'the credential itself is never stored');
      if (process.platform !== 'win32') assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      const config = await readBrokerConfigFile(file);
      assert.equal(config.clients.length, 1);
      assert.ok(credentialMatches(r.credential, config.clients[0]!.sha256));
      assert.equal(config.maxLifetimeS, 1800);
    });

    it('adds a second client, refuses a duplicate id, rotates with replace', async () => {
      const file = join(dir, 'creds.json');
      const a = await addClientToFile(file, 'alice');
      await addClientToFile(file, 'bob', { models: ['gemini-live-2.5-flash-preview'] });
      await assert.rejects(addClientToFile(file, 'alice'), (err: unknown) => err instanceof BrokerConfigError && err.field === '--id');
      const a2 = await addClientToFile(file, 'alice', { replace: true });
      assert.equal(a2.replaced, true);
      const config = await readBrokerConfigFile(file);
      assert.deepEqual(config.clients.map((c) => c.id), ['alice', 'bob']);
      assert.ok(!credentialMatches(a.credential, config.clients[0]!.sha256), 'the old credential no longer works');
      assert.ok(credentialMatches(a2.credential, config.clients[0]!.sha256));
      assert.deepEqual(config.clients[1]!.models, ['gemini-live-2.5-flash-preview']);
      assert.deepEqual(await fs.readdir(dir), ['creds.json'], 'no temporary files left');
    });

    it('refuses a bad id and leaves a broken file alone', async () => {
      const file = join(dir, 'creds.json');
      await assert.rejects(addClientToFile(file, 'no spaces'), BrokerConfigError);
      await fs.writeFile(file, '{not json');
      await assert.rejects(addClientToFile(file, 'alice'), BrokerConfigError);
      assert.equal(await fs.readFile(file, 'utf8'), '{not json');
    });
  });
});
