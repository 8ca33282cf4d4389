/** Shared helpers of the extension-host specs: the extension's test API and bounded waits. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import { Commands, EXTENSION_ID } from '../../src/extension/constants';
import type { PanelHost } from '../../src/extension/panelHost';
import type { MoonTalkTestApi } from '../../src/extension/testApi';

export async function activateExtension(): Promise<MoonTalkTestApi> {
  const ext = vscode.extensions.getExtension<MoonTalkTestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  const api = await ext.activate();
  if (!api) throw new Error('the extension returned no test API (production mode without MOONTALK_TEST_API=1)');
  return api;
}

/** Resolves once `predicate` holds, polling every 25 ms; rejects after `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Opens the panel and resolves with its host once the webview said `ready`. Polls the
 * manager's current host, not the first one: a panel whose webview hangs is reopened
 * by the extension (panelLoadWatchdog.ts), so the ready one may be its replacement.
 * 30 s covers a hang (10 s) plus a fresh load.
 */
export async function openReadyPanel(api: MoonTalkTestApi, timeoutMs = 30_000): Promise<PanelHost> {
  await vscode.commands.executeCommand(Commands.openInEditor);
  await waitFor('the panel to say ready', () => api.panels.current?.isReady === true, timeoutMs);
  return api.panels.current!;
}

/** Every value an event fired since `record` was called, until disposed. */
export interface Recording<T> {
  readonly values: T[];
  dispose(): void;
}

/** Collects every value an event fires until disposed. */
export function record<T>(event: vscode.Event<T>): Recording<T> {
  const values: T[] = [];
  const sub = event((v) => values.push(v));
  return { values, dispose: () => sub.dispose() };
}

/** Puts the session back to not connected, for the next spec. */
export async function disconnect(api: MoonTalkTestApi): Promise<void> {
  await api.session.disconnect();
  await waitFor('the session to close', () => ['idle', 'closed', 'failed'].includes(api.session.state.kind), 5_000);
}

/** Connects the session (to the emulator backend) and records the emulator's events from then on. */
export async function connectRecordingEmulator(api: MoonTalkTestApi): Promise<Recording<EmulatorEvent>> {
  assert.equal(await api.session.connect(), true);
  return record(api.session.emulator!.onDidEvent);
}

/** What the model said, in order: its answers to turns and (calls in the background, 3.8) its turns about tool results. */
export function modelAnswers(events: readonly EmulatorEvent[]): string[] {
  return events.filter((e) => e.type === 'turnAnswered' || e.type === 'toolResultSpoken').map((e) => (e as { replyText: string }).replyText);
}

/** Ends a tool spec: declines any question still open, disconnects, and closes the panel. */
export async function endToolSession(api: MoonTalkTestApi): Promise<void> {
  for (const c of api.tools.confirmations()) api.tools.answer(c.id, false);
  await disconnect(api);
  api.panels.current?.panel.dispose();
}
