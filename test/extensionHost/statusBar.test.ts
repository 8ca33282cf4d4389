import assert from 'node:assert/strict';
import { activateExtension, disconnect, record, waitFor } from './support';

describe('status bar', () => {
  afterEach(async () => {
    await disconnect(await activateExtension());
  });

  it('follows connect, goAway handoff and disconnect against the in-process emulator', async () => {
    const api = await activateExtension();
    const texts = record(api.onDidRenderStatusBar);
    try {
      assert.equal(await api.session.connect(), true, 'could not connect to the emulator');
      await waitFor('a connected text with a duration', () => /\$\(radio-tower\) MoonTalk \d+:\d\d/.test(api.statusBarText()));
      const connectionBefore = api.session.sessionView.connection;
      const emulator = api.session.emulator;
      assert.ok(emulator, 'the emulator backend is not running');
      emulator.goAwayAll(5_000);
      await waitFor('the goAway countdown', () => texts.values.some((t) => /handing off in \d+ s/.test(t)));
      await waitFor('the handoff to a new connection', () => api.session.state.kind === 'connected' && api.session.sessionView.connection > connectionBefore);
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
