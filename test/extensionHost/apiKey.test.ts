import assert from 'node:assert/strict';
import { secretTag } from '../../src/common/redact';
import { activateExtension } from './support';

describe('Set API Key', () => {
  // The emulator backend (the default) accepts any well-formed key, so the real check runs offline.
  const key = 'AIzaSyTEST-extension-host-0123456789abcd';

  after(async () => {
    const api = await activateExtension();
    await api.deleteApiKey();
  });

  it('checks the key with a real token request and stores it in SecretStorage', async () => {
    const api = await activateExtension();
    await api.deleteApiKey();
    assert.equal(await api.setApiKey(key), 'saved');
    assert.equal(await api.storedApiKeyTag(), secretTag(key));
  });

  it('saves nothing when the input is not a key', async () => {
    const api = await activateExtension();
    await api.deleteApiKey();
    assert.equal(await api.setApiKey('not a key'), 'rejected');
    assert.equal(await api.storedApiKeyTag(), undefined);
  });

  it('keeps the key out of the debug info', async () => {
    const api = await activateExtension();
    await api.setApiKey(key);
    const info = api.session.debugInfo();
    assert.ok(!info.includes(key), 'the key is in the debug JSON');
    JSON.parse(info);
  });
});
