/** Helpers the specs share: open the panel (activating MoonTalk if needed). */
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from './fixture';

/** The Voice Chat panel: found if open, else opened from the palette. */
export async function openVoiceChat(): Promise<VoiceChatPanel> {
  const fixture = e2e();
  try {
    return await fixture.panel(2_000);
  } catch {
    await fixture.workbench.runCommand('MoonTalk: Open Voice Chat');
    return fixture.panel();
  }
}
