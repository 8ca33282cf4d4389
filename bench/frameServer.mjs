// A Live API stand-in for the CPU benchmark, in its own process so its work is not
// counted against the client. Each user turn is answered with CHUNKS text frames,
// generationComplete, turnComplete + usage, and a resumption update.
import { WebSocketServer } from 'ws';
import { createServer } from 'node:http';

const chunks = Number(process.env.CHUNKS ?? 48);
const server = createServer();
const wss = new WebSocketServer({ server });
const text = (i) => JSON.stringify({ serverContent: { modelTurn: { parts: [{ text: `chunk ${i} of a streamed model answer, about this long. ` }] } } });
const done = [
  JSON.stringify({ serverContent: { generationComplete: true } }),
  JSON.stringify({
    serverContent: { turnComplete: true },
    usageMetadata: { promptTokenCount: 515, responseTokenCount: 31, totalTokenCount: 546, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 515 }] },
  }),
];
let handle = 0;
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.setup) ws.send(JSON.stringify({ setupComplete: {} }));
    else if (msg.clientContent?.turnComplete) {
      for (let i = 0; i < chunks; i++) ws.send(text(i));
      for (const d of done) ws.send(d);
      ws.send(JSON.stringify({ sessionResumptionUpdate: { newHandle: `bench-handle-${++handle}`, resumable: true } }));
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
