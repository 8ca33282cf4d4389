/**
 * A used-up quota stops the session with a message that names it, instead of reconnecting
 * until "could not reconnect": the in-process emulator in its quota mode closes sessions as
 * the service does (1011 RESOURCE_EXHAUSTED) and answers token requests with HTTP 429.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import type { LiveEmulator } from '../../src/emulator/liveEmulator';
import { Commands } from '../../src/extension/constants';
import type { SessionReport } from '../../src/extension/sessionController';
import type { MoonTalkTestApi } from '../../src/extension/testApi';
import { activateExtension, disconnect, record, waitFor } from './support';

/** Longer than the first reconnect delays (base 500 ms): a retry would have happened by then. */
const NO_RETRY_WINDOW_MS = 2_500;

async function runningEmulator(api: MoonTalkTestApi): Promise<LiveEmulator> {
  if (!api.session.emulator) {
    assert.equal(await api.session.connect(), true, 'could not connect to the emulator');
    await disconnect(api);
  }
  assert.ok(api.session.emulator, 'the emulator backend is not running');
  return api.session.emulator;
}

function opened(events: EmulatorEvent[]): number {
  return events.filter((e) => e.type === 'connectionOpened').length;
}

describe('quota errors stop retrying and say so', function () {
  this.timeout(40_000);
  let api: MoonTalkTestApi;
  let emulator: LiveEmulator;

  before(async () => {
    api = await activateExtension();
    emulator = await runningEmulator(api);
  });

  afterEach(async () => {
    emulator.exhaustQuota(false);
    for (const k of ['tokens.enabled', 'tokens.lifetimeMinutes']) await vscode.workspace.getConfiguration('moontalk').update(k, undefined, vscode.ConfigurationTarget.Global);
    await disconnect(api);
  });

  function assertQuotaReport(reports: SessionReport[]): void {
    const report = reports.find((r) => /quota or rate limit/.test(r.message.text));
    assert.ok(report, `no quota message among ${JSON.stringify(reports.map((r) => r.message.text))}`);
    assert.match(report.message.text, /MoonTalk stopped retrying/);
    assert.doesNotMatch(report.message.text, /could not reconnect/);
    const commands = report.message.actions.map((a) => [a.command, a.args?.[0]]);
    assert.deepEqual(commands.slice(0, 2), [[Commands.connect, undefined], [Commands.switchBackend, 'emulator']], 'Retry and Switch to Offline Demo come first');
  }

  /**
   * Uses up the quota, then connects: the connect fails at once for quota, the emulator sees
   * `connections` connections opened within the time a retry would need, and the report names the quota.
   */
  async function assertConnectStopsForQuota(connections: number, message?: string): Promise<void> {
    emulator = await runningEmulator(api);
    emulator.exhaustQuota();
    const events = record(emulator.onDidEvent);
    const reports = record(api.session.onDidReport);
    try {
      assert.equal(await api.session.connect(), false);
      const state = api.session.state;
      assert.equal(state.kind === 'failed' && state.reason, 'quota', JSON.stringify(state));
      await new Promise((r) => setTimeout(r, NO_RETRY_WINDOW_MS));
      assert.equal(opened(events.values), connections, message);
      assertQuotaReport(reports.values);
    } finally {
      events.dispose();
      reports.dispose();
    }
  }

  it('a quota used up mid-session (1011 RESOURCE_EXHAUSTED): failed at once, no reconnect, error colour', async () => {
    assert.equal(await api.session.connect(), true);
    const events = record(emulator.onDidEvent);
    const reports = record(api.session.onDidReport);
    try {
      emulator.exhaustQuota();
      await waitFor('the session to fail', () => api.session.state.kind === 'failed', 10_000);
      const state = api.session.state;
      assert.equal(state.kind === 'failed' && state.reason, 'quota');
      await new Promise((r) => setTimeout(r, NO_RETRY_WINDOW_MS));
      assert.equal(opened(events.values), 0, 'the session tried to reconnect into a used-up quota');
      assert.equal(api.session.state.kind, 'failed');
      assertQuotaReport(reports.values);
      assert.equal(api.statusBarBackground(), 'error');
    } finally {
      events.dispose();
      reports.dispose();
    }
  });

  it('a token request answered 429: no connection is even tried', async () => {
    // A token setting changed: the next connect builds a new client, which must mint a token (no cached one).
    await vscode.workspace.getConfiguration('moontalk').update('tokens.lifetimeMinutes', 29, vscode.ConfigurationTarget.Global);
    await waitFor('the token setting', () => api.settings.current.tokens.policy.lifetimeMs === 29 * 60_000);
    await assertConnectStopsForQuota(0);
  });

  it('with the key on the URL (no tokens), a setup closed for quota: one attempt, then the quota message', async () => {
    await vscode.workspace.getConfiguration('moontalk').update('tokens.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('tokens to be off', () => !api.settings.current.tokens.enabled);
    await assertConnectStopsForQuota(1, 'exactly one connection: no retry loop');
  });
});
