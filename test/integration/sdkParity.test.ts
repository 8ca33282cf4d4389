/**
 * Parity with the official SDK (@google/genai): for the same config, our client and
 * the SDK hit the same endpoint with the credential in the same place, and send the
 * same frames as JSON values. Hand-written frames can then never drift from the SDK.
 */
import assert from 'node:assert/strict';
import { GoogleGenAI, Modality, type Session } from '@google/genai';
import { systemClock } from '../../src/common/clock';
import { nullLogger } from '../../src/common/logger';
import { Redactor } from '../../src/common/redact';
import { createLiveClient } from '../../src/live/liveClient';
import { RestTokenMinter } from '../../src/live/restTokenMinter';
import { endpointOf, startCapturingServer } from './helpers/capturingServer';

const KEY = 'AIzaPARITY-test-key-000000000000000000000';
const MODEL = 'gemini-live-2.5-flash-preview';
const AUDIO = Buffer.from(new Int16Array([0, 1000, -1000, 32767, -32768]).buffer).toString('base64');

async function waitUntil(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('parity with @google/genai on the wire', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startCapturingServer>>;
  before(async () => (server = await startCapturingServer()));
  after(async () => server.stop());
  beforeEach(() => server.reset());

  const config = {
    responseModality: 'TEXT' as const,
    systemInstruction: 'Answer briefly.',
    compression: { enabled: true, triggerTokens: 25_000, compressionRatio: 0.5, useSlidingWindow: true },
  };

  async function sdkFrames(apiKey: string, apiVersion?: string): Promise<{ url: string; frames: unknown[] }> {
    const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: server.baseUrl, ...(apiVersion ? { apiVersion } : {}) } });
    const session: Session = await ai.live.connect({
      model: MODEL,
      config: {
        responseModalities: [Modality.TEXT],
        systemInstruction: config.systemInstruction,
        sessionResumption: {},
        contextWindowCompression: { triggerTokens: '25000', slidingWindow: { targetTokens: '12500' } },
      },
      callbacks: { onmessage: () => {}, onerror: () => {}, onclose: () => {} },
    });
    session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'hello parity' }] }], turnComplete: true });
    session.sendRealtimeInput({ audio: { data: AUDIO, mimeType: 'audio/pcm;rate=16000' } });
    session.sendToolResponse({ functionResponses: [{ id: 'function-call-1', name: 'getStatus', response: { mood: 'happy' } }] });
    await waitUntil(() => server.captured.frames.length >= 4, 'SDK frames');
    session.close();
    const result = { url: server.captured.upgrades[0]!.url, frames: [...server.captured.frames] };
    server.reset();
    return result;
  }

  async function ourFrames(auth: { mode: 'key'; apiKey: string } | { mode: 'token'; apiKey: string }): Promise<{ url: string; frames: unknown[] }> {
    const client = createLiveClient({
      baseUrl: server.baseUrl,
      auth,
      clock: systemClock,
      logger: nullLogger,
      redactor: new Redactor(),
      session: { setup: { model: MODEL, responseModality: config.responseModality, systemInstruction: config.systemInstruction }, compression: config.compression },
    });
    await client.session.connect();
    client.session.sendText('hello parity');
    client.session.sendAudio(AUDIO);
    client.session.sendToolResponse([{ id: 'function-call-1', name: 'getStatus', response: { mood: 'happy' } }]);
    await waitUntil(() => server.captured.frames.length >= 4, 'our frames');
    await client.session.close();
    const upgrade = server.captured.upgrades.at(-1)!;
    const result = { url: upgrade.url, frames: [...server.captured.frames] };
    server.reset();
    return result;
  }

  it('uses the same key endpoint and sends the same setup, clientContent, realtimeInput and toolResponse', async () => {
    const sdk = await sdkFrames(KEY);
    const ours = await ourFrames({ mode: 'key', apiKey: KEY });
    assert.deepEqual(endpointOf(ours.url), endpointOf(sdk.url));
    assert.equal(endpointOf(ours.url).query.key, KEY, 'the key travels only as key= on the WebSocket URL');
    assert.deepEqual(ours.frames, sdk.frames);
  });

  it('puts an ephemeral token where the SDK does: access_token on the Constrained endpoint', async () => {
    const token = 'auth_tokens/capturedTokenName0123456789abcdef';
    const sdk = await sdkFrames(token, 'v1alpha');
    // Our token mode mints first (captured as REST), then connects with the token.
    const ours = await ourFrames({ mode: 'token', apiKey: KEY });
    assert.deepEqual(endpointOf(ours.url), endpointOf(sdk.url));
    assert.equal(endpointOf(ours.url).query.access_token, token);
    assert.ok(!ours.url.includes(KEY), 'the key never reaches the WebSocket in token mode');
    assert.ok(/access_token=auth_tokens\//.test(ours.url), 'the token slash is not percent-encoded');
    assert.deepEqual(ours.frames, sdk.frames);
  });

  it('mints tokens with the same REST call and body as ai.authTokens.create', async () => {
    const expireTime = '2026-11-26T23:30:00.000Z';
    const newSessionExpireTime = '2026-11-26T23:01:00.000Z';
    const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.baseUrl, apiVersion: 'v1alpha' } });
    await ai.authTokens.create({
      config: {
        uses: 1,
        expireTime,
        newSessionExpireTime,
        liveConnectConstraints: { model: MODEL, config: { responseModalities: [Modality.AUDIO], sessionResumption: {} } },
      },
    });
    const sdk = server.captured.rest[0]!;
    server.reset();
    await new RestTokenMinter(server.baseUrl, KEY).mint({
      uses: 1,
      expireTime,
      newSessionExpireTime,
      constraints: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['AUDIO' as never] }, sessionResumption: {} },
    });
    const ours = server.captured.rest[0]!;
    assert.equal(ours.method, sdk.method);
    assert.deepEqual(endpointOf(ours.url), endpointOf(sdk.url));
    assert.equal(ours.headers['x-goog-api-key'], KEY);
    assert.equal(sdk.headers['x-goog-api-key'], KEY);
    assert.deepEqual(ours.body, sdk.body);
  });
});
