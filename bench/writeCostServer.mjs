// A WebSocket server and a plain TCP sink in their own process, for handoffAnalysis.ts.
// Sends {ready: {ws, raw}} (their ports); exits on {stop: true} or when the parent goes.
import net from 'node:net';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('connection', (ws) => ws.on('message', () => {}));
await new Promise((r) => wss.once('listening', r));
const sink = net.createServer((s) => s.on('data', () => {}).on('error', () => {}));
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
process.on('message', (m) => {
  if (m && m.stop) process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: { ws: wss.address().port, raw: sink.address().port } });
