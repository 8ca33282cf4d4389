/**
 * A loopback stand-in for Gemini's REST API, for the key check (Set API Key lists the models):
 * `GET /v1beta/models` answers the one good key with a model list, any other key as the service
 * does (400 INVALID_ARGUMENT "API key not valid"), and every request 429 once `quota` is set.
 * It counts the requests, so a test can prove the check went here. Port 0, 127.0.0.1 only.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGemini {
  readonly baseUrl: string;
  /** Requests received (method and path, never the key). */
  readonly requests: string[];
  /** Answer everything with 429 RESOURCE_EXHAUSTED. */
  quota: boolean;
  stop(): Promise<void>;
}

export async function startFakeGemini(goodKey: string): Promise<FakeGemini> {
  const requests: string[] = [];
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const state = { quota: false };
  const server = http.createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push(`${req.method} ${path}`);
    if (state.quota) return send(res, 429, { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } });
    if (req.method !== 'GET' || path !== '/v1beta/models') return send(res, 404, { error: { code: 404, message: 'not here', status: 'NOT_FOUND' } });
    if (req.headers['x-goog-api-key'] !== goodKey) return send(res, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } });
    send(res, 200, { models: [{ name: 'models/gemini-3.8-live', displayName: 'Gemini 3.8 Live', supportedGenerationMethods: ['bidiGenerateContent'] }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeGemini = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get quota() {
      return state.quota;
    },
    set quota(on: boolean) {
      state.quota = on;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A loopback port with nothing listening on it (a dead network, as the key check sees it). */
export async function deadBaseUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
