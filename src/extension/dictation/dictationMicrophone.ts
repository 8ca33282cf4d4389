/**
 * Which microphone dictation uses, or why there is none: the same one the conversation
 * would use (moontalk.audio.captureBackend). On desktop that is the extension host's
 * (pvrecorder or a system recorder), the user's own. In a browser (code-server, vscode.dev)
 * the host is a server, so it is the page's: the chat view opens in the side bar without
 * taking the focus from the editor being dictated into when no page is open (a hidden chat
 * view keeps its page and captures as it is), and opens its microphone there.
 * One microphone, one user: not while the conversation listens (its words would go to both).
 */
import * as vscode from 'vscode';
import type { AudioCapture } from '../audioCapture';
import type { CaptureBackendSetting } from '../settings';

export function dictationMicrophone(
  captureBackend: CaptureBackendSetting,
  inBrowser: boolean,
  microphones: { readonly host: AudioCapture; readonly webview: AudioCapture },
  conversation: { readonly isListening: boolean },
): AudioCapture | { unavailable: string } {
  if (conversation.isListening) return { unavailable: vscode.l10n.t('The conversation is listening on the microphone. Stop listening first, then dictate.') };
  if (captureBackend === 'webview' || (captureBackend === 'auto' && inBrowser)) return microphones.webview;
  if (microphones.host.problem) return { unavailable: microphones.host.problem };
  return microphones.host;
}
