/**
 * A loopback server that records what a client sends: WebSocket upgrade URLs and
 * frames, and REST requests. It answers just enough for a client to proceed
 * (setupComplete; a token name), so two clients can be compared frame for frame.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Captured {
  upgrades: Array<{ url: string; headers: http.IncomingHttpHeaders }>;
  frames: unknown[];
  rest: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }>;
}

export async function startCapturingServer(): Promise<{ baseUrl: string; captured: Captured; reset(): void; stop(): Promise<void> }> {
  const captured: Captured = { upgrades: [], frames: [], rest: [] };
  const sockets = new Set<WebSocket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      captured.rest.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body ? JSON.parse(body) : undefined });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ name: 'auth_tokens/capturedTokenName0123456789abcdef' }));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    captured.upgrades.push({ url: req.url ?? '', headers: req.headers });
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        captured.frames.push(frame);
        if (frame.setup) ws.send(JSON.stringify({ setupComplete: {} }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    captured,
    reset() {
      captured.upgrades.length = 0;
      captured.frames.length = 0;
      captured.rest.length = 0;
    },
    async stop() {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Path with runs of slashes folded (the SDK sends `//ws/…`), and the query parsed by hand. */
export function endpointOf(url: string): { path: string; query: Record<string, string> } {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+/g, '/');
  const query: Record<string, string> = {};
  for (const pair of (q < 0 ? '' : url.slice(q + 1)).split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    query[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
  }
  return { path, query };
}
