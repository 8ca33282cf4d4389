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
    const audioOnly = parseBrokerConfig({ clients: [], allowedModels: [MODEL], allowedModalities: ['AUDIO'] });
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

  it('checks contextWindowCompression field by field and copies only the checked fields', () => {
    const base = { model: `models/${MODEL}` };
    const ok = checkTokenRequest(request({ constraints: { ...base, contextWindowCompression: { triggerTokens: '20000', slidingWindow: { targetTokens: 10_000 } } } }), alice, config, NOW);
    assert.ok(ok.ok);
    assert.deepEqual((ok.request.constraints as { contextWindowCompression?: unknown }).contextWindowCompression, { triggerTokens: '20000', slidingWindow: { targetTokens: 10_000 } });
    const empty = checkTokenRequest(request({ constraints: { ...base, contextWindowCompression: { slidingWindow: {} } } }), alice, config, NOW);
    assert.ok(empty.ok);
    const cases: Array<[unknown, string]> = [
      [[], 'constraints.contextWindowCompression'],
      [{ triggerTokens: 1e15 }, 'constraints.contextWindowCompression.triggerTokens'],
      [{ triggerTokens: -1 }, 'constraints.contextWindowCompression.triggerTokens'],
      [{ triggerTokens: '12x' }, 'constraints.contextWindowCompression.triggerTokens'],
      [{ triggerTokens: 1.5 }, 'constraints.contextWindowCompression.triggerTokens'],
      [{ unknown: 1 }, 'constraints.contextWindowCompression.unknown'],
      [{ slidingWindow: 3 }, 'constraints.contextWindowCompression.slidingWindow'],
      [{ slidingWindow: { targetTokens: 0 } }, 'constraints.contextWindowCompression.slidingWindow.targetTokens'],
      [{ slidingWindow: { other: 1 } }, 'constraints.contextWindowCompression.slidingWindow.other'],
      [{ triggerTokens: 1000, slidingWindow: { targetTokens: 1000 } }, 'constraints.contextWindowCompression.slidingWindow.targetTokens'],
    ];
    for (const [cwc, field] of cases) {
      const r = checkTokenRequest(request({ constraints: { ...base, contextWindowCompression: cwc } }), alice, config, NOW);
      assert.ok(!r.ok && r.status === 400 && r.message.includes(field), `${JSON.stringify(cwc)}: ${JSON.stringify(r)}`);
    }
  });

  it('answers 400 naming a field that is not part of a Live setup (403 stays for known fields it will not sign)', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: `models/${MODEL}`, bogus: {} }, 'constraints.bogus'],
      [{ generationConfig: { responseModalities: ['TEXT'], bogus: 1 } }, 'constraints.generationConfig.bogus'],
      [{ sessionResumption: { bogus: 1 } }, 'constraints.sessionResumption.bogus'],
      [{ sessionResumption: 'yes' }, 'constraints.sessionResumption'],
    ];
    for (const [constraints, field] of cases) {
      const r = checkTokenRequest(request({ constraints }), alice, config, NOW);
      assert.ok(!r.ok && r.status === 400 && r.message.includes(field), `${JSON.stringify(constraints)}: ${JSON.stringify(r)}`);
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
    const unlimited = parseBrokerConfig({ clients: [], allowedModels: [MODEL], maxUses: 0 });
    const r = checkTokenRequest(request({ uses: 0 }), alice, unlimited, NOW);
    assert.ok(r.ok && r.request.uses === 0);
  });
});
