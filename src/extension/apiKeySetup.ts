/**
 * Set API Key: asks for the key in a password box (with a "Get a key" button), checks it with
 * Gemini itself (ListModels, a cheap authenticated GET) under a progress notification whatever
 * the backend, and saves it to SecretStorage only if Gemini accepted it. On the offline demo it
 * then offers to switch to Gemini.
 *
 * @remarks
 * The check goes to Gemini even on the emulator backend: the emulator takes any key, so a check
 * there would say "accepted" about a key Gemini refuses (issue 13). A wrong key (Gemini says no)
 * and a check that could not be made (network, proxy, quota) get different messages: the fixes
 * differ. Tests point the Gemini base URL at a loopback fake through {@link KeyCheckTestHooks},
 * which only the test API can reach.
 */
import * as vscode from 'vscode';
import { isMoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Redactor } from '../common/redact';
import { listLiveModels } from '../live/listModels';
import type { Secrets } from './secrets';
import type { Settings } from './settings';
import { showUserMessage } from './showUserMessage';
import { GET_API_KEY_URL, keyAccepted, keyCheckFailed, keyRejected, type UserMessage } from './userMessages';

/** Asks the user for a key; undefined = cancelled. Replaced in tests. */
export type KeyPrompt = () => Thenable<string | undefined>;

/** `unreachable`: the check could not reach Gemini (nothing is known about the key). */
export type ApiKeySetupResult = 'saved' | 'cancelled' | 'rejected' | 'unreachable' | 'failed';

/** Knobs only tests turn (through the test API). */
export interface KeyCheckTestHooks {
  /** Replaces the Gemini base URL of the key check (a loopback fake): tests never reach the real API. */
  geminiBaseUrl?: string | undefined;
}

export interface ApiKeySetupDeps {
  secrets: Secrets;
  settings: Settings;
  redactor: Redactor;
  logger: Logger;
  /** Where Gemini's REST API is: moontalk.baseUrl, else the public endpoint (the test hook first). */
  geminiBaseUrl: () => string;
  prompt?: KeyPrompt;
  /** Shows a message without waiting for it (default showUserMessage). */
  tell?: (message: UserMessage) => void;
}

const CHECK_TIMEOUT_MS = 15_000;

export function promptForApiKey(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Set Gemini API Key');
    box.prompt = vscode.l10n.t('Paste your Gemini API key (no key yet? Get one free at Google AI Studio with the button above). MoonTalk checks it with Gemini, then keeps it in VS Code secret storage only.');
    box.placeholder = 'AIza…';
    box.password = true;
    box.ignoreFocusOut = true;
    box.buttons = [{ iconPath: new vscode.ThemeIcon('link-external'), tooltip: vscode.l10n.t('Get a key at Google AI Studio') }];
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => (box.validationMessage = value === '' ? undefined : validateKeyShape(value)));
    box.onDidTriggerButton(() => void vscode.env.openExternal(vscode.Uri.parse(GET_API_KEY_URL)));
    box.onDidAccept(() => {
      const problem = validateKeyShape(box.value);
      if (problem) box.validationMessage = problem;
      else finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** A quick shape check before any request; the server has the last word. */
export function validateKeyShape(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return vscode.l10n.t('Enter a key, or press Escape to cancel.');
  if (/\s/.test(key)) return vscode.l10n.t('An API key has no spaces.');
  if (key.length < 10 || key.length > 256) return vscode.l10n.t('That does not look like an API key (10 to 256 characters).');
  return undefined;
}

export class ApiKeySetup {
  private readonly log: Logger;
  private readonly tell: (message: UserMessage) => void;
  private last: UserMessage | undefined;

  constructor(private readonly deps: ApiKeySetupDeps) {
    this.log = deps.logger.child('apiKey');
    this.tell = deps.tell ?? ((m) => void showUserMessage(m));
  }

  /** The message the last run showed (tests read it to tell a wrong key from a dead network). */
  get lastMessage(): UserMessage | undefined {
    return this.last;
  }

  /** Runs the whole flow; `prompt` replaces the input box (tests). Never throws. */
  async run(prompt: KeyPrompt = this.deps.prompt ?? promptForApiKey): Promise<ApiKeySetupResult> {
    this.last = undefined;
    const entered = (await prompt())?.trim();
    if (!entered) return 'cancelled';
    if (validateKeyShape(entered)) {
      this.show(keyRejected(vscode.l10n.t));
      return 'rejected';
    }
    const { redactor, secrets, settings } = this.deps;
    // Registered before the first request, so no log line can ever show it.
    redactor.addSecret(entered);
    const baseUrl = this.deps.geminiBaseUrl();
    try {
      const models = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the API key with Gemini…'), cancellable: false },
        () => listLiveModels({ baseUrl, apiKey: entered, timeoutMs: CHECK_TIMEOUT_MS }),
      );
      this.log.info(`Gemini accepted the key (${models.length} Live models listed)`);
    } catch (err) {
      const detail = redactor.text(String((err as Error)?.message ?? err));
      this.log.warn(`the key check failed: ${isMoonTalkError(err) ? err.reason : 'error'}: ${detail}`);
      if (isMoonTalkError(err, 'badKey')) {
        this.show(keyRejected(vscode.l10n.t, err.details.code === undefined ? '' : `HTTP ${err.details.code}`));
        return 'rejected';
      }
      this.show(keyCheckFailed(err, redactor, vscode.l10n.t));
      return isMoonTalkError(err, 'network') ? 'unreachable' : 'failed';
    }
    await secrets.storeApiKey(entered);
    this.log.info('API key checked and saved to secret storage');
    this.show(keyAccepted(settings.current.backend === 'emulator', vscode.l10n.t));
    return 'saved';
  }

  private show(message: UserMessage): void {
    this.last = message;
    this.tell(message);
  }
}
