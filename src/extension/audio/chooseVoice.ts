/**
 * MoonTalk: Choose Voice. A quick pick of the service's prebuilt voices (src/core/voices.ts),
 * each with Google's word for its character; the play button beside a voice speaks a short
 * sample with it (voiceSample.ts), and choosing one stores it in moontalk.voice.name (then
 * plays its sample). A voice applies at the next connect.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../common/errors';
import { DEFAULT_VOICE, PREBUILT_VOICES } from '../../core/voices';
import { SettingKeys } from '../constants';
import type { Settings } from '../settings';
import { playVoiceSample, type VoiceSampleDeps } from './voiceSample';

interface VoicePick extends vscode.QuickPickItem {
  /** '' for the model's default. */
  voice: string;
}

export interface ChooseVoiceDeps {
  readonly settings: Settings;
  readonly sample: Omit<VoiceSampleDeps, 'model'>;
  /** Shows the panel (where samples play) without taking the focus from the quick pick. */
  showPanel(): Thenable<unknown>;
}

export async function chooseVoice(deps: ChooseVoiceDeps): Promise<string | undefined> {
  const current = deps.settings.current.voice ?? '';
  const play = new vscode.ThemeIcon('play');
  const playButton: vscode.QuickInputButton = { iconPath: play, tooltip: vscode.l10n.t('Play a sample') };
  const items: VoicePick[] = [
    { voice: '', label: vscode.l10n.t('Model default'), description: vscode.l10n.t('{0} unless the model says otherwise', DEFAULT_VOICE), detail: current === '' ? vscode.l10n.t('Current') : undefined },
    ...PREBUILT_VOICES.map((v) => ({ voice: v.name, label: v.name, description: v.character, detail: v.name === current ? vscode.l10n.t('Current') : undefined, buttons: [playButton] })),
  ];
  const pick = vscode.window.createQuickPick<VoicePick>();
  pick.title = vscode.l10n.t('MoonTalk: Choose Voice');
  pick.placeholder = vscode.l10n.t('The voice Gemini speaks with (▶ plays a sample). Applies at the next connect.');
  pick.items = items;
  pick.activeItems = items.filter((i) => i.voice === current);
  const sample = async (voice: string) => {
    await deps.showPanel();
    try {
      await playVoiceSample({ ...deps.sample, model: deps.settings.current.model }, voice);
    } catch (err) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The sample of {0} could not be played: {1}', voice, errorMessage(err)));
    }
  };
  const chosen = await new Promise<VoicePick | undefined>((resolve) => {
    pick.onDidTriggerItemButton((e) => void sample(e.item.voice));
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (!chosen) return undefined;
  await deps.settings.set(SettingKeys.voiceName, chosen.voice);
  if (chosen.voice) void sample(chosen.voice);
  return chosen.voice;
}
