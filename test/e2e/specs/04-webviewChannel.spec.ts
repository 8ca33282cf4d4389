/**
 * The panel validates every message that reaches it (webview/hostChannel.ts): a
 * malformed one is dropped and counted in the debug view, and the UI keeps its state.
 * Messages are dispatched as `message` events inside the webview's content frame,
 * which is how the host's postMessage arrives.
 */
import assert from 'node:assert/strict';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from '../support/fixture';
import { openVoiceChat } from '../support/steps';
import { waitUntil } from '../support/processes';

async function waitForRejected(panel: VoiceChatPanel, count: number): Promise<void> {
  await waitUntil(`the debug view to count ${count} dropped messages`, 5_000, async () => ((await panel.rejectedCount()) === count ? true : undefined));
}

describe('the webview message channel', () => {
  let panel: VoiceChatPanel;

  before(async () => {
    panel = await openVoiceChat();
    await panel.openTab('debug');
  });

  it('shows a well-formed message it receives (control case)', async () => {
    const before = await panel.rejectedCount();
    await panel.dispatchRawMessage({ type: 'debug/info', json: JSON.stringify({ e2eControl: 'delivered' }) });
    await waitUntil('the debug JSON to show the control message', 5_000, async () => ((await panel.debugJson()).includes('e2eControl') ? true : undefined));
    assert.equal(await panel.rejectedCount(), before);
  });

  it('drops a session/stateChanged with a bogus state, counts it, and keeps the state shown', async () => {
    const { workbench } = e2e();
    const before = await panel.rejectedCount();
    const state = await panel.sessionState();
    const text = await panel.sessionStateText();
    const transcript = await panel.transcript();
    await panel.dispatchRawMessage({ type: 'session/stateChanged', session: { state: 'bogus' } });
    await waitForRejected(panel, before + 1);
    assert.notEqual(await panel.lastRejection(), '', 'no reason given for the drop');
    assert.equal(await panel.sessionState(), state);
    assert.deepEqual(await panel.sessionStateText(), text);
    assert.deepEqual(await panel.transcript(), transcript);
    await workbench.screenshot('04-debug-rejected');
    await panel.screenshot('04-debug-rejected');
  });

  it('drops messages of unknown types and non-objects too', async () => {
    const before = await panel.rejectedCount();
    const state = await panel.sessionState();
    await panel.dispatchRawMessage({ type: 'session/evil', script: 'alert(1)' });
    await panel.dispatchRawMessage('session/stateChanged');
    await panel.dispatchRawMessage({ type: 'transcript/appended', entry: { id: 'x', role: 'user', text: 42 } });
    await waitForRejected(panel, before + 3);
    assert.equal(await panel.sessionState(), state);
    assert.ok(!(await panel.transcript()).some((e) => e.text === '42'), 'an invalid transcript entry was shown');
  });
});
