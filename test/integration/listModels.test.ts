/** The ListModels client (src/live/listModels.ts) against a loopback fake of `GET /v1beta/models`. */
import assert from 'node:assert/strict';
import { isMoonTalkError } from '../../src/common/errors';
import { DEFAULT_MODEL, findLiveModel } from '../../src/core/models';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { joinWithTable, listLiveModels, tableChoices } from '../../src/live/listModels';
import { startFakeModelServer, type FakeModel } from './helpers/fakeModelServer';

const KEY = 'AIzaListModels-fake-key-77aa66bb55cc';
const live = (name: string, displayName?: string): FakeModel => ({ name: `models/${name}`, displayName, supportedGenerationMethods: ['bidiGenerateContent', 'countTokens'] });
const notLive = (name: string): FakeModel => ({ name: `models/${name}`, supportedGenerationMethods: ['generateContent', 'countTokens'] });

describe('ListModels client', () => {
  it('follows every page, keeps only bidiGenerateContent models, and sends the key only as a header', async () => {
    const models = [
      notLive('gemini-3-pro'),
      live('gemini-3.1-flash-live-preview'),
      live('gemini-3.8-live', 'Gemini 3.8 Live'),
      notLive('text-embedding-005'),
      live('gemini-4-live-experimental', 'Gemini 4 Live (experimental)'),
      live('gemini-3.8-live-extended-thinking'),
      live('gemini-3.5-transcribe-live'),
    ];
    const fake = await startFakeModelServer({ models, pageSize: 2, apiKey: KEY });
    try {
      const served = await listLiveModels({ baseUrl: `${fake.baseUrl}/`, apiKey: KEY });
      assert.deepEqual(
        served.map((m) => m.id),
        ['gemini-3.1-flash-live-preview', 'gemini-3.8-live', 'gemini-4-live-experimental', 'gemini-3.8-live-extended-thinking', 'gemini-3.5-transcribe-live'],
      );
      assert.equal(served.find((m) => m.id === 'gemini-4-live-experimental')?.displayName, 'Gemini 4 Live (experimental)');
      assert.deepEqual(fake.listRequests.map((r) => r.pageToken), [null, '2', '4', '6']);
      assert.ok(fake.listRequests.every((r) => r.keyIn === 'header'));
    } finally {
      await fake.stop();
    }
  });

  it('stops at maxPages instead of following pages forever', async () => {
    const fake = await startFakeModelServer({ models: Array.from({ length: 10 }, (_v, i) => live(`m-${i}`)), pageSize: 1 });
    try {
      const served = await listLiveModels({ baseUrl: fake.baseUrl, apiKey: KEY, maxPages: 3 });
      assert.equal(served.length, 3);
      assert.equal(fake.listRequests.length, 3);
    } finally {
      await fake.stop();
    }
  });

  it('turns a refused key, a missing endpoint and an unreachable server into reasons', async () => {
    const fake = await startFakeModelServer({ models: [], apiKey: KEY });
    const missing = await startFakeModelServer({ listStatus: 404 });
    try {
      await assert.rejects(listLiveModels({ baseUrl: fake.baseUrl, apiKey: 'AIzaWRONG-key-0000000000' }), (e: unknown) => isMoonTalkError(e, 'badKey'));
      await assert.rejects(listLiveModels({ baseUrl: missing.baseUrl, apiKey: KEY }), (e: unknown) => isMoonTalkError(e, 'serverError') && e.details.code === 404);
    } finally {
      await fake.stop();
      await missing.stop();
    }
    // Port 9 on loopback: nothing listens (connection refused at once).
    await assert.rejects(listLiveModels({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, timeoutMs: 2_000 }), (e: unknown) => isMoonTalkError(e, 'network'));
  });

  it("reads the emulator's ListModels: the default is served, no shut-down model is, and a wrong key is refused", async () => {
    const emulator = new LiveEmulator({ apiKey: KEY });
    const { baseUrl } = await emulator.start();
    try {
      const served = await listLiveModels({ baseUrl, apiKey: KEY });
      assert.ok(served.some((m) => m.id === DEFAULT_MODEL), JSON.stringify(served));
      assert.ok(!served.some((m) => findLiveModel(m.id)?.status.kind === 'shutDown'), JSON.stringify(served));
      assert.equal(joinWithTable(served)[0]!.id, DEFAULT_MODEL);
      await assert.rejects(listLiveModels({ baseUrl, apiKey: 'AIzaWRONG-key-0000000000' }), (e: unknown) => isMoonTalkError(e, 'badKey'));
    } finally {
      await emulator.stop();
    }
  });

  it('joins with the table: default first, known status and replacement, unknown names kept, special-purpose last', () => {
    const choices = joinWithTable(
      [
        { id: 'gemini-3.5-transcribe-live' },
        { id: 'gemini-4-live-experimental', displayName: 'Gemini 4 Live (experimental)' },
        { id: 'gemini-3.1-flash-live-preview' },
        { id: 'gemini-2.5-flash-native-audio-latest' },
        { id: DEFAULT_MODEL },
      ],
      'gemini-live-2.5-flash-preview',
    );
    assert.deepEqual(
      choices.map((c) => c.id),
      [DEFAULT_MODEL, 'gemini-3.1-flash-live-preview', 'gemini-2.5-flash-native-audio-latest', 'gemini-4-live-experimental', 'gemini-3.5-transcribe-live', 'gemini-live-2.5-flash-preview'],
    );
    const legacy = choices.find((c) => c.id === 'gemini-3.1-flash-live-preview')!;
    assert.equal(legacy.status?.kind, 'legacy');
    assert.equal(legacy.status?.replacement, DEFAULT_MODEL);
    const alias = choices.find((c) => c.id === 'gemini-2.5-flash-native-audio-latest')!;
    assert.equal(alias.status?.kind, 'deprecated', 'an alias gets its model row');
    const unknown = choices.find((c) => c.id === 'gemini-4-live-experimental')!;
    assert.equal(unknown.known, false);
    assert.equal(unknown.label, 'Gemini 4 Live (experimental)');
    const current = choices.at(-1)!;
    assert.equal(current.served, false);
    assert.equal(current.status?.kind, 'shutDown');
  });

  it('offers the table without the shut-down models when no list is available', () => {
    const ids = tableChoices().map((c) => c.id);
    assert.ok(ids.includes(DEFAULT_MODEL));
    assert.ok(!ids.includes('gemini-2.0-flash-live-001'));
    assert.ok(!ids.includes('gemini-live-2.5-flash-preview'));
  });
});
