/**
 * Session persistence across a window reload, simulated: one controller ("window")
 * is shut down as deactivate does, and a new one is built on the same SecretStorage
 * and globalState, against the same emulator. The next connect must resume the same
 * emulated session; an expired or refused handle must fall back to a fresh session
 * with one notice; a second window must not take the conversation silently.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { systemClock } from '../../src/common/clock';
import { nullLogger } from '../../src/common/logger';
import { Redactor } from '../../src/common/redact';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import { EmulatorHost } from '../../src/extension/emulatorHost';
import { HistoryStore } from '../../src/extension/history/historyStore';
import { decodeRecord, encodeRecord, isRecordError, resumptionSecretKey, type ResumptionRecord } from '../../src/extension/persistence/resumptionRecord';
import { SessionPersistence } from '../../src/extension/persistence/sessionPersistence';
import type { TakeOverChoice } from '../../src/extension/persistence/sessionLease';
import { Secrets } from '../../src/extension/secrets';
import { SessionController, type SessionReport } from '../../src/extension/sessionController';
import { Settings } from '../../src/extension/settings';
import { waitFor } from './support';

const WORKSPACE = 'ext-host-test';
const KEY = resumptionSecretKey(WORKSPACE);

class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
  async keys(): Promise<string[]> {
    return [...this.values.keys()];
  }
  record(): ResumptionRecord | undefined {
    const raw = this.values.get(KEY);
    const r = raw ? decodeRecord(raw) : undefined;
    return r && !isRecordError(r) ? r : undefined;
  }
}

class MemoryMemento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

interface TestWindow {
  controller: SessionController;
  persistence: SessionPersistence;
  history: HistoryStore;
  reports: SessionReport[];
  dispose(): void;
}

describe('session persistence across a window reload', function () {
  this.timeout(60_000);
  let secrets: MemorySecrets;
  let memento: MemoryMemento;
  let emulators: EmulatorHost;
  let events: EmulatorEvent[];
  let historyDir: vscode.Uri;
  const windows: TestWindow[] = [];

  function openWindow(windowId: string, ask: () => Promise<TakeOverChoice> = async () => 'cancel'): TestWindow {
    const redactor = new Redactor();
    const settings = new Settings(() => undefined);
    const secretsWrapper = new Secrets(secrets as unknown as vscode.SecretStorage, redactor);
    const persistence = new SessionPersistence({
      secrets: secrets as unknown as vscode.SecretStorage,
      globalState: memento as unknown as vscode.Memento,
      workspace: WORKSPACE,
      windowId,
      clock: systemClock,
      logger: nullLogger,
      redactor,
      askTakeOver: ask,
      saveDelayMs: 50,
      leaseTiming: { heartbeatMs: 200, staleAfterMs: 5_000 },
    });
    const history = new HistoryStore({ dir: historyDir, clock: systemClock, logger: nullLogger, redactor, newId: () => Math.random().toString(36).slice(2, 10), saveDelayMs: 50 });
    const controller = new SessionController({ settings, secrets: secretsWrapper, emulators, redactor, logger: nullLogger, extensionVersion: 'test', persistence, history });
    const reports: SessionReport[] = [];
    controller.onDidReport((r) => reports.push(r));
    const w: TestWindow = {
      controller,
      persistence,
      history,
      reports,
      dispose() {
        controller.dispose();
        history.dispose();
        persistence.dispose();
        secretsWrapper.dispose();
        settings.dispose();
      },
    };
    windows.push(w);
    return w;
  }

  /** What deactivate does before a reload. */
  async function reload(w: TestWindow): Promise<void> {
    await w.controller.shutdown();
    w.dispose();
  }

  async function answered(w: TestWindow, text: string): Promise<void> {
    await w.controller.sendText(text);
    await waitFor(`an answer to "${text}"`, () => events.some((e) => e.type === 'turnAnswered' && e.userText === text), 20_000);
  }

  /** Window 1 connects (the emulator's events are recorded from then on), `text` is answered, and its handle is in SecretStorage. */
  async function firstWindowWithSavedHandle(text: string): Promise<TestWindow> {
    const first = openWindow('window-1');
    assert.equal(await first.controller.connect(), true);
    emulators.emulator!.onDidEvent((e) => events.push(e));
    await answered(first, text);
    await waitFor('the record with a handle in SecretStorage', () => (secrets.record()?.snapshot.ledger.coveredThrough ?? 0) >= 1);
    return first;
  }

  beforeEach(async () => {
    secrets = new MemorySecrets();
    memento = new MemoryMemento();
    emulators = new EmulatorHost(nullLogger);
    historyDir = vscode.Uri.joinPath(vscode.Uri.file(os.tmpdir()), `moontalk-history-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    events = [];
  });

  afterEach(async () => {
    for (const w of windows.splice(0)) {
      await w.controller.disconnect().catch(() => undefined);
      w.dispose();
    }
    emulators.dispose();
    await Promise.resolve(vscode.workspace.fs.delete(historyDir, { recursive: true })).catch(() => undefined);
  });

  it('saves the handle to SecretStorage and the next window resumes the same session, resending nothing it covers', async () => {
    const first = await firstWindowWithSavedHandle('Remember the word lantern.');
    assert.equal(memento.get<{ windowId: string }>(`moontalk.lease.${WORKSPACE}`)?.windowId, 'window-1');
    const firstSession = events.find((e): e is Extract<EmulatorEvent, { type: 'userTurn' }> => e.type === 'userTurn')!;
    const conversationId = first.history.recorder.current?.conversationId;
    await reload(first);
    assert.equal(memento.get(`moontalk.lease.${WORKSPACE}`), undefined, 'deactivate must release the lease');
    const saved = secrets.record()!;
    assert.ok(saved.snapshot.ledger.handle, 'the record holds the handle');
    assert.ok(saved.snapshot.lastConnectionEndedAt, 'the close time is saved');

    events.length = 0;
    const second = openWindow('window-2');
    await answered(second, 'Which word?');
    const setups = events.filter((e): e is Extract<EmulatorEvent, { type: 'setupAccepted' }> => e.type === 'setupAccepted');
    assert.equal(setups.length, 1, 'one setup: the resume');
    assert.equal(setups[0]!.resumed, true);
    assert.equal(setups[0]!.sessionId, firstSession.sessionId, 'the same emulated session continues');
    const state = second.controller.state;
    assert.ok(state.kind === 'connected' && state.resumed, `connected and resumed, got ${JSON.stringify(state)}`);
    assert.equal(second.controller.sessionView.resumed, true);
    // Nothing the handle covers is sent again: the second connection saw exactly one user turn.
    const turns = events.filter((e) => e.type === 'userTurn' && e.connectionId === setups[0]!.connectionId);
    assert.deepEqual(turns.map((e) => (e as { text: string }).text), ['Which word?']);
    assert.equal(second.history.recorder.current?.conversationId, conversationId, 'the history continues the same conversation');
    assert.equal(second.reports.length, 0, `no notice expected: ${JSON.stringify(second.reports.map((r) => r.message.text))}`);
  });

  async function storedRecordThen(mutate: (r: ResumptionRecord) => ResumptionRecord): Promise<void> {
    await reload(await firstWindowWithSavedHandle('first turn'));
    await secrets.store(KEY, encodeRecord(mutate(secrets.record()!)));
    events.length = 0;
  }

  it('an expired handle starts a fresh session with one clear notice, the turns as context', async () => {
    await storedRecordThen((r) => ({ ...r, savedAt: Date.now() - 3 * 3_600_000, snapshot: { ...r.snapshot, lastConnectionEndedAt: Date.now() - 3 * 3_600_000 } }));
    const second = openWindow('window-2');
    await answered(second, 'after the break');
    const setups = events.filter((e) => e.type === 'setupAccepted');
    assert.deepEqual(setups.map((e) => (e as { resumed: boolean }).resumed), [false], 'one fresh setup, no resume attempt');
    assert.deepEqual(second.reports.map((r) => r.message.text), ["Couldn't resume the previous conversation; a new one started. Your history is kept."]);
    assert.ok(second.reports[0]!.notify);
  });

  it('a refused handle falls back to a fresh session once, with the notice, never a loop', async () => {
    await storedRecordThen((r) => ({ ...r, snapshot: { ...r.snapshot, ledger: { ...r.snapshot.ledger, handle: 'no-such-handle-0123456789' } } }));
    const second = openWindow('window-2');
    await answered(second, 'still there?');
    const setups = events.filter((e) => e.type === 'setupAccepted');
    assert.deepEqual(setups.map((e) => (e as { resumed: boolean }).resumed), [false]);
    const refused = events.filter((e) => e.type === 'connectionClosed' && e.code === 1007);
    assert.equal(refused.length, 1, 'exactly one refused resume');
    assert.deepEqual(second.reports.map((r) => r.message.text), ["Couldn't resume the previous conversation; a new one started. Your history is kept."]);
    const state = second.controller.state;
    assert.ok(state.kind === 'connected' && !state.resumed);
  });

  it('a second window asks before taking the conversation over, and the first one lets go', async () => {
    const first = await firstWindowWithSavedHandle('owned by window one');
    let asked = 0;
    const second = openWindow('window-2', async () => (asked++ === 0 ? 'cancel' : 'takeOver'));
    assert.equal(await second.controller.connect(), false, 'Cancel connects nothing');
    assert.equal(asked, 1);
    assert.equal(first.controller.state.kind, 'connected', 'the first window keeps its session');
    assert.equal(await second.controller.connect(), true, 'Take Over connects');
    assert.equal(asked, 2);
    await waitFor('the first window to notice and disconnect', () => first.controller.state.kind === 'closed', 10_000);
    assert.ok(first.reports.some((r) => /taken over by another window/.test(r.message.text)));
    await waitFor('the second window connected', () => second.controller.state.kind === 'connected', 20_000);
    const sessions = new Set(events.filter((e) => e.type === 'setupAccepted').map((e) => (e as { sessionId: string }).sessionId));
    assert.equal(sessions.size, 1, 'the second window resumed the same session');
  });
});
