import assert from 'node:assert/strict';
import { isMoonTalkError } from '../../src/common/errors';
import { countOf, startEmulator, startHarness, TEST_KEY, type Harness } from './helpers/liveHarness';

describe('session core against the emulator (loopback)', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers a text turn in the recorded order', async () => {
    h = await startHarness();
    await h.client.session.connect();
    const answer = await h.ask('hello there');
    assert.equal(answer, 'You said: hello there');
    const order = h.events.filter((e) => ['text', 'generationComplete', 'usage', 'turnComplete'].includes(e.type)).map((e) => e.type);
    assert.deepEqual(order.slice(-3), ['generationComplete', 'usage', 'turnComplete']);
  });

  it('hands off to a warm standby on goAway and keeps the conversation', async () => {
    h = await startHarness({ emulator: { connectionLifetimeMs: 1_500, goAwayLeadMs: 1_000 } });
    await h.client.session.connect();
    assert.equal(await h.ask('my name is Ada'), 'You said: my name is Ada');
    const handoff = await h.waitFor('handoff', (e) => e.phase === 'completed', 5_000);
    assert.equal(handoff.phase === 'completed' && handoff.warm, true);
    const connected = await h.waitFor('connected', (e) => e.connection === 2);
    assert.equal(connected.resumed, true);
    // The resumed session has the old history: the emulator answers from it.
    assert.equal(await h.ask('what did I say first?'), 'You first said: "my name is Ada"');
    assert.equal(countOf(h.events, 'resumeFailed'), 0);
    assert.equal(countOf(h.events, 'disconnected', (e) => e.type === 'disconnected' && e.code === 1011), 0, 'no refused resume (old socket closed first)');
    assert.equal(countOf(h.events, 'disconnected', (e) => e.type === 'disconnected' && e.code === 1008), 0, 'never closed for overstaying a goAway');
  });

  it('resumes after a mid-turn drop and answers the cut-off turn exactly once', async () => {
    h = await startHarness({ emulator: { replyChunkDelayMs: 150 } });
    await h.client.session.connect();
    await h.ask('first');
    const turn = h.client.session.sendText('second, to be cut off');
    await h.waitFor('text', (e) => e.turn === turn);
    h.emulator.dropAll();
    await h.waitFor('turnRestarted', (e) => e.turn === turn);
    await h.waitFor('turnComplete', (e) => e.turn === turn, 10_000);
    assert.equal(h.answerOf(turn), 'You said: second, to be cut off');
    assert.equal(countOf(h.events, 'turnComplete', (e) => e.type === 'turnComplete' && e.turn === turn), 1);
    const reconnected = await h.waitFor('connected', (e) => e.connection === 2);
    assert.equal(reconnected.resumed, true);
    assert.equal(await h.ask('what did I say first?'), 'You first said: "first"');
  });

  it('delivers input sent right after a resume', async () => {
    h = await startHarness();
    await h.client.session.connect();
    await h.ask('one');
    h.emulator.dropAll();
    await h.waitFor('connected', (e) => e.connection === 2, 10_000);
    // No delay at all between the resume and the next input.
    assert.equal(await h.ask('right after resume'), 'You said: right after resume');
  });

  it('starts a fresh session with context when the handle is refused', async () => {
    const { emulator, baseUrl } = await startEmulator({ apiKey: TEST_KEY });
    h = await startHarness({ existing: { emulator, baseUrl } });
    await h.client.session.connect();
    await h.ask('remember pineapples');
    // From now on every handle is stale, as after the 2 h handle lifetime.
    (emulator as unknown as { options: { staleHandles: boolean } }).options.staleHandles = true;
    emulator.dropAll();
    const failed = await h.waitFor('resumeFailed', undefined, 10_000);
    assert.match(failed.reason, /handle/i);
    const fresh = await h.waitFor('connected', (e) => e.connection === 2, 10_000);
    assert.equal(fresh.resumed, false);
    // The earlier turn went back as context, so the new session still knows it, and it was not answered again.
    assert.equal(await h.ask('what did I say first?'), 'You first said: "remember pineapples"');
    assert.equal(countOf(h.events, 'turnComplete', (e) => e.type === 'turnComplete' && e.turn === 1), 1);
    await h.stop();
    await emulator.stop();
    h = undefined;
  });

  it('fails fast on a wrong key, without retrying', async () => {
    h = await startHarness({ auth: { mode: 'key', apiKey: 'AIzaWRONG-key-000000000000000000000000' } });
    const started = Date.now();
    await assert.rejects(h.client.session.connect(), (err: unknown) => isMoonTalkError(err, 'badKey'));
    assert.ok(Date.now() - started < 2_000);
    assert.equal(countOf(h.events, 'reconnecting'), 0);
  });

  it('runs on ephemeral tokens and resumes with the same token after its new-session window', async () => {
    h = await startHarness({
      auth: { mode: 'token', apiKey: TEST_KEY, policy: { newSessionWindowMs: 400, safetyMarginMs: 50 } },
      emulator: { connectionLifetimeMs: 1_500, goAwayLeadMs: 700 },
    });
    await h.client.session.connect();
    const firstToken = h.client.tokens!.current!.name;
    await h.ask('token hello');
    await h.waitFor('connected', (e) => e.connection === 2, 5_000);
    // The new-session window (400 ms) had passed; resuming is not a use, so the same token served.
    assert.equal(h.client.tokens!.current!.name, firstToken);
    assert.equal(await h.ask('what did I say first?'), 'You first said: "token hello"');
    const log = h.logLines.join('\n');
    assert.ok(!log.includes(TEST_KEY) && !log.includes(firstToken), 'neither the key nor the token is logged');
  });

  it('never lets two sockets of one session be open at once during handoffs', async () => {
    h = await startHarness({ emulator: { connectionLifetimeMs: 600, goAwayLeadMs: 400 } });
    await h.client.session.connect();
    let maxOpen = 0;
    const timer = setInterval(() => (maxOpen = Math.max(maxOpen, h!.emulator.sessions().filter((s) => s.connected).length)), 5);
    for (let i = 0; i < 4; i++) await h.ask(`turn ${i}`);
    await h.waitFor('connected', (e) => e.connection >= 3, 5_000);
    clearInterval(timer);
    assert.equal(h.emulator.sessions().length, 1, 'one emulated session throughout');
    assert.ok(maxOpen <= 1);
  });
});
