/**
 * Which microphone dictation uses, or why there is none. The extension host's microphone
 * (pvrecorder or a system recorder) is the user's own on desktop. In a browser the host is a
 * server: its microphone (if any) is not the user's, and the panel's microphone needs the
 * panel shown to capture, which takes the focus from the editor being dictated into; so
 * there dictation runs only when moontalk.audio.captureBackend is `host` (code-server on the
 * user's own computer). One microphone, one user: not while the conversation listens on it.
 */
import * as vscode from 'vscode';
import type { AudioCapture } from '../audioCapture';
import type { CaptureBackendSetting } from '../settings';

export function dictationMicrophone(
  captureBackend: CaptureBackendSetting,
  inBrowser: boolean,
  host: AudioCapture,
  conversation: { readonly isListening: boolean; readonly status: { captureBackend: string } },
): AudioCapture | { unavailable: string } {
  if (captureBackend === 'webview' || (captureBackend === 'auto' && inBrowser)) {
    return {
      unavailable: vscode.l10n.t(
        'Dictation needs the microphone of the computer the extension runs on, and in a browser that is the server. If the server is this computer, set moontalk.audio.captureBackend to "host"; otherwise talk in the Voice Chat panel.',
      ),
    };
  }
  if (conversation.isListening && conversation.status.captureBackend === 'host') {
    return { unavailable: vscode.l10n.t('The conversation is listening on the microphone. Stop listening first, then dictate.') };
  }
  if (host.problem) return { unavailable: host.problem };
  return host;
}
