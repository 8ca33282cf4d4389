/**
 * The side bar chat view beside the editor panel: an answer with no MoonTalk page up
 * brings the view up and is replayed from its start; both pages show one conversation
 * in step (and a page opened later starts from the full state); Send connects.
 *
 * The first spec needs the view never shown in this window: it runs first in this file,
 * and no earlier file shows the view (apiKey.test.ts only).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ToWebview } from '../../src/protocol/messages';
import { Commands } from '../../src/extension/constants';
import type { SurfaceHost } from '../../src/extension/panelHost';
import { activateExtension, disconnect, openReadyPanel, record, waitFor } from './support';

/** The listener the webview's postMessage reaches (private; called as VS Code would). */
function deliver(host: SurfaceHost, raw: unknown): Promise<void> {
  return (host as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage(raw);
}

const config = () => vscode.workspace.getConfiguration('moontalk');

/** What a page was told about the transcript, in order: `type:id` (the text streams, its length varies by timing). */
function transcriptTrail(messages: readonly ToWebview[]): string[] {
  return messages.flatMap((m) => (m.type === 'transcript/appended' || m.type === 'transcript/updated' ? [`${m.type}:${m.entry.id}`] : []));
}

function finishedModelAnswers(api: Awaited<ReturnType<typeof activateExtension>>): number {
  return api.session.transcriptEntries().filter((e) => e.role === 'model' && !e.partial && e.text.length > 0).length;
}

describe('chat view', function () {
  this.timeout(90_000);
  let savedModality: string | undefined;

  before(async () => {
    savedModality = config().inspect<string>('responseModality')?.globalValue;
    await config().update('responseModality', 'AUDIO', vscode.ConfigurationTarget.Global);
    const api = await activateExtension();
    await waitFor('AUDIO replies', () => api.settings.current.responseModality === 'AUDIO');
  });

  after(async () => {
    const api = await activateExtension();
    await disconnect(api);
    api.panels.current?.panel.dispose();
    await config().update('responseModality', savedModality, vscode.ConfigurationTarget.Global);
  });

  it('brings the view up without focus for a spoken answer no page could play, and replays it from its first chunk', async () => {
    const api = await activateExtension();
    api.panels.current?.panel.dispose();
    assert.equal(api.chatView.current, undefined, 'precondition: the chat view was never shown in this window');
    const doc = await vscode.workspace.openTextDocument({ content: 'focus stays here\n' });
    await vscode.window.showTextDocument(doc);
    const replaysBefore = api.hub.replays;
    const audio = record(api.session.onDidReceiveAudio);
    let viewPosts: { values: ToWebview[]; dispose(): void } | undefined;
    const resolved = api.chatView.onDidResolve((host) => (viewPosts = record(host.onDidPost)));
    try {
      const answersBefore = finishedModelAnswers(api);
      await api.session.sendText('Please answer out loud while no MoonTalk page is open.');
      await waitFor('the chat view to come up and say ready', () => api.chatView.current?.isReady === true, 30_000);
      await waitFor('the spoken answer to finish', () => finishedModelAnswers(api) > answersBefore, 20_000);
      await waitFor('model audio', () => audio.values.length > 0);
      assert.ok(viewPosts, 'the view was resolved but its host was not announced');
      const received = audio.values.map((a) => a.seq);
      await waitFor('the view to be given every chunk of the answer', () => viewPosts!.values.filter((m) => m.type === 'audio/play').length >= received.length, 5_000);
      const played = viewPosts.values.flatMap((m) => (m.type === 'audio/play' ? [m.seq] : []));
      assert.equal(played[0], received[0], 'the view did not start at the first chunk of the answer');
      assert.deepEqual(played, received, 'the view did not get the whole answer, in order, once');
      assert.ok(api.hub.replays > replaysBefore, 'nothing was replayed: the answer arrived before the view was up, so some of it had to be');
      assert.equal(vscode.window.activeTextEditor?.document, doc, 'the text editor stayed the active editor');
      assert.equal(api.chatView.current!.invalidOutgoing, 0);
    } finally {
      resolved.dispose();
      viewPosts?.dispose();
      audio.dispose();
    }
  });

  it('keeps the view and the editor panel in step, with one page speaking', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.openPanel);
    await waitFor('the chat view to say ready', () => api.chatView.current?.isReady === true, 30_000);
    const view = api.chatView.current!;
    const panel = await openReadyPanel(api);
    const viewPosts = record(view.onDidPost);
    const panelPosts = record(panel.onDidPost);
    try {
      const answersBefore = finishedModelAnswers(api);
      await deliver(panel, { type: 'chat/send', text: 'Both pages should show this.' });
      await waitFor('the answer to finish', () => finishedModelAnswers(api) > answersBefore, 20_000);
      // Let the last messages of the turn reach both pages.
      await new Promise((r) => setTimeout(r, 300));
      const viewTrail = transcriptTrail(viewPosts.values);
      assert.ok(viewTrail.length >= 2, `the view saw too little of the turn: ${viewTrail.join(', ')}`);
      assert.deepEqual(viewTrail, transcriptTrail(panelPosts.values), 'the view and the panel were told different things about the conversation');
      const sessionTrail = (posts: readonly ToWebview[]) => posts.flatMap((m) => (m.type === 'session/stateChanged' ? [m.session.state] : []));
      assert.deepEqual(sessionTrail(viewPosts.values), sessionTrail(panelPosts.values));
      // The panel sent the message, so the panel speaks; the view stays quiet (no voice twice).
      assert.ok(panelPosts.values.some((m) => m.type === 'audio/play'), 'the panel, where the user typed, did not play the answer');
      assert.equal(viewPosts.values.filter((m) => m.type === 'audio/play').length, 0, 'the view played the answer too');
    } finally {
      viewPosts.dispose();
      panelPosts.dispose();
    }
  });

  it('starts a page opened later from the same conversation (the full state on ready)', async () => {
    const api = await activateExtension();
    api.panels.current?.panel.dispose();
    await vscode.commands.executeCommand(Commands.openInEditor);
    const panel = api.panels.current!;
    const posts = record(panel.onDidPost);
    try {
      await waitFor('the panel to say ready', () => panel.isReady, 30_000);
      const init = posts.values.find((m): m is Extract<ToWebview, { type: 'init' }> => m.type === 'init');
      assert.ok(init, 'the panel got no init');
      const ids = api.session.transcriptEntries().map((e) => e.id);
      assert.ok(ids.length >= 4, 'the earlier turns are in the session');
      assert.deepEqual(
        init.state.transcript.map((e) => e.id),
        ids,
      );
    } finally {
      posts.dispose();
    }
  });

  it('connects when Send is pressed while disconnected', async () => {
    const api = await activateExtension();
    await disconnect(api);
    const view = api.chatView.current!;
    assert.ok(view?.isReady, 'the chat view is up');
    const states = record(api.session.onDidChangeSession);
    try {
      const answersBefore = finishedModelAnswers(api);
      await deliver(view, { type: 'chat/send', text: 'Sent before connecting.' });
      await waitFor('the answer', () => finishedModelAnswers(api) > answersBefore, 20_000);
      assert.ok(states.values.some((s) => s.state === 'connecting'), 'Send did not connect');
      assert.equal(api.session.sessionView.state, 'connected');
      assert.ok(api.session.transcriptEntries().some((e) => e.role === 'user' && e.text === 'Sent before connecting.'), 'the message was lost on the way');
    } finally {
      states.dispose();
    }
  });
});
