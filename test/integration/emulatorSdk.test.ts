import assert from 'node:assert/strict';
import { GoogleGenAI, Modality, type LiveServerMessage } from '@google/genai';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { useSdkSessions } from './helpers/sdkSessions';

/**
 * The official SDK, unchanged, against the emulator: the same URLs, frames
 * and token REST calls it would make to the real service.
 */
describe('LiveEmulator with the official @google/genai SDK', function () {
  this.timeout(10_000);
  // 3.1 is the current model that answers in TEXT; every profile has its own SDK test in emulatorModels.test.ts.
  const MODEL = 'gemini-3.1-flash-live-preview';
  let emulator: LiveEmulator;
  let baseUrl: string;
  // Registered first: its afterEach closes the sessions before the emulator stops.
  const sdk = useSdkSessions();

  /** Collects every message; `waitFor` resolves on the first match, bounded. */
  class Inbox {
    readonly messages: LiveServerMessage[] = [];
    closeCode: number | undefined;
    private waiters: Array<() => void> = [];
    readonly callbacks = {
      onmessage: (m: LiveServerMessage) => {
        this.messages.push(m);
        this.wake();
      },
      onclose: (e: { code: number }) => {
        this.closeCode = e.code;
        this.wake();
      },
      onerror: () => {},
    };
    async waitFor(predicate: (m: LiveServerMessage) => boolean, timeoutMs = 3000): Promise<LiveServerMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = this.messages.find(predicate);
        if (found) return found;
        if (Date.now() >= deadline) throw new Error('timed out waiting for a message');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, deadline - Date.now());
          this.waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    }
    text(): string {
      return this.messages.map((m) => m.text ?? '').join('');
    }
    private wake(): void {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }

  async function start(options: ConstructorParameters<typeof LiveEmulator>[0] = {}): Promise<void> {
    emulator = new LiveEmulator({ replyChunkDelayMs: 5, ...options });
    ({ baseUrl } = await emulator.start());
  }

  afterEach(async () => {
    await emulator.stop();
  });

  it('answers a text turn and resumes with the handle the SDK reports', async () => {
    await start();
    const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
    const inbox = new Inbox();
    const session = await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT], sessionResumption: {} }, callbacks: inbox.callbacks });
    sdk.track(session);
    session.sendRealtimeInput({ text: 'remember the moon' });
    await inbox.waitFor((m) => m.serverContent?.turnComplete === true);
    assert.equal(inbox.text(), 'You said: remember the moon');
    const usage = inbox.messages.find((m) => m.usageMetadata)!.usageMetadata!;
    assert.equal(usage.totalTokenCount, (usage.promptTokenCount ?? 0) + (usage.responseTokenCount ?? 0));
    // The handle that covers the turn comes after its turnComplete.
    const turnEnd = inbox.messages.findIndex((m) => m.serverContent?.turnComplete === true);
    const update = await inbox.waitFor((m) => m.sessionResumptionUpdate?.resumable === true && inbox.messages.indexOf(m) > turnEnd);
    const handle = update.sessionResumptionUpdate!.newHandle!;
    session.close();
    await inbox.waitFor(() => inbox.closeCode !== undefined).catch(() => undefined);

    const inbox2 = new Inbox();
    const resumed = await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT], sessionResumption: { handle } }, callbacks: inbox2.callbacks });
    sdk.track(resumed);
    resumed.sendRealtimeInput({ text: 'what did i say first' });
    await inbox2.waitFor((m) => m.serverContent?.turnComplete === true);
    assert.equal(inbox2.text(), 'You first said: "remember the moon"');
    assert.equal(emulator.sessions().length, 1);
    assert.equal(emulator.sessions()[0]!.resumeCount, 1);
  });

  it('delivers goAway to onmessage before the connection lifetime ends', async () => {
    await start({ connectionLifetimeMs: 400, goAwayLeadMs: 200 });
    const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
    const inbox = new Inbox();
    sdk.track(await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT] }, callbacks: inbox.callbacks }));
    const goAway = await inbox.waitFor((m) => m.goAway !== undefined);
    assert.equal(goAway.goAway!.timeLeft, '0.2s');
    await inbox.waitFor(() => inbox.closeCode !== undefined).catch(() => undefined);
    assert.equal(inbox.closeCode, 1008);
  });

  it('mints a token with locked constraints and connects with it', async () => {
    await start({ apiKey: 'the-key' });
    const minter = new GoogleGenAI({ apiKey: 'the-key', httpOptions: { apiVersion: 'v1alpha', baseUrl } });
    const token = await minter.authTokens.create({
      config: { uses: 1, liveConnectConstraints: { model: MODEL, config: { responseModalities: [Modality.TEXT], sessionResumption: {} } } },
    });
    assert.match(token.name!, /^auth_tokens\//);
    const ai = new GoogleGenAI({ apiKey: token.name!, httpOptions: { apiVersion: 'v1alpha', baseUrl } });
    const inbox = new Inbox();
    const session = await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT], sessionResumption: {} }, callbacks: inbox.callbacks });
    sdk.track(session);
    session.sendRealtimeInput({ text: 'token hello' });
    await inbox.waitFor((m) => m.serverContent?.turnComplete === true);
    assert.equal(inbox.text(), 'You said: token hello');

    // The one use is spent: a second new session is refused, and connect() rejects.
    const inbox2 = new Inbox();
    await assert.rejects(ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT], sessionResumption: {} }, callbacks: inbox2.callbacks }), /1008/);
  });

  it('rejects connect() when the key is refused', async () => {
    await start({ apiKey: 'the-key' });
    const ai = new GoogleGenAI({ apiKey: 'not-the-key', httpOptions: { baseUrl } });
    const inbox = new Inbox();
    await assert.rejects(ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.TEXT] }, callbacks: inbox.callbacks }), /1008/);
  });
});
