/**
 * MoonTalk: Choose Microphone. Lists the inputs of whichever capture path is active and
 * stores the choice in moontalk.audio.device (machine-scoped: a device name means nothing
 * on another computer, so it lives in user settings, never in a workspace):
 * - the built-in microphone (pvrecorder): its devices, by name;
 * - a system recorder: it cannot enumerate (each names devices its own way), so the
 *   default or a device name typed in (ALSA `hw:1,0`, a CoreAudio or DirectShow name);
 * - the panel (browsers, code-server): the panel has its own Microphone list; asking the
 *   webview for its devices from here would need a new protocol message (src/protocol is
 *   not this module's), so the command opens the panel and says where to choose.
 */
import * as vscode from 'vscode';
import type { AudioCapture } from '../audioCapture';
import { Commands, SettingKeys, CONFIG_SECTION } from '../constants';
import type { HostAudioCapture } from '../hostAudioCapture';

interface DevicePick extends vscode.QuickPickItem {
  /** The value to store; '' for the default device; undefined for "type a name". */
  device: string | undefined;
}

export async function chooseMicrophone(capture: AudioCapture, host: HostAudioCapture, current: string | undefined): Promise<void> {
  if (capture.backend === 'webview') {
    await vscode.commands.executeCommand(Commands.openPanel);
    void vscode.window.showInformationMessage(vscode.l10n.t('The panel captures the microphone here: choose it in the panel’s Microphone list.'));
    return;
  }
  const listed = await host.listDevices();
  if ('problem' in listed) {
    void vscode.window.showWarningMessage(listed.problem);
    return;
  }
  const mark = (device: string) => ((current ?? '') === device ? vscode.l10n.t('current') : undefined);
  const items: DevicePick[] = [{ label: vscode.l10n.t('Default microphone'), description: mark(''), device: '' }];
  const builtIn = listed.kind === 'pvrecorder';
  for (const d of listed.devices) items.push({ label: d.label, description: mark(d.id), device: d.id });
  if (!builtIn) {
    if (current) items.push({ label: current, description: mark(current), device: current });
    items.push({ label: vscode.l10n.t('Enter a device name…'), detail: vscode.l10n.t('As {0} names it', listed.kind), device: undefined });
  }
  const title = builtIn ? vscode.l10n.t('Microphone (built-in recorder)') : vscode.l10n.t('Microphone ({0})', listed.kind);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: builtIn && listed.devices.length === 0 ? vscode.l10n.t('No input device found') : undefined });
  if (!picked) return;
  let device = picked.device;
  if (device === undefined) {
    device = await vscode.window.showInputBox({
      title,
      value: current ?? '',
      prompt: vscode.l10n.t('The input device as {0} names it; empty for the default.', listed.kind),
      placeHolder: process.platform === 'linux' ? 'hw:1,0' : process.platform === 'darwin' ? 'MacBook Pro Microphone' : 'Microphone (USB Audio)',
    });
    if (device === undefined) return;
  }
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update(SettingKeys.audioDevice, device.trim() || undefined, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    device.trim() ? vscode.l10n.t('Microphone set to “{0}”. It applies the next time the microphone opens.', device.trim()) : vscode.l10n.t('Microphone set to the default device. It applies the next time the microphone opens.'),
  );
}
