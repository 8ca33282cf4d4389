/**
 * Dictation in a browser (issue 12): MoonTalk: Dictate from the command palette, with the
 * cursor in an editor, types what Chromium's fake microphone says at the cursor. In
 * code-server the extension host is a server, so the microphone is the chat view's page: run
 * alone, the view opens in the side bar without taking the focus; after 13-chatView its page
 * is kept while the side bar is closed and captures hidden (the status bar says Dictating).
 * It opens its microphone for dictation only (the conversation does not listen). The offline emulator's speech-to-text model
 * transcribes by duration: the fake microphone's loop (3.4 s of speech, then 1.66 s of
 * silence, fakeMicrophone.ts) is typed as one or more "[speech N s]" (the pauses between its
 * words and the browser's voice processing may split an utterance: a first run typed
 * "[speech 3.2 s] [speech 1.9 s]"). Escape in the editor stops, and the view releases the
 * microphone.
 */
import assert from 'node:assert/strict';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { closeAllEditorsDiscardingChanges, disconnectIfConnected, writeUserSettings } from '../support/steps';

const BEFORE = 'Notes:';
/** A transcription as the emulator types it (it transcribes by duration). */
const TRANSCRIPT = /\[speech \d+\.\d s\]/;
const DICTATION_ITEM = 'moontalk.moontalk-live.moontalk.dictation';

describe('dictation through the browser microphone', () => {
  before(async function () {
    this.timeout(60_000);
    await disconnectIfConnected();
    await writeUserSettings();
    await closeAllEditorsDiscardingChanges();
    await e2e().workbench.clearNotifications();
    // No MoonTalk page in sight: dictation has to bring the chat view up itself.
    await e2e().workbench.runCommand('View: Close Primary Side Bar');
  });

  after(async function () {
    this.timeout(60_000);
    const { workbench } = e2e();
    if ((await workbench.statusItemText(DICTATION_ITEM)) !== undefined) await workbench.runCommand('MoonTalk: Stop Dictation');
    await closeAllEditorsDiscardingChanges();
  });

  it('types what the microphone says at the cursor, keeps the focus in the editor, and Escape stops it', async function () {
    this.timeout(120_000);
    const { workbench } = e2e();
    await workbench.runCommand('File: New Untitled Text File');
    await workbench.page.keyboard.type(`${BEFORE} `);
    await waitUntil('the typed prefix in the editor', 10_000, async () => ((await workbench.editorTexts()).some((t) => t.startsWith(BEFORE)) ? true : undefined));

    await workbench.runCommand('MoonTalk: Dictate');
    const status = await waitUntil('the status bar to say Dictating', 30_000, async () => {
      const text = await workbench.statusItemText(DICTATION_ITEM);
      return text && /Dictating/.test(text) ? text : undefined;
    });
    const view = await e2e().chatView(30_000);
    assert.match(await view.audioStatusText(), /for dictation/, 'the view says its microphone is open for dictation');
    assert.equal((await view.micButton()).pressed, false, 'the conversation is not listening');
    assert.equal((await view.strip()).dictating, 'Dictating', 'the strip says the microphone is dictating');
    // The page really captures (its AudioContext runs, though nobody clicked in it).
    await waitUntil('the view to capture', 15_000, async () => (/^running@\d+ capturing/.test(await view.audioContext()) ? true : undefined));

    const typed = await waitUntil('the transcription to be typed in the editor', 45_000, async () => (await workbench.editorTexts()).find((t) => t.startsWith(BEFORE) && TRANSCRIPT.test(t))).catch(async (err: Error) => {
      throw new Error(`${err.message}; the editors show ${JSON.stringify(await workbench.editorTexts())}, notifications ${JSON.stringify(await workbench.notifications())}`);
    });
    assert.equal(await workbench.webviewHasFocus(), false, 'the chat view took the keyboard focus from the editor');
    // An untitled editor's tab is named after its first line; its aria label keeps "Untitled-1".
    assert.match((await workbench.activeEditor())?.ariaLabel ?? '', /Untitled-1/, 'the editor is no longer the active one');
    await workbench.screenshot('14-dictating');

    // Escape in the editor is Stop Dictation while dictating (keybinding when moontalk.dictating).
    await workbench.page.keyboard.press('Escape');
    await waitUntil('the dictation indicator to go', 15_000, async () => ((await workbench.statusItemText(DICTATION_ITEM)) === undefined ? true : undefined));
    await waitUntil('the view to release the microphone', 10_000, async () => (/ capturing/.test(await view.audioContext()) ? undefined : true));
    assert.doesNotMatch(await view.audioStatusText(), /for dictation/);
    assert.equal((await view.strip()).dictating, null, 'the strip still says Dictating');
    const [text] = (await workbench.editorTexts()).filter((t) => t.startsWith(BEFORE));
    console.log(`      [e2e] status ${JSON.stringify(status)}; the editor reads ${JSON.stringify(text)}`);
    // Verbatim at the cursor: the prefix, then only transcriptions, one per utterance the
    // emulator heard (the loop's pauses may split it; the stop may cut the last one short).
    const pieces = text!.slice(BEFORE.length).trim().split(/(?<=\])\s*/).filter(Boolean);
    assert.ok(pieces.length >= 1, text);
    for (const piece of pieces) assert.match(piece, new RegExp(`^${TRANSCRIPT.source}$`), `typed something other than transcriptions: ${JSON.stringify(text)} (first read ${JSON.stringify(typed)})`);
    const spokenSeconds = pieces.reduce((sum, p) => sum + Number(/([\d.]+) s/.exec(p)![1]), 0);
    assert.ok(spokenSeconds >= 1, `transcribed only ${spokenSeconds} s of speech: ${text}`);
    // Nothing more arrives once stopped.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal((await workbench.editorTexts()).find((t) => t.startsWith(BEFORE)), text, 'text was typed after Escape');
  });
});
