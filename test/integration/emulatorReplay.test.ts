import assert from 'node:assert/strict';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { LiveTestClient, keyUrl, type ServerFrame } from './support/liveTestClient';
import { frameShape, loadRecordings } from './support/recording';

/**
 * Real traffic (test/fixtures/live-recordings) against the emulator:
 * every client frame recorded is accepted, and every server frame recorded has
 * a shape (key paths) the emulator also produces.
 *
 * The recordings were made with `gemini-live-2.5-flash-preview`, shut down 2025-12-09
 * (deprecations page): the emulator now refuses that model with 1008, as the service
 * does. The traffic is replayed on the current model with the same wire habits, with
 * only the changes that model requires (see {@link portToCurrentModel}).
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
    const clientFrames = frames.filter((f) => f.direction === 'client').map((f) => f.json);
    const setup = clientFrames[0]!;
    client.send(portToCurrentModel(setup, setup));
    await client.next((f) => f['setupComplete'] !== undefined);
    for (const f of clientFrames.slice(1)) client.send(portToCurrentModel(rewriteToolPrompt(f, setup), setup));
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

  it('refuses the recorded (shut-down) model with 1008 "not found", as the service now does (python-genai issue 362)', async () => {
    for (const { frames } of recordings) {
      const client = await LiveTestClient.connect(keyUrl(baseUrl, 'k'));
      clients.push(client);
      client.send(frames.find((f) => f.direction === 'client')!.json);
      const closed = await client.waitClose();
      assert.equal(closed.code, 1008);
      assert.match(closed.reason, /^models\/gemini-live-2\.5-flash-preview is not found for API version v1beta/);
    }
  });

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

/**
 * The recorded session, moved to the current model closest to the recorded one:
 * - TEXT sessions → `gemini-3.1-flash-live-preview` (the current model that answers in
 *   TEXT); its user text goes as `realtimeInput.text` (clientContent only seeds history:
 *   model page, livekit/agents PR 5251);
 * - AUDIO sessions → `gemini-2.5-flash-native-audio-preview-12-2025` (one part per event
 *   and BLOCKING tools, like the recordings);
 * - the deprecated `realtimeInput.mediaChunks` → `realtimeInput.audio` (refused by every current model).
 */
function portToCurrentModel(frame: Record<string, any>, setupFrame: Record<string, any>): Record<string, any> {
  const text = setupFrame['setup']?.['generationConfig']?.['responseModalities']?.[0] === 'TEXT';
  if (frame['setup']) {
    return { setup: { ...frame['setup'], model: text ? 'models/gemini-3.1-flash-live-preview' : 'models/gemini-2.5-flash-native-audio-preview-12-2025' } };
  }
  const cc = frame['clientContent'];
  if (text && cc) {
    const said = (cc['turns'] ?? []).flatMap((t: any) => t['parts'] ?? []).map((p: any) => p['text'] ?? '').join('');
    return { realtimeInput: { text: said } };
  }
  const media = frame['realtimeInput']?.['mediaChunks'];
  if (media) {
    const { mediaChunks: _dropped, ...rest } = frame['realtimeInput'];
    return { realtimeInput: { ...rest, audio: media[0] } };
  }
  return frame;
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
