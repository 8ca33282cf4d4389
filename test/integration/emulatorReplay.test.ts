import assert from 'node:assert/strict';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { LiveTestClient, keyUrl, type ServerFrame } from './support/liveTestClient';
import { frameShape, loadRecordings } from './support/recording';

/**
 * Real traffic (test/fixtures/live-recordings) against the emulator:
 * every client frame recorded is accepted, and every server frame recorded has
 * a shape (key paths) the emulator also produces.
 */
describe('LiveEmulator against recorded real traffic', function () {
  this.timeout(10_000);
  const recordings = loadRecordings();
  let emulator: LiveEmulator;
  let baseUrl: string;
  let clients: LiveTestClient[] = [];

  beforeEach(async () => {
    emulator = new LiveEmulator({ replyChunkDelayMs: 2 });
    ({ baseUrl } = await emulator.start());
  });
  afterEach(async () => {
    for (const c of clients) c.terminate();
    clients = [];
    await emulator.stop();
  });

  /** Replays a recording's client frames; returns the emulator's frames once it has answered (or gone quiet). */
  async function replay(frames: ReturnType<typeof loadRecordings>[number]['frames']): Promise<{ client: LiveTestClient; answered: boolean }> {
    const client = await LiveTestClient.connect(keyUrl(baseUrl, 'k'));
    clients.push(client);
    const clientFrames = frames.filter((f) => f.direction === 'client');
    client.send(clientFrames[0]!.json);
    await client.next((f) => f['setupComplete'] !== undefined);
    for (const f of clientFrames.slice(1)) client.send(rewriteToolPrompt(f.json, clientFrames[0]!.json));
    const expectsReply = frames.some((f) => f.direction === 'server' && f.json['setupComplete'] === undefined);
    let answered = false;
    if (expectsReply) {
      await client.next((f) => f['serverContent']?.['turnComplete'] === true || f['toolCall'] !== undefined, 3000);
      answered = true;
    } else {
      await new Promise((r) => setTimeout(r, 50));
    }
    return { client, answered };
  }

  for (const { name, frames } of recordings) {
    it(`accepts every client frame of ${name.replace('.websocket.log', '')}`, async () => {
      const { client } = await replay(frames);
      assert.equal(client.closed, undefined, `closed: ${JSON.stringify(client.closed)}`);
      const recordedKinds = frames.filter((f) => f.direction === 'server').map((f) => kind(f.json));
      const emulatedKinds = client.frames.map((f) => kind(f.frame));
      // The recorded kinds appear in the same relative order in what the emulator sent.
      let at = 0;
      for (const k of dedupe(recordedKinds)) {
        const found = emulatedKinds.indexOf(k, at);
        assert.ok(found >= 0, `${k} missing after position ${at}: emulator sent ${emulatedKinds.join(',')}`);
        at = found;
      }
    });
  }

  it('produces every server frame shape seen in the recordings', async () => {
    const recorded = new Map<string, string>();
    for (const { name, frames } of recordings) {
      for (const f of frames) if (f.direction === 'server') recorded.set(frameShape(f.json), name);
    }
    const produced = new Set<string>();
    for (const { frames } of recordings) {
      const { client } = await replay(frames);
      if (client.frames.some((f) => f.frame['toolCall'])) {
        const call = client.frames.find((f) => f.frame['toolCall'])!.frame['toolCall']['functionCalls'][0];
        client.send({ toolResponse: { functionResponses: [{ id: call.id, name: call.name, response: { ok: true } }] } });
        await client.next((f) => f['serverContent']?.['turnComplete'] === true);
      }
      for (const f of client.frames) produced.add(frameShape(f.frame));
    }
    for (const [shape, name] of recorded) assert.ok(produced.has(shape), `shape from ${name} not produced: ${shape}`);
  });
});

/**
 * The emulator calls tools only on a `call tool NAME {args}` prompt (the real
 * model decides by itself), so a recorded prompt in a session that declares
 * functions is rewritten to call the first one with the args the real model chose.
 */
function rewriteToolPrompt(frame: Record<string, any>, setupFrame: Record<string, any>): Record<string, any> {
  const declared = setupFrame['setup']?.['tools']?.[0]?.['functionDeclarations']?.[0]?.['name'];
  if (!declared || !frame['clientContent']) return frame;
  return { clientContent: { ...frame['clientContent'], turns: [{ role: 'user', parts: [{ text: `call tool ${declared} {"location":"Redmond, WA"}` }] }] } };
}

function kind(frame: ServerFrame): string {
  const top = Object.keys(frame).filter((k) => k !== 'usageMetadata')[0]!;
  if (top !== 'serverContent') return top;
  const sc = frame['serverContent'];
  if (sc['modelTurn']) return `modelTurn.${Object.keys(sc['modelTurn']['parts'][0])[0]}`;
  return Object.keys(sc)[0]!;
}

function dedupe(kinds: string[]): string[] {
  return kinds.filter((k, i) => i === 0 || kinds[i - 1] !== k);
}
