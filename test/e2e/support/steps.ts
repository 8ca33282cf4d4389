/** Helpers the specs share: open the panel (activating MoonTalk if needed), point it at an emulator process. */
import * as path from 'node:path';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import type { EmulatorProcess } from './emulatorProcess';
import { E2E_SETTINGS, e2e } from './fixture';
import { waitUntil } from './processes';

/** Any key works with the emulator; this one has the shape of a Gemini key. */
export const EMULATOR_API_KEY = 'AIzaE2eTestKey-0123456789abcdefghijklm';

/**
 * The Voice Chat panel: found if open (waiting up to `findMs` for it, e.g. while a
 * reloaded window restores it), else opened from the palette.
 */
export async function openVoiceChat(findMs = 2_000): Promise<VoiceChatPanel> {
  const fixture = e2e();
  try {
    return await fixture.panel(findMs);
  } catch {
    await fixture.workbench.runCommand('MoonTalk: Open in Editor');
    return fixture.panel();
  }
}

/**
 * Replaces the profile's user settings: the suite's settings (E2E_SETTINGS) plus
 * `overrides`, through the settings.json editor (Workbench.replaceUserSettings). No
 * overrides restores the suite's settings. Callers wait for the change to show (e.g.
 * VoiceChatPanel.waitForBaseUrl).
 */
export async function writeUserSettings(overrides: Record<string, unknown> = {}): Promise<void> {
  const { profile, workbench } = e2e();
  await workbench.replaceUserSettings({ ...E2E_SETTINGS, ...overrides }, path.join(profile.userDataDir, 'User', 'settings.json'));
}

/**
 * Points MoonTalk at an emulator in another process, as a user points it at Gemini:
 * backend "gemini" with the emulator's base URL (plus `overrides`), then Set API Key
 * from the palette (the emulator checks it like Gemini does and takes any key). The
 * next connect builds a new client with these settings.
 */
export async function useExternalEmulator(baseUrl: string, overrides: Record<string, unknown> = {}): Promise<VoiceChatPanel> {
  const { workbench } = e2e();
  await writeUserSettings({ 'moontalk.backend': 'gemini', 'moontalk.baseUrl': baseUrl, 'moontalk.tokens.enabled': false, ...overrides });
  const panel = await openVoiceChat();
  await panel.waitForBaseUrl(baseUrl);
  await workbench.runCommand('MoonTalk: Set API Key', { opensInput: true });
  await workbench.fillInputBox(EMULATOR_API_KEY);
  await workbench.waitForNotification(/accepted the API key/, 20_000);
  await workbench.clearNotifications();
  return panel;
}

/**
 * Undoes useExternalEmulator: `first` (what the spec left open: the microphone, a quick input),
 * then Disconnect; and whatever of that failed, stops the emulator process and restores the
 * suite's settings, so the next spec starts on the built-in emulator.
 */
export async function leaveExternalEmulator(emulator: EmulatorProcess | undefined, first: () => Promise<void> = async () => undefined): Promise<void> {
  try {
    await first();
    await disconnectIfConnected();
  } finally {
    await emulator?.stop();
    await writeUserSettings();
  }
}

/** Ends the session if one is running (the palette offers Disconnect only then) and waits for the status bar to say so. */
export async function disconnectIfConnected(): Promise<void> {
  const { workbench } = e2e();
  if (await workbench.paletteOffers('MoonTalk: Disconnect', 1_000)) {
    await workbench.runCommand('MoonTalk: Disconnect');
    await workbench.waitForStatus(/^MoonTalk: disconnected$/, 15_000);
  }
}

/**
 * One editor group and no editor, whatever a spec left behind (an untitled file with
 * inserted code, an editor moved into a second group): later specs count on a plain
 * window. A dirty editor's "Save changes?" question is answered Don't Save (bounded).
 */
export async function closeAllEditorsDiscardingChanges(): Promise<void> {
  const { workbench } = e2e();
  await workbench.runCommand('View: Close All Editor Groups');
  for (let i = 0; i < 3; i++) {
    const dialog = await waitUntil('a save question', 2_000, async () => (await workbench.modalDialog()) ?? undefined).catch(() => undefined);
    if (!dialog) return;
    await workbench.answerModalDialog(dialog.buttons.find((b) => /^Don't Save$/.test(b)) ?? "Don't Save");
  }
}
