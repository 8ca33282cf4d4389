/**
 * An answer with a code block, in the panel: it renders as a code block (not backticks)
 * with Copy and Insert at Cursor, and Insert at Cursor writes the code into the editor
 * beside the panel. The emulator echoes what it is sent ("You said: …"), so a message
 * that carries a fenced block gets an answer with that block.
 */
import assert from 'node:assert/strict';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { closeAllEditorsDiscardingChanges, disconnectIfConnected, openVoiceChat } from '../support/steps';

const CODE = 'console.log("moon " + 42);';
const MESSAGE = `Show me some code\n\`\`\`js\n${CODE}\n\`\`\``;

describe('answers with code blocks', () => {
  let panel: VoiceChatPanel;

  before(async () => {
    panel = await openVoiceChat();
    await e2e().workbench.clearNotifications();
  });

  after(async function () {
    this.timeout(60_000);
    await disconnectIfConnected();
    // The untitled editor with the inserted code and the second group go: later specs need a plain window.
    await closeAllEditorsDiscardingChanges();
  });

  it('renders the code of an answer as a code block with Copy and Insert at Cursor', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Connect');
    await panel.waitForSessionState('connected', 20_000);
    await panel.sendMessage(MESSAGE);
    await panel.waitForTranscriptEntry('model', /^You said: Show me some code/);
    const blocks = await waitUntil('a code block in the answer', 10_000, async () => {
      const b = await panel.codeBlocks();
      return b.length > 0 ? b : undefined;
    });
    const block = blocks[blocks.length - 1]!;
    assert.equal(block.language, 'js');
    assert.equal(block.code, `${CODE}\n`);
    assert.deepEqual(
      block.buttons.map((b) => [b.testid, b.label, b.disabled]),
      [
        ['code-copy', 'Copy', false],
        ['code-insert', 'Insert at Cursor', false],
      ],
    );
    for (const b of block.buttons) assert.ok(b.title.length > 10, `${b.label} has a tooltip`);
    // The fence is not shown as backticks.
    const answer = (await panel.transcript()).filter((e) => e.role === 'model').pop()!;
    assert.ok(!answer.text.includes('```'), answer.text);
    await workbench.screenshot('10-code-block');
  });

  it('inserts the code at the cursor of the editor beside the panel', async () => {
    const { workbench } = e2e();
    // An empty editor in the group right of the panel: both stay visible.
    await workbench.runCommand('File: New Untitled Text File');
    await workbench.runCommand('View: Move Editor into Right Group');
    await waitUntil('two editor groups', 10_000, async () => ((await workbench.editorTexts()).length >= 1 ? true : undefined));
    panel = await openVoiceChat();
    await waitUntil('the answer to be shown again', 15_000, async () => ((await panel.codeBlocks()).length > 0 ? true : undefined));
    await panel.clickCodeButton('insert');
    await waitUntil('the code in the editor', 10_000, async () => ((await workbench.editorTexts()).some((t) => t.includes(CODE)) ? true : undefined)).catch(async (err: Error) => {
      throw new Error(`${err.message}; the editors show ${JSON.stringify(await workbench.editorTexts())}, notifications ${JSON.stringify(await workbench.notifications())}`);
    });
    await workbench.screenshot('10-inserted');
  });

  it('copies the code to the clipboard: Copy says so, and Paste in the editor brings it', async () => {
    const { workbench, context } = e2e();
    // Paste in the browser workbench reads navigator.clipboard, which needs the permission.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await panel.clickCodeButton('copy');
    assert.equal(await panel.codeButtonLabel('copy'), 'Copied');
    await waitUntil('Copy to read Copy again', 5_000, async () => ((await panel.codeButtonLabel('copy')) === 'Copy' ? true : undefined));
    await workbench.pasteIntoEditor(CODE);
    await waitUntil('the pasted code in the editor', 10_000, async () => ((await workbench.editorTexts()).some((t) => t.split(CODE).length === 3) ? true : undefined)).catch(async (err: Error) => {
      throw new Error(`${err.message}; the editors show ${JSON.stringify(await workbench.editorTexts())}`);
    });
  });
});
