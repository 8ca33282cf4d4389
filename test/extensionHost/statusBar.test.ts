import assert from 'node:assert/strict';
import { activateExtension, disconnect, record, waitFor } from './support';

describe('status bar', () => {
  afterEach(async () => {
    await disconnect(await activateExtension());
  });

  it('says offline demo on the emulator, and stays calm through a routine goAway handoff', async () => {
    const api = await activateExtension();
    const texts = record(api.onDidRenderStatusBar);
    try {
      assert.equal(await api.session.connect(), true, 'could not connect to the emulator');
      await waitFor('a connected text with a duration', () => /\$\(radio-tower\) MoonTalk \d+:\d\d · offline demo/.test(api.statusBarText()));
      const connectionBefore = api.session.sessionView.connection;
      const emulator = api.session.emulator;
      assert.ok(emulator, 'the emulator backend is not running');
      emulator.goAwayAll(5_000);
      // Sampled every 25 ms through the whole handoff: the colour and every text shown.
      const backgrounds = new Set<string>();
      const sampled: string[] = [];
      let handedOff = false;
      const deadline = Date.now() + 15_000;
      while (!(api.session.state.kind === 'connected' && api.session.sessionView.connection > connectionBefore)) {
        if (Date.now() > deadline) throw new Error(`no handoff within 15 s; texts: ${JSON.stringify(texts.values)}`);
        if (api.session.state.kind === 'handingOff') handedOff = true;
        backgrounds.add(String(api.statusBarBackground()));
        sampled.push(api.statusBarText());
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(handedOff || texts.values.some((t) => t.includes('reconnecting seamlessly')), 'never saw the handoff');
      assert.deepEqual([...backgrounds], ['undefined'], 'a routine handoff coloured the status bar');
      for (const t of [...texts.values, ...sampled]) assert.doesNotMatch(t, /goAway|handing off/i, `jargon in the status bar: ${t}`);
      await waitFor('the connected text again', () => /\$\(radio-tower\) MoonTalk \d+:\d\d/.test(api.statusBarText()));
      await api.session.disconnect();
      await waitFor('the disconnected text', () => api.statusBarText().includes('disconnected'));
    } finally {
      texts.dispose();
    }
  });

  it('shows the reconnect attempt after a drop, then connects again', async () => {
    const api = await activateExtension();
    assert.equal(await api.session.connect(), true);
    const texts = record(api.onDidRenderStatusBar);
    try {
      api.session.emulator!.dropAll();
      await waitFor('a reconnecting or connecting text', () => texts.values.some((t) => /reconnecting \(attempt \d+\)|connecting/.test(t)));
      await waitFor('connected again', () => api.session.state.kind === 'connected', 15_000);
    } finally {
      texts.dispose();
    }
  });
});
