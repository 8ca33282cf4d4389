/**
 * The editor's knowledge by voice (here typed): in a workspace with a TypeScript type error,
 * "what's wrong in this file?" makes the model call the diagnostics tool (the emulator calls
 * what `call tool NAME {args}` names), the panel asks (the suite asks before read-only tools
 * too), and the answer carries the error's line from the built-in TypeScript extension, which
 * runs offline. A question with Google Search (declared by default on 3.8) shows its sources
 * as links under the answer.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { closeAllEditorsDiscardingChanges, disconnectIfConnected, openVoiceChat } from '../support/steps';

const FILE = 'broken-moons.ts';
/** Line 3 holds the type error (TS2322). */
const SOURCE = "// Moons of Jupiter\nconst names: string[] = ['Io', 'Europa'];\nconst count: number = 'four';\nexport { names, count };\n";

describe("the editor's knowledge as tools, asked in the panel", () => {
  let panel: VoiceChatPanel;

  before(async () => {
    writeFileSync(path.join(e2e().profile.workspace, FILE), SOURCE);
    await closeAllEditorsDiscardingChanges();
    panel = await openVoiceChat();
    await disconnectIfConnected();
    await e2e().workbench.clearNotifications();
  });

  after(async () => {
    await disconnectIfConnected();
    // Leave the workspace without problems (other specs count the status bar's problems, and
    // settings.json is meant to be the only file with any): fix the file, let TypeScript see
    // it (bounded, best effort), then remove it.
    const file = path.join(e2e().profile.workspace, FILE);
    writeFileSync(file, 'export const count: number = 4;\n');
    await waitUntil('the type error to clear', 30_000, async () => ((await e2e().workbench.problems()).errors === 0 ? true : undefined)).catch((err: Error) => console.log(`      [e2e] ${err.message}`));
    rmSync(file, { force: true });
  });

  it('shows the type error in the Problems count once the file is open (the built-in TypeScript extension, offline)', async () => {
    const { workbench } = e2e();
    await workbench.openFile(FILE);
    await waitUntil('TypeScript to report the error', 90_000, async () => ((await workbench.problems()).errors >= 1 ? true : undefined));
  });

  it('answers "what\'s wrong in this file?" through get_diagnostics, with the error\'s line, and shows the call in the transcript', async () => {
    const { workbench } = e2e();
    panel = await openVoiceChat();
    await workbench.runCommand('MoonTalk: Connect');
    await panel.waitForSessionState('connected', 20_000);
    await panel.sendMessage(`What's wrong in this file? call tool get_diagnostics {"path":"${FILE}"}`);
    assert.match(await panel.waitForToolQuestion(15_000), new RegExp(`read the problems of ${FILE.replace('.', '\\.')}`));
    await panel.answerToolQuestion(true);
    // 3.8 runs the call in the background: the model speaks about the result when it comes
    // (on this connection, or as content on the next one after a goAway).
    const answer = await panel.waitForTranscriptEntry('model', /Tool get_diagnostics returned|get_diagnostics: \{/, 30_000);
    assert.match(answer.text, /"line":3,"column":7,"severity":"error"/);
    assert.match(answer.text, /Type 'string' is not assignable to type 'number'/);
    await panel.waitForTranscriptEntry('system', new RegExp(`^Tool get_diagnostics \\{"path":"${FILE.replace('.', '\\.')}"\\}: done`), 10_000);
    await panel.scrollTranscriptToEnd();
    await workbench.screenshot('11-diagnostics-answer');
  });

  it('shows the Google Search sources of a grounded answer as links under it', async () => {
    const { workbench } = e2e();
    await panel.sendMessage('Search the web for the moons of Jupiter');
    await panel.waitForTranscriptEntry('model', /^According to the web, here is what I found about the moons of Jupiter\.$/, 20_000);
    const links = await panel.sourceLinks(/According to the web/);
    assert.deepEqual(
      links.map((l) => l.title),
      ['en.wikipedia.org', 'developer.mozilla.org'],
    );
    for (const l of links) {
      assert.match(l.href, /^https:\/\/vertexaisearch\.cloud\.google\.com\/grounding-api-redirect\//);
      assert.equal(l.tooltip, l.href, 'the address shows as the tooltip');
    }
    await panel.scrollTranscriptToEnd();
    await workbench.screenshot('11-grounded-answer');
    await panel.screenshot('11-grounded-answer-panel');
  });
});
