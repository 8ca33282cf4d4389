/**
 * Set API Key checks the key with Gemini whatever the backend (a loopback fake here, through
 * the test-only hook: never the real API), saves only what Gemini accepted, offers the switch
 * from the offline demo, and tells a wrong key from a dead network.
 */
import assert from 'node:assert/strict';
import { secretTag } from '../../src/common/redact';
import { Commands } from '../../src/extension/constants';
import type { MoonTalkTestApi } from '../../src/extension/testApi';
import { deadBaseUrl, startFakeGemini, type FakeGemini } from './fakeGemini';
import { activateExtension } from './support';

describe('Set API Key', () => {
  const key = 'AIzaSyTEST-extension-host-0123456789abcd';
  let api: MoonTalkTestApi;
  let gemini: FakeGemini;

  before(async () => {
    api = await activateExtension();
    gemini = await startFakeGemini(key);
    api.keyCheckTestHooks.geminiBaseUrl = gemini.baseUrl;
  });

  after(async () => {
    api.keyCheckTestHooks.geminiBaseUrl = undefined;
    await api.deleteApiKey();
    await gemini.stop();
  });

  beforeEach(async () => {
    await api.deleteApiKey();
    gemini.quota = false;
    gemini.requests.length = 0;
  });

  it('checks the key with Gemini even on the offline demo, stores it, and offers to switch to Gemini', async () => {
    assert.equal(api.settings.current.backend, 'emulator', 'the suite starts on the default backend');
    assert.equal(await api.setApiKey(key), 'saved');
    assert.deepEqual(gemini.requests, ['GET /v1beta/models'], 'the key was not checked with Gemini');
    assert.equal(await api.storedApiKeyTag(), secretTag(key));
    const message = api.lastApiKeyMessage();
    assert.match(message?.text ?? '', /^Gemini accepted the API key\..*offline demo/);
    assert.deepEqual(message?.actions.map((a) => [a.command, a.args]), [[Commands.switchBackend, ['gemini']]]);
  });

  it('a key Gemini refuses is not saved, and the message says the key is wrong and where to get one', async () => {
    assert.equal(await api.setApiKey('AIzaSyWRONG-0123456789abcdefghijklmnop'), 'rejected');
    assert.equal(await api.storedApiKeyTag(), undefined);
    const message = api.lastApiKeyMessage();
    assert.match(message?.text ?? '', /^Gemini rejected the API key \(HTTP 400\)/);
    assert.ok(message?.actions.some((a) => a.command === 'vscode.open' && a.args?.[0] === 'https://aistudio.google.com/apikey'), 'no Get a Key link');
  });

  it('a dead network is not a wrong key: nothing saved, and the message says the network', async () => {
    api.keyCheckTestHooks.geminiBaseUrl = await deadBaseUrl();
    try {
      assert.equal(await api.setApiKey(key), 'unreachable');
    } finally {
      api.keyCheckTestHooks.geminiBaseUrl = gemini.baseUrl;
    }
    assert.equal(await api.storedApiKeyTag(), undefined);
    assert.match(api.lastApiKeyMessage()?.text ?? '', /^Could not reach Gemini to check the API key .*check the network/);
  });

  it('a quota answer is neither: nothing saved, "try again in a minute"', async () => {
    gemini.quota = true;
    assert.equal(await api.setApiKey(key), 'failed');
    assert.equal(await api.storedApiKeyTag(), undefined);
    assert.match(api.lastApiKeyMessage()?.text ?? '', /quota or rate limit.*try again in a minute/);
  });

  it('saves nothing when the input is not a key (and asks nobody)', async () => {
    assert.equal(await api.setApiKey('not a key'), 'rejected');
    assert.equal(await api.storedApiKeyTag(), undefined);
    assert.deepEqual(gemini.requests, []);
  });

  it('keeps the key out of the debug info', async () => {
    await api.setApiKey(key);
    const info = api.session.debugInfo();
    assert.ok(!info.includes(key), 'the key is in the debug JSON');
    JSON.parse(info);
  });
});
