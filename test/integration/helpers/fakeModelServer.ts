/**
 * A tiny loopback stand-in for the Live service's model handling, independent of the
 * emulator: it records each `setup` it receives and either refuses the model the way the
 * service does (1008 "models/X is not found … bidiGenerateContent", python-genai issue 362)
 * or accepts it (setupComplete, then a transcription reply per text turn). It also serves
 * `GET /v1beta/models` (ListModels) from a given list, in pages, checking the key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { bareModelId, modelProfile } from '../../../src/core/models';

export interface FakeModel {
  name: string;
  displayName?: string;
  description?: string;
  supportedGenerationMethods: string[];
}

export interface FakeModelServerOptions {
  /** Model ids (without `models/`) whose setup is refused with 1008. */
  refuse?: readonly string[];
  /** What ListModels returns, in pages of `pageSize`. */
  models?: readonly FakeModel[];
  pageSize?: number;
  /** The one key accepted by ListModels (default: any non-empty key). */
  apiKey?: string;
  /** ListModels answers with this status and no body (e.g. 404 for a backend without it). */
  listStatus?: number;
}

export interface FakeModelServer {
  baseUrl: string;
  /** Every setup frame received, in order. */
  setups: Array<Record<string, unknown>>;
  /** Every ListModels request: the page token asked for and how the key came. */
  listRequests: Array<{ pageToken: string | null; keyIn: 'header' | 'query' | 'none' }>;
  stop(): Promise<void>;
}

/** The service's close reason, cut to the 123 bytes a close frame can carry (as the service cuts it). */
export function notFoundReason(model: string): string {
  const full = `models/${model} is not found for API version v1beta, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.`;
  return Buffer.from(full).subarray(0, 123).toString('utf8');
}

export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const setups: Array<Record<string, unknown>> = [];
  const listRequests: FakeModelServer['listRequests'] = [];
  const server: Server = createServer((req, res) => onRequest(req, res));
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/v1beta/models') {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers['x-goog-api-key'];
    const key = typeof header === 'string' ? header : url.searchParams.get('key');
    listRequests.push({ pageToken: url.searchParams.get('pageToken'), keyIn: typeof header === 'string' ? 'header' : url.searchParams.has('key') ? 'query' : 'none' });
    if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }));
      return;
    }
    if (options.listStatus) {
      res.writeHead(options.listStatus).end();
      return;
    }
    const all = options.models ?? [];
    const size = options.pageSize ?? 50;
    const start = Number(url.searchParams.get('pageToken') ?? '0');
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(next ? { models: page, nextPageToken: next } : { models: page }));
  }

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    let turn = 0;
    // Models that report interactionStatus end a turn at IDLE, not at turnComplete alone (models.ts).
    let reportsIdle = false;
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        ws.close(1007, 'Request contains an invalid argument.');
        return;
      }
      if (msg.setup) {
        const setup = msg.setup as Record<string, unknown>;
        setups.push(setup);
        const model = bareModelId(String(setup.model ?? ''));
        reportsIdle = modelProfile(model).reportsInteractionStatus;
        if ((options.refuse ?? []).includes(model)) {
          ws.close(1008, notFoundReason(model));
          return;
        }
        ws.send(JSON.stringify({ setupComplete: {} }));
        return;
      }
      const text =
        (msg.clientContent as { turns?: Array<{ parts?: Array<{ text?: string }> }> } | undefined)?.turns?.at(-1)?.parts?.[0]?.text ??
        (msg.realtimeInput as { text?: string } | undefined)?.text;
      if (text === undefined) return;
      turn++;
      ws.send(JSON.stringify({ serverContent: { outputTranscription: { text: `heard ${turn}: ${text}` } } }));
      ws.send(JSON.stringify({ serverContent: { generationComplete: true } }));
      ws.send(JSON.stringify({ serverContent: reportsIdle ? { turnComplete: true, interactionStatus: 'IDLE' } : { turnComplete: true } }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setups,
    listRequests,
    async stop() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
