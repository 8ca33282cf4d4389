import assert from 'node:assert/strict';
import { parseBrokerConfig, type BrokerConfig } from '../../../src/broker/brokerConfig';
import { checkTokenRequest } from '../../../src/broker/checkTokenRequest';
import { DEFAULT_MODEL } from '../../../src/core/models';

const NOW = Date.UTC(2025, 0, 1);
const MODEL = DEFAULT_MODEL;
const config: BrokerConfig = parseBrokerConfig({
  clients: [],
  allowedModels: [MODEL, 'models/gemini-other'],
  allowedModalities: ['AUDIO', 'TEXT'],
  maxLifetimeS: 600,
  maxNewSessionWindowS: 120,
  maxUses: 2,
});
const alice = { id: 'alice', sha256: 'a'.repeat(64) };
const iso = (ms: number) => new Date(NOW + ms).toISOString();

function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: `models/${MODEL}`,
    uses: 1,
    expireTime: iso(300_000),
    newSessionExpireTime: iso(60_000),
    constraints: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['TEXT'] }, sessionResumption: {} },
    ...overrides,
  };
}

describe('checkTokenRequest', () => {
  it('signs what BrokerTokenMinter asks for, as asked', () => {
    const r = checkTokenRequest(request(), alice, config, NOW);
    assert.ok(r.ok);
    assert.deepEqual(r.request, {
      uses: 1,
      expireTime: iso(300_000),
      newSessionExpireTime: iso(60_000),
      constraints: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['TEXT'] }, sessionResumption: {} },
    });
    assert.deepEqual(r.clamped, []);
  });

  it('always locks the model, and AUDIO when no modality is given', () => {
    const r = checkTokenRequest({ model: 'gemini-other' }, alice, config, NOW);
    assert.ok(r.ok);
    assert.deepEqual(r.request.constraints, { model: 'models/gemini-other', generationConfig: { responseModalities: ['AUDIO'] } });
    // The API's default lifetime (30 min) is past this broker's maximum (10 min): the default shrinks, unflagged.
    assert.equal(r.request.expireTime, iso(600_000));
    assert.equal(r.request.newSessionExpireTime, iso(60_000));
    assert.deepEqual(r.clamped, []);
  });

  it('refuses a model off the allow-list or off the client list with 403', () => {
    const off = checkTokenRequest(request({ model: 'gemini-2.5-pro', constraints: { model: 'models/gemini-2.5-pro' } }), alice, config, NOW);
    assert.deepEqual(off.ok ? undefined : off.status, 403);
    const narrowed = checkTokenRequest(request({ model: 'gemini-other', constraints: {} }), { ...alice, models: [MODEL] }, config, NOW);
    assert.ok(!narrowed.ok && narrowed.status === 403 && /client/.test(narrowed.message));
  });

  it('refuses constraints that ask for something else with 403', () => {
    const cases = [
      { constraints: { model: 'models/gemini-other' } },
      { constraints: { model: `models/${MODEL}`, tools: [{ googleSearch: {} }] } },
      { constraints: { generationConfig: { responseModalities: ['VIDEO'] } } },
      { constraints: { generationConfig: { temperature: 2 } } },
      { constraints: { sessionResumption: { handle: 'h' } } },
    ];
    for (const c of cases) {
      const r = checkTokenRequest(request(c), alice, config, NOW);
      assert.ok(!r.ok && r.status === 403, JSON.stringify(c));
    }
    const audioOnly = parseBrokerConfig({ clients: [], allowedModalities: ['AUDIO'] });
    const r = checkTokenRequest(request(), alice, audioOnly, NOW);
    assert.ok(!r.ok && r.status === 403 && /TEXT/.test(r.message));
  });

  it('answers 400 for malformed fields', () => {
    const cases = [
      'not an object',
      { constraints: 'x' },
      { model: 42 },
      { model: undefined, constraints: {} },
      { uses: -1 },
      { uses: 1.5 },
      { expireTime: 'tomorrow' },
      { expireTime: iso(-1000) },
      { newSessionExpireTime: 5 },
    ];
    for (const c of cases) {
      const r = checkTokenRequest(typeof c === 'string' ? c : request(c), alice, config, NOW);
      assert.ok(!r.ok && r.status === 400, JSON.stringify(c));
    }
  });

  it('clamps lifetime, new-session window and uses to the maximum', () => {
    const r = checkTokenRequest(request({ uses: 0, expireTime: iso(20 * 3_600_000), newSessionExpireTime: iso(3_600_000) }), alice, config, NOW);
    assert.ok(r.ok);
    assert.equal(r.request.expireTime, iso(600_000));
    assert.equal(r.request.newSessionExpireTime, iso(120_000));
    assert.equal(r.request.uses, 2);
    assert.deepEqual(r.clamped, ['uses', 'expireTime', 'newSessionExpireTime']);
  });

  it('keeps the new-session window inside the lifetime', () => {
    const r = checkTokenRequest(request({ expireTime: iso(30_000), newSessionExpireTime: iso(60_000) }), alice, config, NOW);
    assert.ok(r.ok);
    assert.equal(r.request.newSessionExpireTime, iso(30_000));
  });

  it('lets maxUses 0 sign unlimited tokens', () => {
    const unlimited = parseBrokerConfig({ clients: [], maxUses: 0 });
    const r = checkTokenRequest(request({ uses: 0 }), alice, unlimited, NOW);
    assert.ok(r.ok && r.request.uses === 0);
  });
});
